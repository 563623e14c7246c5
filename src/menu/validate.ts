import { HttpError } from "../http/errors";
import { normalizeText, textProblem } from "../text";

/** Messages keyed by the form field (or CSV column) they belong to. */
export type FieldErrors = Record<string, string>;

/**
 * A refusal that names every field at fault, so a form can show each message next to its input.
 * The first one doubles as the JSON problem's message and field.
 */
export class InvalidInput extends HttpError {
  constructor(readonly fields: FieldErrors, status = 422) {
    const [field, message] = Object.entries(fields)[0] ?? ["", "The input is not valid"];
    super(status, status === 409 ? "conflict" : "invalid", message, field || undefined);
  }
}

export const NAME_MAX = 120;
export const KITCHEN_NAME_MAX = 40;
export const DESCRIPTION_MAX = 500;

/** A trimmed, required one-line name of at most `max` characters (the one text rule, src/text.ts). */
export function checkName(raw: unknown, label = "Name", max = NAME_MAX): { value: string; error?: string } {
  const value = normalizeText(raw);
  if (!value) return { value, error: `${label} cannot be empty` };
  return { value, error: textProblem(value, { label, max }) ?? undefined };
}

/** A trimmed optional text; empty is allowed. */
export function checkText(raw: unknown, label: string, max: number, multiline = false): { value: string; error?: string } {
  const value = normalizeText(raw);
  return { value, error: textProblem(value, { label, max, multiline }) ?? undefined };
}

/** A whole number in [min, max]. */
export function checkInt(raw: unknown, label: string, min: number, max: number): { value: number; error?: string } {
  const text = typeof raw === "string" ? raw.trim() : typeof raw === "number" ? String(raw) : "";
  if (!/^\d{1,4}$/.test(text)) return { value: NaN, error: `${label} must be a whole number from ${min} to ${max}` };
  const value = Number(text);
  if (value < min || value > max) return { value, error: `${label} must be a whole number from ${min} to ${max}` };
  return { value };
}

/** An HTML checkbox: present ("on") when ticked, absent when not. CSV uses yes/no. */
export function isTicked(raw: unknown): boolean {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return typeof value === "string" && ["on", "true", "1", "yes", "y"].includes(value.trim().toLowerCase());
}

/** A form field that may be sent several times (checkboxes with one name) as a list of strings. */
export function manyValues(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === "") return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string" && v !== "");
}

/** The last value of a field that should be sent once. */
export function oneValue(raw: unknown): string {
  if (Array.isArray(raw)) return oneValue(raw[raw.length - 1]);
  return typeof raw === "string" ? raw : "";
}
