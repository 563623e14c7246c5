import { protectText, toCsv } from "../menu/csv";
import { priceInputValue } from "../money";

/**
 * One model for every table a report shows: the page renders it, the CSV export writes it, so the two
 * can never disagree. Money cells carry minor units and are formatted with the restaurant's currency.
 */
export type Money = { cents: number };
export type Cell = string | number | null | Money;
export type ReportTable = { key: string; title: string; columns: string[]; rows: Cell[][]; empty?: string; note?: string };

export const money = (cents: number): Money => ({ cents });
export const isMoney = (c: Cell): c is Money => typeof c === "object" && c !== null;

/** One decimal for minutes and shares: enough to tell 7.9 from 8.1 minutes, no more. */
export const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/**
 * RFC 4180 through csv-stringify (toCsv). Money is written as a plain number in major units (12.95) so a
 * spreadsheet can add it up; text is protected against formulas; numbers are numbers.
 */
export function tableCsv(table: ReportTable, currency: string): string {
  const cell = (c: Cell): string => (c === null ? "" : isMoney(c) ? priceInputValue(c.cents, currency) : typeof c === "number" ? String(c) : protectText(c));
  return toCsv([table.columns.map(protectText), ...table.rows.map((r) => r.map(cell))]);
}
