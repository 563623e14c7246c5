import { badRequest } from "../http/errors";
import { businessDate } from "../orders/service";

/**
 * A report covers whole business days, from `from` to `to` inclusive (local dates, YYYY-MM-DD). A
 * business day starts at the restaurant's dayStartsAtHour, so its clock window is computed by Postgres
 * from the local date and hour in the restaurant's time zone: 23 or 25 hours long across a DST change.
 */
export type Period = { from: string; to: string };

/** The longest range one report reads: a year, so a typo like 2062 cannot scan all history. */
export const MAX_DAYS = 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(raw: string, field: "from" | "to"): string {
  const m = DATE.exec(raw.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  // Date.UTC rolls 2026-02-30 over to March: a real date reads back as itself.
  if (!m || !d || d.toISOString().slice(0, 10) !== raw.trim() || d.getUTCFullYear() < 2000 || d.getUTCFullYear() > 2100) {
    throw badRequest(`${field === "from" ? "From" : "To"} must be a date like 2026-11-29`, field);
  }
  return raw.trim();
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function dayCount(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The period a request asks for; with nothing asked, the business day now running (the one a manager closes). */
export function parsePeriod(query: { from?: string; to?: string }, restaurant: { timeZone: string; dayStartsAtHour: number }, now = new Date()): Period {
  const today = businessDate(now, restaurant.timeZone, restaurant.dayStartsAtHour);
  const from = query.from ? parseDate(query.from, "from") : query.to ? parseDate(query.to, "to") : today;
  const to = query.to ? parseDate(query.to, "to") : from;
  if (to < from) throw badRequest("To must be on or after From", "to");
  if (dayCount({ from, to }) > MAX_DAYS) throw badRequest(`A report covers at most ${MAX_DAYS} days`, "to");
  return { from, to };
}

/**
 * What every figure is compared with: the same weekdays a week earlier. A range longer than a week moves
 * back by whole weeks until it no longer overlaps itself (30 days: 35 days back), so weekdays still line up.
 */
export function weekBefore(p: Period): Period {
  const back = 7 * Math.ceil(dayCount(p) / 7);
  return { from: addDays(p.from, -back), to: addDays(p.to, -back) };
}

const WEEKDAY = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "Sun 29 Nov 2026" or "Mon 2 Nov 2026 – Sun 29 Nov 2026". */
export function periodLabel(p: Period): string {
  const one = (d: string) => WEEKDAY.format(new Date(`${d}T12:00:00Z`));
  return p.from === p.to ? one(p.from) : `${one(p.from)} – ${one(p.to)}`;
}
