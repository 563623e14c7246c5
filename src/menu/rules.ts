import type { FieldErrors } from "./validate";

/** The most options one group may have: a POS button grid beyond this is unusable anyway. */
export const MAX_OPTIONS_PER_GROUP = 50;

export type GroupShape = { required: boolean; minSelect: number; maxSelect: number; optionCount: number; defaultCount: number };

/**
 * The selection rules a modifier group must satisfy, keyed by the field to blame (required, minSelect,
 * maxSelect, options). Shared by the forms and the CSV import so both refuse the same things.
 */
export function groupRuleErrors(g: GroupShape): FieldErrors {
  const errors: FieldErrors = {};
  if (g.minSelect > g.maxSelect) errors.minSelect = `Minimum (${g.minSelect}) cannot be more than maximum (${g.maxSelect})`;
  else if (g.required && g.minSelect < 1) errors.minSelect = "A required group needs a minimum of at least 1";
  else if (!g.required && g.minSelect > 0) errors.required = `A minimum of ${g.minSelect} makes the group required: tick Required, or set the minimum to 0`;
  if (g.required && g.optionCount === 0) errors.options = "A required group needs at least one option";
  else if (g.optionCount > 0 && g.maxSelect > g.optionCount) {
    errors.maxSelect = `Maximum (${g.maxSelect}) cannot be more than the number of options (${g.optionCount})`;
  }
  if (g.optionCount > MAX_OPTIONS_PER_GROUP) errors.options = `A group can have at most ${MAX_OPTIONS_PER_GROUP} options`;
  if (g.defaultCount > g.maxSelect) errors.options ??= `At most ${g.maxSelect} option${g.maxSelect === 1 ? "" : "s"} can be preselected (default), not ${g.defaultCount}`;
  return errors;
}
