// Kitchen screens: ticket ages tick on their own, and a bump bar (or keyboard) drives the rail:
// 1-9 select a ticket, Enter bumps it, R recalls the last bumped, arrows move the selection.
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

  function tickets() { return Array.prototype.slice.call(document.querySelectorAll(".kds-ticket, .expo-card")); }
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
    if (e.key === "r" || e.key === "R") {
      var recall = document.querySelector("[data-recall]");
      if (recall) { recall.click(); e.preventDefault(); }
    }
  });

  document.addEventListener("live:swapped", function () { if (selected >= 0) select(selected); tick(); });
  document.addEventListener("htmx:after:swap", function () { if (selected >= 0) select(selected); });
  tick();
  setInterval(tick, 15000);
})();
