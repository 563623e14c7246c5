// Kitchen screens: ticket ages tick on their own, and a bump bar (or keyboard) drives the rail:
// 1-9 select a ticket, Enter bumps it, R recalls the last bumped, arrows move the selection,
// PageDown (or the "+N more" button) pages past the tickets that do not fit on the screen.
(function () {
  "use strict";
  var main = document.querySelector("[data-thresholds]");
  var limits = (main && main.dataset.thresholds ? main.dataset.thresholds : "8,12,16").split(",").map(Number);
  var AGE_CLASSES = ["age-ok", "age-warn", "age-late", "age-crit"];

  function ageClass(minutes) {
    return minutes >= limits[2] ? "age-crit" : minutes >= limits[1] ? "age-late" : minutes >= limits[0] ? "age-warn" : "age-ok";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-fired-at]").forEach(function (card) {
      if (card.classList.contains("is-ready")) return;
      var minutes = Math.max(0, (now - Date.parse(card.dataset.firedAt)) / 60000);
      var label = card.querySelector("[data-age]");
      if (label) label.textContent = Math.floor(minutes) + "m";
      var cls = ageClass(minutes);
      if (!card.classList.contains(cls)) {
        AGE_CLASSES.forEach(function (c) { card.classList.remove(c); });
        card.classList.add(cls);
      }
    });
  }

  function tickets() { return Array.prototype.slice.call(document.querySelectorAll(".kds-ticket:not(.paged), .expo-card")); }

  // ---- The rail's pages: no ticket is ever out of view without a sign on screen (issue 9, point 7). ----
  var start = 0;
  function railTickets() { return Array.prototype.slice.call(document.querySelectorAll("#tickets > .kds-ticket")); }
  function railBottom() { var rail = document.getElementById("tickets"); return rail ? Math.min(rail.getBoundingClientRect().bottom, window.innerHeight) + 0.5 : 0; }
  function layoutRail() {
    var more = document.querySelector("[data-more]");
    var list = railTickets();
    if (!more) return;
    if (start >= list.length) start = 0;
    list.forEach(function (t, i) { t.classList.toggle("paged", i < start); });
    var bottom = railBottom();
    var hidden = list.filter(function (t, i) { return i < start || t.getBoundingClientRect().bottom > bottom; });
    if (!hidden.length) { more.hidden = true; return; }
    var oldest = Math.min.apply(null, hidden.map(function (t) { return Date.parse(t.dataset.firedAt); }));
    more.textContent = "+" + hidden.length + " more · oldest " + Math.max(0, Math.floor((Date.now() - oldest) / 60000)) + "m";
    more.hidden = false;
  }
  function nextPage() {
    var list = railTickets();
    var bottom = railBottom();
    var firstOut = -1;
    for (var i = start; i < list.length; i++) if (list[i].getBoundingClientRect().bottom > bottom) { firstOut = i; break; }
    // Past the last page, back to the oldest; a ticket taller than the screen is stepped over.
    start = firstOut < 0 ? 0 : firstOut === start ? start + 1 : firstOut;
    layoutRail();
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-more]")) nextPage();
    // A line's 86: the cook sees it was sent (the POS and the 86 list show the result live).
    var eightySix = e.target.closest && e.target.closest("[data-eighty-six] .kds-86");
    if (eightySix) { eightySix.classList.add("sent"); eightySix.textContent = "86'd"; }
  });

  // ---- Menus filled on demand (the 86 list, the expo's recall list), refreshed live while open. ----
  // Only the latest request of a menu is applied (answers may overtake each other), to whatever list
  // the menu holds by then.
  function load(nav) {
    var holder = nav.parentElement;
    if (!holder) return;
    var seq = String(Number(holder.dataset.loadSeq || 0) + 1);
    holder.dataset.loadSeq = seq;
    var latest = function () { return holder.dataset.loadSeq === seq ? holder.querySelector("[data-load]") : null; };
    fetch(nav.dataset.load, { credentials: "same-origin", headers: { "hx-request": "true" } }).then(function (res) {
      if (!res.ok) {
        var shown = latest();
        if (shown) shown.textContent = decodeURIComponent(res.headers.get("x-refusal") || "Could not load this list");
        return null;
      }
      return res.text();
    }).then(function (html) {
      var current = html == null ? null : latest();
      if (!current) return;
      var template = document.createElement("template");
      template.innerHTML = html;
      var fresh = template.content.firstElementChild;
      if (!fresh) return;
      current.replaceWith(fresh);
      if (window.htmx && window.htmx.process) window.htmx.process(fresh);
    }).catch(function () { /* offline: the live banner says so; the list stays as it was */ });
  }
  document.addEventListener("toggle", function (e) {
    var details = e.target;
    if (!details.open || !details.querySelector) return;
    var nav = details.querySelector("[data-load]");
    if (nav) load(nav);
  }, true);
  document.addEventListener("live:batch", function () {
    document.querySelectorAll("details[open] [data-load][data-live-reload]").forEach(load);
    layoutRail();
  });
  var selected = -1;

  function select(index) {
    var list = tickets();
    list.forEach(function (t) { t.classList.remove("selected"); });
    if (!list.length) { selected = -1; return; }
    selected = Math.max(0, Math.min(index, list.length - 1));
    list[selected].classList.add("selected");
    list[selected].scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  document.addEventListener("keydown", function (e) {
    if (e.target && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) return;
    if (e.key >= "1" && e.key <= "9") { select(Number(e.key) - 1); e.preventDefault(); return; }
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { select(selected + 1); e.preventDefault(); return; }
    if (e.key === "ArrowLeft" || e.key === "ArrowUp") { select(selected - 1); e.preventDefault(); return; }
    if (e.key === "Enter") {
      var list = tickets();
      var ticket = list[selected >= 0 ? selected : 0];
      var bump = ticket && ticket.querySelector("[data-bump]");
      if (bump) { bump.click(); e.preventDefault(); }
      return;
    }
    if (e.key === "PageDown") { nextPage(); e.preventDefault(); return; }
    if (e.key === "r" || e.key === "R") {
      var recall = document.querySelector("[data-recall]");
      if (recall) { recall.click(); e.preventDefault(); }
    }
  });

  document.addEventListener("live:swapped", function () { if (selected >= 0) select(selected); tick(); });
  document.addEventListener("htmx:after:swap", function () { if (selected >= 0) select(selected); layoutRail(); });
  window.addEventListener("resize", layoutRail);
  tick();
  layoutRail();
  setInterval(function () { tick(); layoutRail(); }, 15000);
})();
