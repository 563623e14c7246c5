// POS helpers. Plain DOM code, no eval: it runs under our strict CSP. The server re-checks every rule.
(function () {
  "use strict";

  // Keep the picker honest: a group with a maximum disables the rest once full, and "Add" waits
  // until every group has its minimum.
  function refreshPicker(form) {
    var ok = true;
    form.querySelectorAll("fieldset[data-max]").forEach(function (group) {
      var max = Number(group.dataset.max), min = Number(group.dataset.min);
      var boxes = group.querySelectorAll("input[type=checkbox], input[type=radio]");
      var checked = group.querySelectorAll("input:checked").length;
      boxes.forEach(function (box) {
        if (box.type === "checkbox" && !box.dataset.unavailable) box.disabled = !box.checked && checked >= max;
      });
      if (checked < min || checked > max) ok = false;
    });
    var add = form.querySelector("[data-add]");
    if (add) add.disabled = !ok;
  }

  function initPickers(root) {
    root.querySelectorAll("form[data-picker]").forEach(function (form) {
      form.querySelectorAll("input[disabled]").forEach(function (box) { box.dataset.unavailable = "1"; });
      refreshPicker(form);
    });
  }

  function closePicker() {
    var picker = document.getElementById("picker");
    if (picker) picker.innerHTML = "";
  }

  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form[data-picker]");
    if (form) refreshPicker(form);
  });
  document.addEventListener("click", function (e) {
    var close = e.target.closest && e.target.closest("[data-close-picker]");
    if (close && document.getElementById("picker").contains(close)) {
      e.preventDefault();
      closePicker();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closePicker();
  });
  // A picker's Add was answered: the answer's out-of-band swap closes the picker, but when the live stream
  // replaced the ticket while the request was in flight that swap can miss, leaving the picker over the
  // menu. Close it anyway once the request succeeded (after htmx's own swap had its turn).
  document.addEventListener("htmx:after:request", function (e) {
    var form = e.target && e.target.closest && e.target.closest("form[data-picker]");
    var ctx = e.detail && e.detail.ctx;
    if (form && ctx && ctx.response && ctx.response.status < 400) {
      setTimeout(function () { if (document.getElementById("picker").contains(form)) closePicker(); }, 300);
    }
  });
  // htmx 4 fires htmx:after:swap once new content is in the page.
  document.addEventListener("htmx:after:swap", function () { initPickers(document); });
  new MutationObserver(function () { initPickers(document.getElementById("picker") || document); })
    .observe(document.getElementById("picker") || document.body, { childList: true });
  initPickers(document);
})();
