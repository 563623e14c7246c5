import { CsvError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

/**
 * RFC 4180 CSV, both ways, through csv-parse / csv-stringify (kept libraries with the quoting edge cases
 * tested far beyond ours). Quoted fields may hold commas, quotes ("") and line breaks; CRLF and LF both
 * end a record. Whole strings, no streaming: an import is at most a few MB.
 */

export type CsvRecord = { row: number; cells: string[] };

export class CsvSyntaxError extends Error {
  constructor(readonly row: number, message: string) {
    super(message);
  }
}

/** Records with their 1-based row number (the header is row 1), as a spreadsheet would count them. */
export function parseCsv(text: string): CsvRecord[] {
  try {
    // relax_column_count: the import names a missing or extra cell itself, by row and column.
    // relax_quotes: a quote inside an unquoted value (5" pizza) is a character, as spreadsheets write it.
    const rows: string[][] = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, record_delimiter: ["\r\n", "\n", "\r"] });
    return rows.map((cells, i) => ({ row: i + 1, cells }));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const row = Number((error as CsvError & { records?: number }).records ?? 0) + 1;
    const message = error.code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted value is opened but never closed" : error.message;
    throw new CsvSyntaxError(row, message);
  }
}

export function toCsv(rows: string[][]): string {
  // quoted_match: leading or trailing spaces (a spreadsheet would trim them) and a lone LF or CR (csv-stringify
  // quotes only the record delimiter itself, CRLF) are quoted too.
  return stringify(rows, { record_delimiter: "\r\n", quoted_match: /^\s|\s$|[\r\n]/ });
}

// Spreadsheets run a cell starting with one of these as a formula ("CSV injection"), so free text
// gets a leading apostrophe on export, which spreadsheets hide and our import removes again.
const FORMULA_START = /^[=+\-@\t\r]/;

export function protectText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unprotectText(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
