// Pay screen and receipt helpers. Plain DOM code under our strict CSP; the server decides every amount.
(function () {
  "use strict";

  function cents(text, decimals) {
    var m = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(text || "");
    if (!m || (m[2] || "").length > decimals) return null;
    return Number(m[1]) * Math.pow(10, decimals) + Number(((m[2] || "") + "000").slice(0, decimals) || "0");
  }

  function setup(form) {
    var currency = form.dataset.currency;
    var fmt = new Intl.NumberFormat("en", { style: "currency", currency: currency });
    var decimals = fmt.resolvedOptions().maximumFractionDigits;
    var show = function (v) { return fmt.format(v / Math.pow(10, decimals)); };
    var amountBox = form.querySelector("[data-amount]");
    var tipBox = form.querySelector("[data-tip-amount]");
    var tenderedBox = form.querySelector("[data-tendered]");
    var preview = form.querySelector("[data-change-preview]");
    var exact = form.querySelector("[data-exact]");

    function owed() {
      var amount = cents(amountBox.value, decimals) || 0;
      var typed = cents(tipBox.value, decimals);
      var chosen = form.querySelector("input[name=tipPreset]:checked");
      var tip = typed !== null && tipBox.value.trim() !== "" ? typed : Number(chosen ? chosen.dataset.tip : 0);
      return { amount: amount, tip: tip, total: amount + tip };
    }

    function refresh() {
      var o = owed();
      if (exact) exact.textContent = "Exact " + show(o.total);
      // The next whole unit and round notes above what is owed with the tip (as src/payments/cash.ts does).
      var unit = Math.pow(10, decimals);
      var notes = JSON.parse(form.dataset.notes || "[]");
      var next = [unit].concat(notes).map(function (step) { return Math.ceil(o.total / step) * step; })
        .filter(function (v, i, all) { return v > o.total && all.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
      form.querySelectorAll("[data-note]").forEach(function (b, i) {
        if (next[i] === undefined) { b.hidden = true; return; }
        b.hidden = false;
        b.value = String(next[i]);
        b.textContent = show(next[i]);
      });
      var handed = cents(tenderedBox.value, decimals);
      preview.textContent = handed === null || tenderedBox.value.trim() === "" ? ""
        : handed < o.total ? "Not enough: " + show(o.total) + " is due with the tip"
        : "Change due " + show(handed - o.total);
    }

    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    // One tap, one payment: the per-form key already makes a re-post harmless; this only stops the flicker.
    form.addEventListener("submit", function () {
      setTimeout(function () { form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; }); }, 0);
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-cash-form]").forEach(setup);
    document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
  });
})();
