import { formatMoney } from "../../src/money";
import { isMoney, type Cell, type ReportTable } from "../../src/reports/tables";

export function formatCell(c: Cell, currency: string): string {
  if (c === null) return "—";
  if (isMoney(c)) return formatMoney(c.cents, currency);
  if (typeof c === "number") return c.toLocaleString("en");
  return c;
}

/** A column of numbers and money is right-aligned, header included, so figures line up under it. */
export function isNumeric(table: ReportTable, column: number): boolean {
  const first = table.rows.find((r) => r[column] !== null)?.[column];
  return first !== undefined && typeof first !== "string";
}

/**
 * One report table with its CSV link. On a phone each row becomes a small card (labels from data-label)
 * so the page never scrolls sideways.
 */
export function TableView({ table, currency, csvHref }: { table: ReportTable; currency: string; csvHref?: string }) {
  return (
    <section class="report-table" aria-labelledby={`t-${table.key}`}>
      <div class="report-table-head">
        <h3 id={`t-${table.key}`} safe>{table.title}</h3>
        {csvHref ? <a class="btn small" href={csvHref} download="">CSV</a> : ""}
      </div>
      {table.note ? <p class="muted" safe>{table.note}</p> : ""}
      {table.rows.length === 0 ? <p class="muted" safe>{table.empty ?? "Nothing to show."}</p> : (
        <div class="scroll"><table class="report">
          <thead><tr>{table.columns.map((c, i) => <th scope="col" class={isNumeric(table, i) ? "num" : undefined} safe>{c}</th>)}</tr></thead>
          <tbody>
            {table.rows.map((row) => (
              <tr>{row.map((c, i) => <td class={typeof c === "string" || c === null ? undefined : "num"} data-label={table.columns[i]} safe>{formatCell(c, currency)}</td>)}</tr>
            ))}
          </tbody>
        </table></div>
      )}
    </section>
  );
}
