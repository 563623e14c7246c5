import { sql } from "drizzle-orm";
import type { Tx } from "../db/tenant";
import { CHANNEL, linesInPeriod, ms, ordersInPeriod, rows, SOLD, windowEnd, windowStart, type Scope } from "./scope";

/** Sales and item queries. Sums come back as float8 so both drivers give numbers (exact far past any till). */

export type SalesTotals = {
  orders: number; gross: number; discounts: number; tax: number; total: number; guests: number; ordersWithGuests: number;
  cancelledOrders: number; cancelledCents: number; openOrders: number; openCents: number;
};

export async function salesTotals(tx: Tx, s: Scope): Promise<SalesTotals> {
  const [row] = await rows<SalesTotals>(tx, sql`
    select count(*) filter (where ${SOLD})::int as "orders",
      coalesce(sum(o.subtotal_cents) filter (where ${SOLD}), 0)::float8 as "gross",
      coalesce(sum(o.discount_cents) filter (where ${SOLD}), 0)::float8 as "discounts",
      coalesce(sum(o.tax_cents) filter (where ${SOLD}), 0)::float8 as "tax",
      coalesce(sum(o.total_cents) filter (where ${SOLD}), 0)::float8 as "total",
      coalesce(sum(o.guests) filter (where ${SOLD}), 0)::float8 as "guests",
      count(o.guests) filter (where ${SOLD})::int as "ordersWithGuests",
      count(*) filter (where o.status = 'cancelled')::int as "cancelledOrders",
      coalesce(sum(o.subtotal_cents) filter (where o.status = 'cancelled'), 0)::float8 as "cancelledCents",
      count(*) filter (where o.status = 'open')::int as "openOrders",
      coalesce(sum(o.total_cents) filter (where o.status = 'open'), 0)::float8 as "openCents"
    from orders o where ${ordersInPeriod(s)}`);
  return row!;
}

/** Lines voided after they were sent (unsent lines are simply removed), on orders that still count. */
export async function voidTotals(tx: Tx, s: Scope): Promise<{ lines: number; quantity: number; cents: number }> {
  const [row] = await rows<{ lines: number; quantity: number; cents: number }>(tx, sql`
    select count(*)::int as "lines", coalesce(sum(i.quantity), 0)::int as "quantity", coalesce(sum(i.line_total_cents), 0)::float8 as "cents"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
    where ${ordersInPeriod(s)} and o.status <> 'cancelled' and i.voided_at is not null`);
  return row!;
}

export type HourRow = { hour: number; orders: number; net: number };

/** Orders and net sales by the local hour the order was placed. */
export async function salesByHour(tx: Tx, s: Scope): Promise<HourRow[]> {
  return rows<HourRow>(tx, sql`
    select extract(hour from o.created_at at time zone ${s.timeZone})::int as "hour", count(*)::int as "orders",
      sum(o.total_cents - o.tax_cents)::float8 as "net"
    from orders o where ${ordersInPeriod(s)} and ${SOLD} group by 1 order by 1`);
}

export type MixRow = { type: string; channel: string; orders: number; net: number; guests: number };

export async function salesByTypeAndChannel(tx: Tx, s: Scope): Promise<MixRow[]> {
  return rows<MixRow>(tx, sql`
    select o.type::text as "type", ${CHANNEL} as "channel", count(*)::int as "orders",
      sum(o.total_cents - o.tax_cents)::float8 as "net", coalesce(sum(o.guests), 0)::int as "guests"
    from orders o where ${ordersInPeriod(s)} and ${SOLD} group by 1, 2 order by 1, 2`);
}

/**
 * Tax by rate for orders without a discount, exactly as the pricing module rounds it: once per rate per
 * order, half up. A price-inclusive order is one whose total is its subtotal less discount.
 */
export type TaxRow = { rate: number; inclusive: boolean; net: number; tax: number };

export async function taxByRateUndiscounted(tx: Tx, s: Scope): Promise<TaxRow[]> {
  return rows<TaxRow>(tx, sql`
    with per_order as (
      select i.tax_rate_bps as rate, (o.tax_cents > 0 and o.total_cents = o.subtotal_cents - o.discount_cents) as inclusive,
        sum(i.line_total_cents)::bigint as net
      from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
      where ${ordersInPeriod(s)} and ${SOLD} and o.discount_cents = 0 and i.voided_at is null
      group by o.id, 1, 2)
    select rate, inclusive, sum(net)::float8 as "net",
      sum(case when net <= 0 then 0 when inclusive then (2 * net * rate + 10000 + rate) / (2 * (10000 + rate))
        else (2 * net * rate + 10000) / 20000 end)::float8 as "tax"
    from per_order group by rate, inclusive order by rate`);
}

