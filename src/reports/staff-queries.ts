import { sql } from "drizzle-orm";
import type { Tx } from "../db/tenant";
import { ms, ordersInPeriod, rows, SOLD, windowEnd, windowStart, type Scope } from "./scope";

export type StaffSalesRow = { userId: string | null; name: string | null; orders: number; net: number; discounts: number; guests: number };

/** Orders and sales by who opened the order (null: API or a device with nobody signed on). */
export async function salesByStaff(tx: Tx, s: Scope): Promise<StaffSalesRow[]> {
  return rows<StaffSalesRow>(tx, sql`
    select o.created_by as "userId", max(u.name) as "name", count(*)::int as "orders",
      sum(o.total_cents - o.tax_cents)::float8 as "net", sum(o.discount_cents)::float8 as "discounts",
      coalesce(sum(o.guests), 0)::int as "guests"
    from orders o left join users u on u.id = o.created_by
    where ${ordersInPeriod(s)} and ${SOLD}
    group by o.created_by order by 4 desc`);
}

/**
 * Voids and discounts as the audit log tells them: who asked (the actor), who approved (for a void the
 * manager whose permission or PIN allowed it), the amount, and the reason. A void's amount is the
 * voided line's value; a discount's is the amount it took off.
 */
export type ExceptionRow = {
  at: number; action: string; number: number | null; item: string | null; cents: number; reason: string | null;
  askedBy: string | null; askedById: string | null; approvedBy: string | null; approvedById: string | null;
};

// The audit rows are read first (a materialised CTE) so the order and line ids are plain uuid columns:
// under row-level security Postgres will not use an index for a condition holding a non-leakproof
// expression like (data->>'lineId')::uuid, and hashed or scanned every order and line of the restaurant
// instead (390 ms, then 13 s, for 40 audit rows on 300,000 orders; load-test/reports.ts).
export async function voidsAndDiscounts(tx: Tx, s: Scope): Promise<ExceptionRow[]> {
  return rows<ExceptionRow>(tx, sql`
    with a as materialized (
      select a.id, a.created_at, a.action, a.actor_user_id, a.data, (a.data->>'orderId')::uuid as order_id, (a.data->>'lineId')::uuid as line_id,
        case when a.action = 'order.discount' then a.actor_user_id else (a.data->>'approvedBy')::uuid end as approver_id
      from audit_log a
      where a.restaurant_id = ${s.restaurantId} and a.created_at >= (${windowStart(s)}) and a.created_at < (${windowEnd(s)})
        and a.action in ('order.void', 'order.void_override', 'order.discount'))
    select ${ms("a.created_at")} as "at", a.action as "action", coalesce((a.data->>'number')::int, o.number) as "number", a.data->>'item' as "item",
      (case when a.action = 'order.discount' then coalesce((a.data->>'cents')::int, 0) else coalesce(i.line_total_cents, 0) end)::float8 as "cents",
      a.data->>'reason' as "reason", asker.name as "askedBy", a.actor_user_id::text as "askedById",
      approver.name as "approvedBy", a.approver_id::text as "approvedById"
    from a
      left join users asker on asker.id = a.actor_user_id
      left join users approver on approver.id = a.approver_id
      left join orders o on o.restaurant_id = ${s.restaurantId} and o.id = a.order_id
      left join order_items i on i.restaurant_id = ${s.restaurantId} and i.id = a.line_id
    order by a.created_at, a.id`);
}
