import { sql } from "drizzle-orm";
import type { Tx } from "../db/tenant";
import { ms, ordersInPeriod, rows, windowEnd, windowStart, type Scope } from "./scope";

/**
 * A ticket is what one station saw of one firing of an order: the lines of (order, fire round) routed
 * there. Its time runs from the firing to the last bump of those lines; voided lines do not count.
 */
const TICKETS = (s: Scope) => sql`
  select st.station_id, i.order_id, i.fire_round, min(i.fired_at) as fired, max(st.bumped_at) as bumped,
    bool_and(st.status = 'ready') as done, min(o.number) as number
  from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id
    join order_item_stations st on st.restaurant_id = i.restaurant_id and st.order_item_id = i.id
  where ${ordersInPeriod(s)} and i.fired_at is not null and i.voided_at is null
    -- a cancelled order's ticket the kitchen never bumped is not kitchen work to time
    and not (o.status = 'cancelled' and st.status <> 'ready')
  group by st.station_id, i.order_id, i.fire_round`;

/** station null: every station together; hour null: the whole period. */
export type TicketStatRow = {
  stationId: string | null; station: string | null; hour: number | null; tickets: number; done: number;
  p50: number | null; p90: number | null; max: number | null; late: number;
};

export async function ticketStats(tx: Tx, s: Scope, lateMinutes: number): Promise<TicketStatRow[]> {
  return rows<TicketStatRow>(tx, sql`
    with t as (${TICKETS(s)}),
    timed as (
      select t.*, extract(hour from t.fired at time zone ${s.timeZone})::int as hour,
        case when t.done then extract(epoch from t.bumped - t.fired)::float8 end as secs
      from t)
    select timed.station_id as "stationId", max(sn.name) as "station", hour as "hour", count(*)::int as "tickets",
      count(secs)::int as "done",
      percentile_cont(0.5) within group (order by secs)::float8 as "p50",
      percentile_cont(0.9) within group (order by secs)::float8 as "p90",
      max(secs)::float8 as "max", count(*) filter (where secs > ${lateMinutes * 60}::float8)::int as "late"
    from timed left join stations sn on sn.restaurant_id = ${s.restaurantId} and sn.id = timed.station_id
    group by grouping sets ((timed.station_id, hour), (timed.station_id), (hour), ())
    order by 1 nulls first, 3 nulls first`);
}

export type LateTicketRow = { number: number; station: string; fired: number; minutes: number };

export async function lateTickets(tx: Tx, s: Scope, lateMinutes: number, limit = 100): Promise<LateTicketRow[]> {
  return rows<LateTicketRow>(tx, sql`
    with t as (${TICKETS(s)})
    select t.number as "number", coalesce(sn.name, '') as "station", ${ms("t.fired")} as "fired",
      (extract(epoch from t.bumped - t.fired) / 60)::float8 as "minutes"
    from t left join stations sn on sn.restaurant_id = ${s.restaurantId} and sn.id = t.station_id
    where t.done and t.bumped - t.fired > make_interval(mins => ${lateMinutes}::int)
    order by t.bumped - t.fired desc limit ${limit}`);
}

export type SlowItemRow = { name: string; lines: number; p50: number; p90: number; max: number };

/** Items by their 90th percentile time at a station, slowest first. */
export async function slowestItems(tx: Tx, s: Scope, limit = 10): Promise<SlowItemRow[]> {
  return rows<SlowItemRow>(tx, sql`
    select i.name as "name", count(*)::int as "lines",
      percentile_cont(0.5) within group (order by extract(epoch from st.bumped_at - i.fired_at))::float8 as "p50",
      percentile_cont(0.9) within group (order by extract(epoch from st.bumped_at - i.fired_at))::float8 as "p90",
      max(extract(epoch from st.bumped_at - i.fired_at))::float8 as "max"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id
      join order_item_stations st on st.restaurant_id = i.restaurant_id and st.order_item_id = i.id
    where ${ordersInPeriod(s)} and i.fired_at is not null and i.voided_at is null and st.status = 'ready'
    group by i.name order by 4 desc, 1 limit ${limit}`);
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
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id
      left join users u on u.id = i.voided_by
    where ${ordersInPeriod(s)} and i.voided_at is not null and i.fired_at is not null
    order by i.voided_at`);
}
