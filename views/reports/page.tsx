import { AdminShell } from "../admin/shell";
import { periodLabel } from "../../src/reports/period";
import { REPORT_KINDS, type Figure, type Report, type Section } from "../../src/reports/model";
import { isMoney } from "../../src/reports/tables";
import { BarChart } from "./chart";
import { formatCell, TableView } from "./table";

export const reportPath = (kind: string) => (kind === "sales" ? "/admin/reports" : `/admin/reports/${kind}`);
const query = (r: { period: { from: string; to: string } }) => `from=${r.period.from}&to=${r.period.to}`;
export const csvPath = (r: Report, table: string) => `/admin/reports/${r.kind}/csv?${query(r)}&table=${encodeURIComponent(table)}`;

/** "+12%", "−5%", "new" (nothing a week before) or "" (nothing either week). */
export function change(f: Figure): string {
  const n = (c: Figure["value"]) => (isMoney(c) ? c.cents : typeof c === "number" ? c : 0);
  const now = n(f.value), before = n(f.before);
  if (before === 0) return now === 0 ? "" : "new";
  const pct = Math.round(((now - before) / Math.abs(before)) * 100);
  return pct === 0 ? "same" : `${pct > 0 ? "+" : "−"}${Math.abs(pct)}%`;
}

const HEADLINE = ["Net sales", "Orders", "Guests", "Average check", "Discounts", "Voided after sending"];

function Figures({ figures, report }: { figures: Figure[]; report: Report }) {
  return (
    <dl class="figures">
      {HEADLINE.map((label) => figures.find((f) => f.label === label)).filter((f): f is Figure => !!f).map((f) => (
        <div class="figure">
          <dt safe>{f.label}</dt>
          <dd class="value" safe>{formatCell(f.value, report.currency)}</dd>
          <dd class="before"><span safe>{`${change(f)}`}</span> <span class="muted" safe>{`before: ${formatCell(f.before, report.currency)}`}</span></dd>
        </div>
      ))}
    </dl>
  );
}

export function SectionView({ section, report, csv = true }: { section: Section; report: Report; csv?: boolean }) {
  return (
    <section class="report-section stack" aria-labelledby={`s-${section.key}`}>
      <h2 id={`s-${section.key}`} safe>{section.title}</h2>
      {section.pending ? <p class="pending" role="note" safe>{section.pending}</p> : ""}
      {section.figures ? <Figures figures={section.figures} report={report} /> : ""}
      {(section.charts ?? []).map((c) => <BarChart chart={c} currency={report.currency} />)}
      {section.tables.map((t) => <TableView table={t} currency={report.currency} csvHref={csv ? csvPath(report, t.key) : undefined} />)}
    </section>
  );
}

export function ReportPage(p: {
  nonce: string; restaurantName: string; userName: string; kind: string; from: string; to: string;
  report: Report | null; error?: { field: string; message: string } | null; quick: { label: string; from: string; to: string }[];
}) {
  const action = reportPath(p.kind);
  return (
    <AdminShell nonce={p.nonce} title="Reports" section="reports" restaurantName={p.restaurantName} userName={p.userName}>
      <link rel="stylesheet" href="/public/css/reports.css" />
      <nav class="report-tabs" aria-label="Reports">
        {REPORT_KINDS.map((k) => <a href={`${reportPath(k.kind)}?from=${p.from}&to=${p.to}`} aria-current={k.kind === p.kind ? "page" : undefined} safe>{k.label}</a>)}
      </nav>
      <form class="period" method="get" action={action}>
        <label>From<input type="date" name="from" value={p.from} required aria-invalid={p.error?.field === "from" ? "true" : undefined} /></label>
        <label>To<input type="date" name="to" value={p.to} required aria-invalid={p.error?.field === "to" ? "true" : undefined} /></label>
        <button class="btn primary" type="submit">Show</button>
        <span class="quick">{p.quick.map((q) => <a class="btn small" href={`${action}?from=${q.from}&to=${q.to}`} safe>{q.label}</a>)}</span>
      </form>
      {p.error ? <p class="flash error" role="alert" safe>{p.error.message}</p> : ""}
      {p.report ? (
        <>
          <p class="muted period-label">
            <strong safe>{periodLabel(p.report.period)}</strong>
            <span safe>{` · business day from ${String(p.report.dayStartsAtHour).padStart(2, "0")}:00 (${p.report.timeZone}) · compared with ${periodLabel(p.report.compare)}`}</span>
          </p>
          {p.report.sections.map((s) => <SectionView section={s} report={p.report!} />)}
        </>
      ) : ""}
    </AdminShell>
  );
}