/** Every line of the discounted orders, in the order pricing sees them, so discount shares can be allocated exactly. */
export type DiscountedLine = {
  orderId: string; discount: number; inclusive: boolean; itemKey: string; rate: number; lineTotal: number; voided: boolean;
};

export async function discountedLines(tx: Tx, s: Scope): Promise<DiscountedLine[]> {
  return rows<DiscountedLine>(tx, sql`
    select o.id as "orderId", o.discount_cents as "discount",
      (o.tax_cents > 0 and o.total_cents = o.subtotal_cents - o.discount_cents) as "inclusive",
      coalesce(i.menu_item_id::text, 'name:' || i.name) as "itemKey", i.tax_rate_bps as "rate",
      i.line_total_cents as "lineTotal", (i.voided_at is not null) as "voided"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
    where ${ordersInPeriod(s)} and ${SOLD} and o.discount_cents > 0
    order by o.id, i.position, i.created_at`);
}

export type ItemRow = { itemKey: string; name: string; category: string; quantity: number; gross: number; voidedQuantity: number };

/** Quantity and sales by item (by menu item, named as the menu names it now; a deleted item by its snapshot name). */
export async function itemMix(tx: Tx, s: Scope): Promise<ItemRow[]> {
  return rows<ItemRow>(tx, sql`
    select coalesce(i.menu_item_id::text, 'name:' || i.name) as "itemKey",
      coalesce(max(m.name), max(i.name)) as "name", coalesce(max(c.name), 'Not on the menu now') as "category",
      coalesce(sum(i.quantity) filter (where i.voided_at is null), 0)::int as "quantity",
      coalesce(sum(i.line_total_cents) filter (where i.voided_at is null), 0)::float8 as "gross",
      coalesce(sum(i.quantity) filter (where i.voided_at is not null), 0)::int as "voidedQuantity"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
      left join menu_items m on m.restaurant_id = i.restaurant_id and m.id = i.menu_item_id
      left join menu_categories c on c.restaurant_id = m.restaurant_id and c.id = m.category_id
    where ${ordersInPeriod(s)} and ${SOLD}
    group by 1`);
}

export type ModifierRow = { group: string; name: string; count: number; cents: number };

/** How many times each option was chosen ("add bacon" x 14), counting the line's quantity. */
export async function modifierCounts(tx: Tx, s: Scope): Promise<ModifierRow[]> {
  return rows<ModifierRow>(tx, sql`
    select m->>'groupName' as "group", m->>'name' as "name", sum(i.quantity)::int as "count",
      sum(coalesce((m->>'priceDeltaCents')::int, 0) * i.quantity)::float8 as "cents"
    from orders o join order_items i on i.restaurant_id = o.restaurant_id and i.order_id = o.id and ${linesInPeriod(s)}
      cross join lateral jsonb_array_elements(i.modifiers) m
    where ${ordersInPeriod(s)} and ${SOLD} and i.voided_at is null
    group by 1, 2 order by 3 desc, 1, 2`);
}

export type AvailabilityRow = { at: number; kind: "item" | "option"; id: string; name: string; available: boolean; who: string | null };

/** How far back an 86 is looked for when the period starts with the item already out. */
const LOOKBACK_DAYS = 14;

/**
 * 86 and back-on events from the audit log (its time index serves the window; it also says who), from
 * two weeks before the period so an item already out when the day started is counted from the start.
 */
export async function availabilityChanges(tx: Tx, s: Scope): Promise<AvailabilityRow[]> {
  return rows<AvailabilityRow>(tx, sql`
    select ${ms("a.created_at")} as "at", split_part(a.action, '.', 2) as "kind",
      coalesce(a.data->>'itemId', a.data->>'optionId') as "id", coalesce(a.data->>'name', '') as "name",
      a.action like '%.available' as "available", u.name as "who"
    from audit_log a left join users u on u.id = a.actor_user_id
    where a.restaurant_id = ${s.restaurantId}
      and a.created_at >= (${windowStart(s)}) - make_interval(days => ${LOOKBACK_DAYS}::int) and a.created_at < (${windowEnd(s)})
      and a.action in ('menu.item.86', 'menu.item.available', 'menu.option.86', 'menu.option.available')
    order by a.created_at, a.id`);
}

/** The period's clock window as epoch milliseconds. */
export async function windowBounds(tx: Tx, s: Scope): Promise<{ start: number; end: number }> {
  const [row] = await rows<{ start: number; end: number }>(tx, sql`
    select (extract(epoch from ${windowStart(s)}) * 1000)::float8 as "start", (extract(epoch from ${windowEnd(s)}) * 1000)::float8 as "end"`);
  return row!;
}
