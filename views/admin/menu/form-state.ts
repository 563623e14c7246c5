/** What a menu admin page needs to re-show a refused form: which form, what was typed, what is wrong. */
export type FormState = {
  /** Which form on the page the values belong to, e.g. "new-category" or "category:<id>". */
  key: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
};

export type Flash = { kind: "ok" | "error"; text: string };

/** The value to show in a field: what was just typed if this form was refused, else the saved one. */
export function shown(state: FormState | null | undefined, key: string, field: string, saved: string): string {
  if (state?.key !== key) return saved;
  const raw = state.values[field];
  if (Array.isArray(raw)) return String(raw[raw.length - 1] ?? "");
  return typeof raw === "string" ? raw : saved;
}

/** A checkbox's state: as just sent if this form was refused, else the saved one. */
export function shownTicked(state: FormState | null | undefined, key: string, field: string, saved: boolean): boolean {
  if (state?.key !== key) return saved;
  const raw = state.values[field];
  return typeof raw === "string" ? ["on", "true", "1"].includes(raw) : Array.isArray(raw) ? raw.length > 0 : false;
}

export function shownMany(state: FormState | null | undefined, key: string, field: string, saved: string[]): string[] {
  if (state?.key !== key) return saved;
  const raw = state.values[field];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

export function errorFor(state: FormState | null | undefined, key: string, field: string): string | undefined {
  return state?.key === key ? state.errors[field] : undefined;
}
