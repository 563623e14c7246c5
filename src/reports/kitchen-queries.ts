import { sql } from "drizzle-orm";
import type { Tx } from "../db/tenant";
import { linesInPeriod, ms, ordersInPeriod, rows, windowEnd, windowStart, type Scope } from "./scope";

/**
 * Every routed line of the period at each of its stations, one row each (about 25,000 for a busy month),
 * read once: tickets (what one station saw of one firing of an order, fired -> last bump) and the slowest
 * items are both computed from it, because each pass over a month's lines costs a scan of them (150-450 ms
 * for 300,000 orders of history, load-test/reports.ts). Voided lines do not count; nor does a cancelled
 * order's line the kitchen never bumped.
 */
export type KitchenLine = {
  stationId: string; station: string | null; orderId: string; number: number; round: number | null; name: string;
  hour: number; fired: number; bumped: number | null; ready: boolean;
};

export async function kitchenLines(tx: Tx, s: Scope): Promise<KitchenLine[]> {
  return rows<KitchenLine>(tx, sql`
    select st.station_id as "stationId", sn.name as "station", i.order_id as "orderId", o.number as "number", i.fire_round as "round",
      i.name as "name", extract(hour from i.fired_at at time zone ${s.timeZone})::int as "hour", ${ms("i.fired_at")} as "fired",
      ${ms("st.bumped_at")} as "bumped", st.status = 'ready' as "ready"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
      join order_item_stations st on st.restaurant_id = i.restaurant_id and st.order_item_id = i.id
      left join stations sn on sn.restaurant_id = st.restaurant_id and sn.id = st.station_id
    where ${ordersInPeriod(s)} and i.fired_at is not null and i.voided_at is null
      and not (o.status = 'cancelled' and st.status <> 'ready')`);
}

export type RecallRow = { stationId: string | null; station: string; recalls: number };

/** Recalls from the audit log: a station's recall of a bumped ticket, or expo's recall of an order. */
export async function recalls(tx: Tx, s: Scope): Promise<RecallRow[]> {
  return rows<RecallRow>(tx, sql`
    select a.data->>'stationId' as "stationId",
      case when a.action = 'order.recall' then 'Expo (whole order)' else coalesce(max(sn.name), 'Station removed') end as "station",
      count(*)::int as "recalls"
    from audit_log a left join stations sn on sn.restaurant_id = a.restaurant_id and sn.id = (a.data->>'stationId')::uuid
    where a.restaurant_id = ${s.restaurantId} and a.created_at >= (${windowStart(s)}) and a.created_at < (${windowEnd(s)})
      and a.action in ('kitchen.recall', 'order.recall')
    group by a.data->>'stationId', a.action order by 3 desc`);
}

export type FiredVoidRow = { at: number; number: number; item: string; quantity: number; cents: number; reason: string | null; approvedBy: string | null };

/** Lines voided after they went to the kitchen: food that may have been cooked for nothing. */
export async function voidsAfterFiring(tx: Tx, s: Scope): Promise<FiredVoidRow[]> {
  return rows<FiredVoidRow>(tx, sql`
    select ${ms("i.voided_at")} as "at", o.number as "number", i.name as "item", i.quantity as "quantity",
      i.line_total_cents::float8 as "cents", i.void_reason as "reason", u.name as "approvedBy"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
      left join users u on u.id = i.voided_by
    where ${ordersInPeriod(s)} and i.voided_at is not null and i.fired_at is not null
    order by i.voided_at`);
}
