// Refusals of htmx actions on every screen. The server answers a refused htmx request with
// HX-Reswap: none and the message in X-Refusal, so nothing on the page is replaced; this shows the
// message. A page that still arrives with an error status (a full error page from somewhere else) is
// never swapped into a live screen either. A lost connection says so instead of failing silently.
(function () {
  "use strict";
  var timer = null;

  function show(message) {
    var toast = document.getElementById("refusal-toast");
    if (!toast) {
      toast = document.createElement("div");
      toast.id = "refusal-toast";
      toast.className = "refusal-toast";
      toast.setAttribute("role", "alert");
      toast.addEventListener("click", function () { toast.hidden = true; });
      document.body.appendChild(toast);
    }
    toast.textContent = message;
    toast.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(function () { toast.hidden = true; }, 8000);
  }

  function refusalOf(ctx) {
    var raw = ctx && ctx.response && ctx.response.headers && ctx.response.headers.get("x-refusal");
    if (!raw) return null;
    try { return decodeURIComponent(raw); } catch (e) { return raw; }
  }

  document.addEventListener("htmx:after:request", function (e) {
    var message = refusalOf(e.detail && e.detail.ctx);
    if (message) show(message);
  });

  document.addEventListener("htmx:before:swap", function (e) {
    var ctx = e.detail && e.detail.ctx;
    if (!ctx || !ctx.response || ctx.response.status < 400) return;
    if (/<html[\s>]/i.test(ctx.text || "")) {
      e.preventDefault();
      if (!refusalOf(ctx)) show("That did not work (" + ctx.response.status + "). Nothing was changed.");
    }
  });

  document.addEventListener("htmx:error", function (e) {
    var ctx = e.detail && e.detail.ctx;
    if (!ctx || !ctx.response) show("No connection to the server: nothing was changed. Try again.");
  });
})();
