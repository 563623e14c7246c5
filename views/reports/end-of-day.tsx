import { Layout } from "../layout";
import { periodLabel } from "../../src/reports/period";
import type { Report } from "../../src/reports/model";
import { formatCell, isNumeric } from "./table";
import { change } from "./page";

export type Paper = "a4" | "80mm";

/**
 * The end-of-day report: one printable page. Paper "80mm" lays it out for a receipt printer (a single
 * narrow column, named @page "receipt"); "a4" for an office printer. On screen it reads as a page too.
 */
export function EndOfDayPage(p: { nonce: string; restaurantName: string; userName: string; report: Report; paper: Paper; printedAt: string }) {
  const r = p.report;
  const link = (paper: Paper) => `/admin/reports/end-of-day?from=${r.period.from}&to=${r.period.to}&paper=${paper}`;
  return (
    <Layout title="End of day" nonce={p.nonce} screen="admin" alpine={false} head={<><link rel="stylesheet" href="/public/css/reports.css" /><script src="/public/js/print.js" nonce={p.nonce} defer></script></>}>
      <nav class="print-tools" aria-label="Print">
        <a href={`/admin/reports?from=${r.period.from}&to=${r.period.to}`}>← Reports</a>
        <a href={link("80mm")} aria-current={p.paper === "80mm" ? "page" : undefined}>80 mm</a>
        <a href={link("a4")} aria-current={p.paper === "a4" ? "page" : undefined}>A4</a>
        <button class="btn small primary" type="button" data-print>Print</button>
      </nav>
      <main class={`eod paper-${p.paper}`}>
        <header>
          <h1 safe>{p.restaurantName}</h1>
          <p><strong>End of day</strong> · <span safe>{periodLabel(r.period)}</span></p>
          <p class="small" safe>{`Printed ${p.printedAt} by ${p.userName} · compared with ${periodLabel(r.compare)}`}</p>
        </header>
        {r.sections.map((s) => (
          <section>
            <h2 safe>{s.title}</h2>
            {s.pending ? <p class="small" safe>{s.pending}</p> : ""}
            {s.tables.map((t) => (
              <>
                {t.key === "summary" ? "" : <h3 safe>{t.title}</h3>}
                {t.rows.length === 0 ? <p class="small" safe>{t.empty ?? "None."}</p> : t.key === "summary" && s.figures ? (
                  <table class="eod-figures">
                    <thead><tr><th></th><th scope="col" class="num">Today</th><th scope="col" class="num">Week before</th></tr></thead>
                    <tbody>{s.figures.map((f) => (
                      <tr><th scope="row" safe>{f.label}</th><td class="num" safe>{formatCell(f.value, r.currency)}</td><td class="num" safe>{`${formatCell(f.before, r.currency)} ${change(f)}`}</td></tr>
                    ))}</tbody>
                  </table>
                ) : (
                  <table class={t.columns.length > 4 ? "many" : undefined}>
                    <thead><tr>{t.columns.map((c, i) => <th scope="col" class={isNumeric(t, i) ? "num" : undefined} safe>{c}</th>)}</tr></thead>
                    <tbody>{t.rows.map((row) => <tr>{row.map((c, i) => <td class={typeof c === "string" || c === null ? undefined : "num"} data-label={t.columns[i]} safe>{formatCell(c, r.currency)}</td>)}</tr>)}</tbody>
                  </table>
                )}
              </>
            ))}
          </section>
        ))}
        <footer class="small">Signature ______________________</footer>
      </main>
    </Layout>
  );
}
