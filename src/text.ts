import { badRequest } from "./http/errors";

/**
 * The one rule for free text a person types (names, emails, tables, notes, reasons). Postgres refuses a
 * NUL byte in text outright (a 500 if it reaches a query), and tabs, escapes and other control
 * characters break tickets, CSV rows and log lines. Notes may span lines; nothing else invisible is kept.
 */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

export type TextRule = {
  /** How the message names the field to a person, e.g. "Name" or "The order note". */
  label: string;
  max: number;
  /** Newlines allowed (notes); every other rule is the same. */
  multiline?: boolean;
};

/** Trimmed, with Windows and old-Mac line ends made plain newlines. Anything but a string is empty. */
export function normalizeText(raw: unknown): string {
  return typeof raw === "string" ? raw.trim().replace(/\r\n?/g, "\n") : "";
}

/** What is wrong with an already normalized text, or null. Emptiness is the caller's rule. */
export function textProblem(value: string, rule: TextRule): string | null {
  if (value.length > rule.max) return `${rule.label} must be at most ${rule.max} characters (it has ${value.length})`;
  if ((rule.multiline ? CONTROL_BUT_NEWLINE : CONTROL).test(value)) {
    return rule.multiline ? `${rule.label} cannot contain tabs or control characters` : `${rule.label} must be one line of text, without tabs or control characters`;
  }
  return null;
}

/** An optional text: null when empty; a 400 naming `field` when it breaks the rule. */
export function optionalText(raw: unknown, field: string, rule: TextRule): string | null {
  const value = normalizeText(raw);
  const problem = textProblem(value, rule);
  if (problem) throw badRequest(problem, field);
  return value || null;
}

/** A required text: a 400 naming `field` when it is empty or breaks the rule. */
export function requiredText(raw: unknown, field: string, rule: TextRule & { empty: string }): string {
  const value = optionalText(raw, field, rule);
  if (!value) throw badRequest(rule.empty, field);
  return value;
}
