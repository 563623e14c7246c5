// Menu admin helpers for the Alpine CSP build: components are registered here by name, never
// written as inline expressions (the page's Content-Security-Policy forbids eval). Every form
// works without this file; it only saves a round trip to the server for the obvious mistakes.
document.addEventListener("alpine:init", () => {
  const Alpine = window.Alpine;

  // Modifier group rules. A field the manager types into is never rewritten by this script: setting
  // max to the new min behind their back turned "1" typed into max into "31" (issue 9). Instead the
  // max field says at once when it is below the minimum, and the server refuses the same thing.
  // Ticking "Required" may lift a minimum of 0 to 1 (a click, not typing); the next click into that
  // field selects the number so typing replaces it rather than appending to it.
  Alpine.data("groupRules", () => ({
    init() {
      const required = this.$el.querySelector('input[name="required"]');
      const min = this.$el.querySelector('input[name="minSelect"]');
      const max = this.$el.querySelector('input[name="maxSelect"]');
      if (!required || !min || !max) return;
      const note = document.createElement("p");
      note.className = "field-error";
      note.id = max.id + "-live";
      note.setAttribute("role", "status");
      note.hidden = true;
      max.insertAdjacentElement("afterend", note);
      const checkMax = () => {
        const low = Number(min.value) || 0;
        const high = Number(max.value);
        max.min = String(Math.max(1, low));
        const tooLow = max.value !== "" && Number.isFinite(high) && high < low;
        note.hidden = !tooLow;
        note.textContent = tooLow ? `At least ${low}: a guest must be able to pick the minimum.` : "";
        if (tooLow) max.setAttribute("aria-invalid", "true");
        else if (!max.closest(".field").querySelector(".field-error:not([hidden])")) max.removeAttribute("aria-invalid");
        const ids = (max.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== note.id);
        if (tooLow) ids.push(note.id);
        if (ids.length) max.setAttribute("aria-describedby", ids.join(" ")); else max.removeAttribute("aria-describedby");
      };
      const selectOnNextFocus = (input) => {
        input.addEventListener("focus", () => {
          input.select();
          // A click would put the caret back on mouseup; keep the selection instead.
          input.addEventListener("mouseup", (e) => e.preventDefault(), { once: true });
        }, { once: true });
      };
      required.addEventListener("change", () => {
        const value = Number(min.value) || 0;
        if (required.checked && value < 1) { min.value = "1"; selectOnNextFocus(min); }
        if (!required.checked && value > 0) { min.value = "0"; selectOnNextFocus(min); }
        checkMax();
      });
      min.addEventListener("input", () => {
        required.checked = (Number(min.value) || 0) > 0;
        checkMax();
      });
      max.addEventListener("input", checkMax);
      checkMax();
    },
  }));

  // CSV import: name the chosen file and warn at once when it is over the limit.
  Alpine.data("csvPicker", () => ({
    hint: "",
    init() {
      const hint = this.$el.querySelector("[x-text]");
      this.hint = hint ? hint.textContent : "";
      this.limitHint = this.hint;
    },
    picked(event) {
      const file = event.target.files && event.target.files[0];
      if (!file) {
        this.hint = this.limitHint;
        return;
      }
      const mb = file.size / 1024 / 1024;
      this.hint = mb > 2
        ? `${file.name} is ${mb.toFixed(1)} MB: over the 2 MB limit, it will be refused.`
        : `${file.name} (${Math.max(1, Math.round(file.size / 1024))} KB) is ready to be checked.`;
    },
  }));
});
