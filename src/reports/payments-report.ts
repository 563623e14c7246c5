import { sql } from "drizzle-orm";
import type { Tx } from "../db/tenant";
import { clock } from "./clock";
import type { Section } from "./model";
import { money, type ReportTable } from "./tables";
import { ms, ordersInPeriod, rows, windowEnd, windowStart, type Scope } from "./scope";

/*
 * PAYMENTS: tenders, tips, refunds, cash drawers and comps (issue 15 point 3), read from the payments
 * feature's rows (src/payments/, drizzle/0009_payments.sql). Raw SQL, like the other report queries:
 * one statement per table, aggregated in Postgres.
 */

/** Payments count on the business day of their order, like every other sales figure. */
const COUNTED = sql.raw(`p.status in ('completed', 'partly_refunded', 'refunded')`);

export async function paymentsSection(tx: Tx, s: Scope): Promise<Section> {
  const multiDay = s.period.from !== s.period.to;
  const [tenders, tips, refunds, drawers, comps] = await Promise.all([
    rows<{ tender: string; payments: number; amount: number; tips: number; refunded: number }>(tx, sql`
      select p.tender as "tender", count(*)::int as "payments", sum(p.amount_cents)::float8 as "amount", sum(p.tip_cents)::float8 as "tips",
        sum(p.refunded_cents)::float8 as "refunded"
      from orders o join payments p on p.restaurant_id = o.restaurant_id and p.order_id = o.id
      where ${ordersInPeriod(s)} and ${COUNTED} group by 1 order by 1`),
    rows<{ name: string | null; payments: number; tips: number }>(tx, sql`
      select max(u.name) as "name", count(*)::int as "payments", sum(p.tip_cents)::float8 as "tips"
      from orders o join payments p on p.restaurant_id = o.restaurant_id and p.order_id = o.id left join users u on u.id = p.server_user_id
      where ${ordersInPeriod(s)} and ${COUNTED} and p.tip_cents > 0 group by p.server_user_id order by 3 desc`),
    rows<{ at: number; number: number | null; tender: string; cents: number; reason: string; by: string | null }>(tx, sql`
      select ${ms("r.created_at")} as "at", o.number as "number", p.tender as "tender", r.amount_cents::float8 as "cents", r.reason as "reason", u.name as "by"
      from payment_refunds r join payments p on p.restaurant_id = r.restaurant_id and p.id = r.payment_id
        left join orders o on o.restaurant_id = r.restaurant_id and o.id = r.order_id left join users u on u.id = r.by_user
      where r.restaurant_id = ${s.restaurantId} and r.created_at >= (${windowStart(s)}) and r.created_at < (${windowEnd(s)})
      order by r.created_at`),
    rows<{ device: string | null; openedBy: string | null; openedAt: number; closedAt: number | null; float: number; expected: number | null; counted: number | null; overShort: number | null }>(tx, sql`
      select d.name as "device", u.name as "openedBy", ${ms("c.opened_at")} as "openedAt", ${ms("c.closed_at")} as "closedAt",
        c.float_cents::float8 as "float", c.expected_cents::float8 as "expected", c.counted_cents::float8 as "counted", c.over_short_cents::float8 as "overShort"
      from cash_drawers c left join devices d on d.restaurant_id = c.restaurant_id and d.id = c.device_id left join users u on u.id = c.opened_by
      where c.restaurant_id = ${s.restaurantId} and c.opened_at >= (${windowStart(s)}) and c.opened_at < (${windowEnd(s)})
      order by c.opened_at`),
    rows<{ lines: number; cents: number }>(tx, sql`
      select count(*)::int as "lines", coalesce(sum(i.line_total_cents), 0)::float8 as "cents"
      from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id
      where ${ordersInPeriod(s)} and o.status <> 'cancelled' and i.comped_at is not null and i.voided_at is null`),
  ]);
  const t = (at: number | null) => (at === null ? "open" : clock(at, s.timeZone, multiDay));
  const tables: ReportTable[] = [
    { key: "tenders", title: "By tender", columns: ["Tender", "Payments", "Amount", "Tips", "Refunded"], empty: "No payments.",
      rows: tenders.map((r) => [r.tender, r.payments, money(r.amount), money(r.tips), money(r.refunded)]) },
    { key: "tips", title: "Tips by staff member", columns: ["Server", "Payments with a tip", "Tips"], empty: "No tips.",
      rows: tips.map((r) => [r.name ?? "Nobody named", r.payments, money(r.tips)]) },
    { key: "refunds", title: "Refunds", columns: ["When", "Order", "Tender", "Amount", "Reason", "By"], empty: "No refunds.",
      rows: refunds.map((r) => [clock(r.at, s.timeZone, multiDay), r.number === null ? "" : `#${r.number}`, r.tender, money(r.cents), r.reason, r.by ?? ""]) },
    { key: "drawers", title: "Cash drawers", columns: ["Till", "Opened by", "Opened", "Closed", "Float", "Expected", "Counted", "Over / short"], empty: "No drawer sessions.",
      rows: drawers.map((d) => [d.device ?? "", d.openedBy ?? "", t(d.openedAt), t(d.closedAt), money(d.float),
        d.expected === null ? null : money(d.expected), d.counted === null ? null : money(d.counted), d.overShort === null ? null : money(d.overShort)]) },
  ];
  if (comps[0]) tables.push({ key: "comps", title: "Comps", columns: ["Lines comped", "Value"], rows: [[comps[0].lines, money(comps[0].cents)]] });
  return { key: "payments", title: "Payments", tables };
}
