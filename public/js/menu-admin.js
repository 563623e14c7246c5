// Menu admin helpers for the Alpine CSP build: components are registered here by name, never
// written as inline expressions (the page's Content-Security-Policy forbids eval). Every form
// works without this file; it only saves a round trip to the server for the obvious mistakes.
document.addEventListener("alpine:init", () => {
  const Alpine = window.Alpine;

  // Modifier group rules: ticking "Required" asks for at least one choice, unticking allows none,
  // and the maximum never drops below the minimum.
  Alpine.data("groupRules", () => ({
    init() {
      const required = this.$el.querySelector('input[name="required"]');
      const min = this.$el.querySelector('input[name="minSelect"]');
      const max = this.$el.querySelector('input[name="maxSelect"]');
      if (!required || !min || !max) return;
      required.addEventListener("change", () => {
        const value = Number(min.value) || 0;
        if (required.checked && value < 1) min.value = "1";
        if (!required.checked) min.value = "0";
        if ((Number(max.value) || 0) < (Number(min.value) || 0)) max.value = min.value;
      });
      min.addEventListener("change", () => {
        const value = Number(min.value) || 0;
        required.checked = value > 0;
        if ((Number(max.value) || 0) < value) max.value = String(value);
      });
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
