import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { badRequest, HttpError } from "../http/errors";
import { wantsJson } from "../http/request-context";
import { businessDate } from "../orders/service";
import { addDays, parsePeriod } from "./period";
import { findTable, loadReport } from "./service";
import { REPORT_KINDS, type ReportKind, type ReportRestaurant } from "./model";
import { tableCsv } from "./tables";
import { clock } from "./clock";
import type { Restaurant } from "../auth/service";
import { ReportPage } from "../../views/reports/page";
import { EndOfDayPage, type Paper } from "../../views/reports/end-of-day";

const PERIOD_QUERY = t.Object({
  from: t.Optional(t.String({ maxLength: 20 })), to: t.Optional(t.String({ maxLength: 20 })),
  paper: t.Optional(t.String({ maxLength: 10 })), table: t.Optional(t.String({ maxLength: 40 })),
});

const settings = (r: Restaurant): ReportRestaurant => ({
  id: r.id, name: r.name, timeZone: r.timeZone, currency: r.currency, dayStartsAtHour: r.dayStartsAtHour, ageThresholds: r.ageThresholds,
});

/** Today, yesterday, the last 7 and 30 business days, ending with the one now running. */
function quickPeriods(r: Restaurant) {
  const today = businessDate(new Date(), r.timeZone, r.dayStartsAtHour);
  return [
    { label: "Today", from: today, to: today }, { label: "Yesterday", from: addDays(today, -1), to: addDays(today, -1) },
    { label: "Last 7 days", from: addDays(today, -6), to: today }, { label: "Last 30 days", from: addDays(today, -29), to: today },
  ];
}

/** Admin reports: read-only, managers and owners, each for the caller's own restaurant only. */
export function reportRoutes(ctx: AppContext) {
  // Reports read the replica when there is one (REPORTS_DATABASE_URL), the primary otherwise. Who is asking
  // was resolved on the primary; the replica only serves the figures, as the tenant role with its RLS.
  const db = (ctx.reportsDatabase ?? ctx.database).db;

  async function page(kind: ReportKind, c: { principal: { restaurant: Restaurant; user: { name: string } | null }; nonce: string; query: { from?: string; to?: string; paper?: string }; request: Request; set: { status?: number | string; headers: Record<string, string | number> } }) {
    const r = c.principal.restaurant;
    const frame = { nonce: c.nonce, restaurantName: r.name, userName: c.principal.user?.name ?? "", kind, quick: quickPeriods(r) };
    let period;
    try {
      period = parsePeriod(c.query, r);
    } catch (error) {
      if (!(error instanceof HttpError) || wantsJson(c.request)) throw error;
      // The form shows what was typed and says what is wrong with it, with nothing read.
      c.set.status = error.status;
      return ReportPage({ ...frame, from: c.query.from ?? "", to: c.query.to ?? "", report: null, error: { field: error.field ?? "", message: error.message } });
    }
    const report = await loadReport(db, settings(r), kind, period);
    if (wantsJson(c.request)) return report;
    if (kind === "end-of-day") {
      const paper: Paper = c.query.paper === "80mm" ? "80mm" : "a4";
      return EndOfDayPage({ nonce: c.nonce, restaurantName: r.name, userName: c.principal.user?.name ?? "", report, paper, printedAt: clock(Date.now(), r.timeZone, true) });
    }
    return ReportPage({ ...frame, from: period.from, to: period.to, report });
  }

  return new Elysia({ name: "report-routes" })
    .use(authPlugin(ctx))
    .get("/admin/reports", (c) => page("sales", c), { need: "reports.view", query: PERIOD_QUERY })
    .get("/admin/reports/items", (c) => page("items", c), { need: "reports.view", query: PERIOD_QUERY })
    .get("/admin/reports/kitchen", (c) => page("kitchen", c), { need: "reports.view", query: PERIOD_QUERY })
    .get("/admin/reports/staff", (c) => page("staff", c), { need: "reports.view", query: PERIOD_QUERY })
    .get("/admin/reports/end-of-day", (c) => page("end-of-day", c), { need: "reports.view", query: PERIOD_QUERY })
    .get("/admin/reports/:kind/csv", async ({ principal, params, query, set }) => {
      const kind = REPORT_KINDS.find((k) => k.kind === params.kind)?.kind;
      if (!kind) throw badRequest(`There is no report "${params.kind}"`, "kind");
      if (!query.table) throw badRequest("Say which table to export", "table");
      const r = principal.restaurant;
      const period = parsePeriod(query, r);
      const report = await loadReport(db, settings(r), kind, period);
      const table = findTable(report, query.table);
      set.headers["content-type"] = "text/csv; charset=utf-8";
      set.headers["content-disposition"] = `attachment; filename="${r.slug}-${kind}-${table.key}-${period.from}_${period.to}.csv"`;
      set.headers["cache-control"] = "no-store";
      return tableCsv(table, r.currency);
    }, { need: "reports.view", query: PERIOD_QUERY, params: t.Object({ kind: t.String({ maxLength: 20 }) }) });
}
