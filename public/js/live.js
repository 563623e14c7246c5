// Live updates for every screen: one EventSource per page, fragments swapped in by element id.
// A reconnect is a replay: the server resumes after the last event id this page saw.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var url = root.dataset.live;
  var lastId = root.dataset.seq || "";
  var failures = 0;
  var source = null;
  var RELOAD_MS = 5000;

  function setState(state) { document.body.dataset.liveState = state; }

  // No live channel in this browser: reload every few seconds so the screen is never stale for long.
  if (!("EventSource" in window)) {
    setState("polling");
    setTimeout(function () { location.reload(); }, RELOAD_MS);
    return;
  }

  function swapIn(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    Array.prototype.slice.call(template.content.children).forEach(function (el) {
      var existing = el.id ? document.getElementById(el.id) : null;
      if (el.hasAttribute("data-remove")) {
        if (existing) existing.remove();
        return;
      }
      var container = el.dataset.into ? document.querySelector(el.dataset.into) : null;
      if (existing && container && existing.parentElement !== container) {
        // The element moves to another column (e.g. an expo card that became ready).
        existing.remove();
        existing = null;
      }
      if (existing) {
        existing.replaceWith(el);
      } else if (container) {
        if (el.dataset.position === "first") container.prepend(el); else container.append(el);
      } else {
        return;
      }
      if (window.htmx && window.htmx.process) window.htmx.process(el);
      document.dispatchEvent(new CustomEvent("live:swapped", { detail: { element: el } }));
    });
    // Once per batch, removals included: lists derived from the screen's state (the expo's recall
    // menu, the kitchen rail's "+N more") refresh themselves.
    document.dispatchEvent(new CustomEvent("live:batch"));
  }

  function connect() {
    var sep = url.indexOf("?") >= 0 ? "&" : "?";
    source = new EventSource(lastId ? url + sep + "since=" + encodeURIComponent(lastId) : url);
    source.onopen = function () { failures = 0; setState("online"); };
    source.addEventListener("swap", function (e) {
      if (e.lastEventId) lastId = e.lastEventId;
      swapIn(e.data);
    });
    source.addEventListener("refresh", function () { location.reload(); });
    source.onmessage = function (e) { if (e.lastEventId) lastId = e.lastEventId; };
    source.onerror = function () {
      setState("offline");
      // The browser retries by itself while the stream is CONNECTING; once CLOSED (server refused,
      // or restarted with an error) we reconnect ourselves with backoff, resuming from lastId.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        failures += 1;
        if (failures > 8) { location.reload(); return; }
        // Capped at 10 s: during an outage the server answers 503 at once, and a kitchen screen should
        // be live again within seconds of the database, not half a minute later.
        setTimeout(connect, Math.min(10000, 500 * Math.pow(2, failures)) * (0.7 + Math.random() * 0.6));
      }
    };
  }

  window.addEventListener("pagehide", function () { if (source) source.close(); });
  connect();
})();
