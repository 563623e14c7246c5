import { COLUMNS_BY_TYPE, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, ROW_TYPES } from "../../../src/menu/csv-format";
import type { ImportProblem, ImportSummary } from "../../../src/menu/csv-service";
import { FlashMessage } from "./fields";
import type { Flash } from "./form-state";
import { MenuPage, type Frame } from "./page";

export const CSV_BOARD = "csv-board";
/** Enough to fix a file in a few rounds without a page of ten thousand lines. */
const PROBLEMS_SHOWN = 200;

export type CsvPageProps = { frame: Frame; flash?: Flash | null; problems?: ImportProblem[]; summary?: ImportSummary | null };

export function CsvPage(p: CsvPageProps) {
  return (
    <MenuPage frame={p.frame} title="Import and export" tab="csv">
      <CsvBoard {...p} />
    </MenuPage>
  );
}

export function CsvBoard(p: CsvPageProps) {
  const problems = p.problems ?? [];
  return (
    <section id={CSV_BOARD} class="stack">
      <FlashMessage flash={p.flash} />
      {p.summary ? <ImportDone summary={p.summary} /> : ""}
      {problems.length ? <ProblemTable problems={problems} /> : ""}
      <div class="card stack">
        <h2>Export</h2>
        <p class="muted">The whole menu as one CSV file: tax categories, categories, modifier groups and options, items with their stations and groups.</p>
        <p><a class="btn primary" href="/admin/menu/export.csv" download="menu.csv">Download menu.csv</a></p>
      </div>
      <form class="card stack" method="post" action="/admin/menu/import" enctype="multipart/form-data" x-data="csvPicker" hx-post="/admin/menu/import" hx-encoding="multipart/form-data" hx-target={`#${CSV_BOARD}`} hx-select={`#${CSV_BOARD}`} hx-swap="outerHTML">
        <h2>Import</h2>
        <p>
          Importing <strong>replaces the whole menu</strong> with the file's: things whose names match keep their place on POS screens, the rest is added or removed.
          The file is checked first; if anything is wrong, nothing changes and every problem is listed by row and column.
        </p>
        <div class="field">
          <label for="menu-file">CSV file (UTF-8)</label>
          <input id="menu-file" type="file" name="file" accept=".csv,text/csv" required x-on:change="picked" />
          <p class="hint muted" x-text="hint" safe>{`At most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows and ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`}</p>
        </div>
        <div><button type="submit" class="btn primary">Check and import</button></div>
      </form>
      <details class="card">
        <summary>File format</summary>
        <p>One row per thing; the <code>type</code> column says what it is. Lists inside one cell (an item's stations or groups) are separated by <code>|</code>. Yes/no columns take yes or no.</p>
        <table>
          <thead><tr><th scope="col">type</th><th scope="col">columns it uses</th></tr></thead>
          <tbody>
            {ROW_TYPES.map((type) => <tr><td><code>{type}</code></td><td><code safe>{COLUMNS_BY_TYPE[type].join(", ")}</code></td></tr>)}
          </tbody>
        </table>
        <p class="muted">Prices are in the restaurant's currency, like 12.95; an option's price is its price change and may be negative. Stations are named by their short name (slug).</p>
      </details>
    </section>
  );
}

function ImportDone({ summary }: { summary: ImportSummary }) {
  const r = summary.removed;
  return (
    <p class="flash ok" role="status" safe>
      {`Imported ${summary.categories} categories, ${summary.items} items, ${summary.groups} modifier groups with ${summary.options} options and ${summary.taxes} tax categories. `
        + `Removed ${r.categories} categories, ${r.items} items, ${r.groups} groups and ${r.options} options that were not in the file.`}
    </p>
  );
}

function ProblemTable({ problems }: { problems: ImportProblem[] }) {
  const shown = problems.slice(0, PROBLEMS_SHOWN);
  return (
    <div class="card stack import-problems" role="alert">
      <h2 safe>{`Nothing was imported: ${problems.length === 1 ? "1 problem" : `${problems.length.toLocaleString("en")} problems`} to fix`}</h2>
      <table>
        <thead><tr><th scope="col">Row</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
        <tbody>
          {shown.map((problem) => (
            <tr>
              <td safe>{problem.row === 0 ? "File" : String(problem.row)}</td>
              <td><code safe>{problem.column || "—"}</code></td>
              <td safe>{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {problems.length > shown.length ? <p class="muted" safe>{`…and ${(problems.length - shown.length).toLocaleString("en")} more.`}</p> : ""}
    </div>
  );
}
