// Refusals of htmx actions on every screen. The server answers a refused htmx request with
// HX-Reswap: none and the message in X-Refusal, so nothing on the page is replaced; this shows the
// message. (A form that re-renders itself with its errors answers 4xx on purpose and is swapped as
// usual: that is the form showing where it went wrong, not a refusal.) A lost connection says so.
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

  document.addEventListener("htmx:error", function (e) {
    var ctx = e.detail && e.detail.ctx;
    // A request that never got an answer (other htmx:error events carry no request at all).
    if (ctx && ctx.request && !ctx.response) show("No connection to the server: nothing was changed. Try again.");
  });
})();
