import { sql, type SQL } from "drizzle-orm";
import { rowsOf } from "../db/client";
import type { Tx } from "../db/tenant";
import type { Period } from "./period";

/** What every report query is about: one restaurant, its clock, and the business days asked for. */
export type Scope = { restaurantId: string; timeZone: string; dayStartsAtHour: number; period: Period };

/** The instant the first business day of the period starts (local date + start hour, in the restaurant's zone). */
export function windowStart(s: Scope): SQL {
  return sql`((${s.period.from}::date)::timestamp + make_interval(hours => ${s.dayStartsAtHour}::int)) at time zone ${s.timeZone}`;
}

/** The instant after the last business day of the period ends. */
export function windowEnd(s: Scope): SQL {
  return sql`((${s.period.to}::date + 1)::timestamp + make_interval(hours => ${s.dayStartsAtHour}::int)) at time zone ${s.timeZone}`;
}

/**
 * Orders belong to the business day stamped on them when they were placed (orders.business_date), so
 * a report reads them by that column: the (restaurant_id, business_date, number) index serves it.
 */
export function ordersInPeriod(s: Scope, alias = "o"): SQL {
  const o = sql.raw(alias);
  return sql`${o}.restaurant_id = ${s.restaurantId} and ${o}.business_date between ${s.period.from}::date and ${s.period.to}::date`;
}

/**
 * The lines of those orders, by the business day copied onto each line (drizzle/0012): with it a period's
 * lines come from an index range instead of a scan of every line the restaurant ever sold.
 */
export function linesInPeriod(s: Scope, alias = "i"): SQL {
  const i = sql.raw(alias);
  return sql`${i}.business_date between ${s.period.from}::date and ${s.period.to}::date`;
}

/** Sent orders count as sales; an open ticket never sent and a cancelled order do not. */
export const SOLD = sql.raw(`o.status not in ('open', 'cancelled')`);

/**
 * Where an order came from. There is no channel column yet: the kiosk marks its orders with type
 * kiosk, a person or a station device placed POS orders, and an order with neither came through
 * the API key. QR and voice show once those channels record themselves.
 */
export const CHANNEL = sql.raw(`case when o.type = 'kiosk' then 'kiosk' when o.created_by is not null or o.device_id is not null then 'pos' else 'api' end`);

export async function rows<T>(tx: Tx, query: SQL): Promise<T[]> {
  return rowsOf<T>(await tx.execute(query));
}

/** Epoch milliseconds as a plain number from either driver. */
export const ms = (expr: string) => sql.raw(`(extract(epoch from ${expr}) * 1000)::float8`);
