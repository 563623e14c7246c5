import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { badRequest } from "../http/errors";
import { weekBefore, type Period } from "./period";
import type { Report, ReportKind, ReportRestaurant, Section } from "./model";
import type { ReportTable } from "./tables";
import type { Scope } from "./scope";
import { salesSection } from "./sales-report";
import { itemsSection } from "./items-report";
import { kitchenSection } from "./kitchen-report";
import { staffSection } from "./staff-report";
import { paymentsSection } from "./payments-report";

/**
 * Reports read; they never write. Each report runs in one transaction as the tenant role (row-level
 * security applies like everywhere else), so every figure on a page comes from one snapshot.
 */
export async function loadReport(db: Db, restaurant: ReportRestaurant, kind: ReportKind, period: Period): Promise<Report> {
  const compare = weekBefore(period);
  const scope = (p: Period): Scope => ({ restaurantId: restaurant.id, timeZone: restaurant.timeZone, dayStartsAtHour: restaurant.dayStartsAtHour, period: p });
  const sections = await withTenant(db, restaurant.id, async (tx) => {
    // Statements inside transactions are named prepared statements (db/client.ts); after five runs Postgres
    // may switch to a generic plan that does not know the period's dates. A report's plan depends on how
    // many days it covers, so each is planned for its own parameters.
    await tx.execute(sql`select set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)`);
    return buildSections(tx, kind, scope(period), scope(compare), restaurant);
  });
  return { kind, period, compare, currency: restaurant.currency, timeZone: restaurant.timeZone, dayStartsAtHour: restaurant.dayStartsAtHour, sections };
}

/** The late threshold is the second of the restaurant's ticket ages (warn, late, critical): what the KDS shows as late. */
export function lateMinutesOf(restaurant: ReportRestaurant): number {
  return restaurant.ageThresholds[1] ?? 12;
}

async function buildSections(tx: Tx, kind: ReportKind, s: Scope, before: Scope, restaurant: ReportRestaurant): Promise<Section[]> {
  switch (kind) {
    case "sales": return [(await salesSection(tx, s, before)).section, await paymentsSection(tx, s)];
    case "items": return [await itemsSection(tx, s)];
    case "kitchen": return [await kitchenSection(tx, s, lateMinutesOf(restaurant))];
    case "staff": return [await staffSection(tx, s)];
    case "end-of-day": return endOfDay(tx, s, before);
  }
}

/** The page a manager prints when closing: the summary, tax, payments (tenders, drawers) and voids. */
async function endOfDay(tx: Tx, s: Scope, before: Scope): Promise<Section[]> {
  const sales = (await salesSection(tx, s, before)).section;
  const staff = await staffSection(tx, s);
  const payments = await paymentsSection(tx, s);
  const pick = (section: Section, keys: string[]) => section.tables.filter((t) => keys.includes(t.key));
  return [
    { key: "sales", title: "Sales", figures: sales.figures, tables: pick(sales, ["summary", "tax", "order-types", "channels"]) },
    { ...payments, tables: pick(payments, ["tenders", "drawers", "refunds", "comps"]) },
    { key: "exceptions", title: "Voids and discounts", tables: pick(staff, ["exceptions"]) },
  ];
}

/** One table of a report, for its CSV export. */
export function findTable(report: Report, key: string): ReportTable {
  const table = report.sections.flatMap((s) => s.tables).find((t) => t.key === key);
  if (!table) throw badRequest(`This report has no table "${key}"`, "table");
  return table;
}
