/**
 * RFC 4180 CSV, both ways. Quoted fields may hold commas, quotes ("") and line breaks; CRLF and LF
 * both end a record. Plain functions over strings: no streaming, since an import is at most a few MB.
 */

export type CsvRecord = { row: number; cells: string[] };

export class CsvSyntaxError extends Error {
  constructor(readonly row: number, message: string) {
    super(message);
  }
}

/** Records with their 1-based row number (the header is row 1), as a spreadsheet would count them. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let row = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ row, cells });
    cells = [];
    cell = "";
    row++;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === "") { quoted = true; i++; continue; }
    if (ch === ",") { cells.push(cell); cell = ""; i++; continue; }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      continue;
    }
    cell += ch;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(row, "a quoted value is opened but never closed");
  if (cell !== "" || cells.length > 0) endRecord();
  return records;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
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
