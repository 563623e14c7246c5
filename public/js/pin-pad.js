// The station PIN pad: on-screen keys type into the real PIN input. Plain script (no Alpine) so the
// kitchen's slowest tablet loads nothing more; without it the input still works with any keyboard.
(function () {
  "use strict";
  function setUp() {
    var input = document.querySelector("[data-pin-input]");
    var keys = document.querySelector("[data-pin-keys]");
    if (!input || !keys) return;
    keys.hidden = false;
    // The on-screen keys replace the tablet's own keyboard, which would otherwise cover them;
    // a hardware keyboard still types into the field.
    input.setAttribute("inputmode", "none");
    keys.addEventListener("click", function (event) {
      var button = event.target.closest("[data-key]");
      if (!button) return;
      var key = button.getAttribute("data-key");
      if (key === "clear") input.value = "";
      else if (key === "back") input.value = input.value.slice(0, -1);
      else if (input.value.length < 6) input.value += key;
      input.focus({ preventScroll: true });
    });
    // Choosing a name moves straight on to the PIN.
    document.querySelectorAll("input[name=member]").forEach(function (radio) {
      radio.addEventListener("change", function () { input.focus({ preventScroll: true }); });
    });
    // One tap, one sign-on: a double tap on a slow network must not send the PIN twice.
    var form = input.form;
    form.addEventListener("submit", function () {
      var go = form.querySelector("button[type=submit]");
      if (go) setTimeout(function () { go.disabled = true; }, 0);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
