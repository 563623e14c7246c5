import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { tenantPoolOf } from "./tenant-pool";

/** A transaction handle; query functions take it together with the restaurant they serve. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Runs fn in one transaction as the non-owner role ros_app with app.restaurant_id set, so row-level
 * security confines every statement to this restaurant even if a query forgets its own filter.
 * Both settings are transaction-local and vanish at commit or rollback.
 */
export async function withTenant<T>(db: Db, restaurantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // On Postgres the tenant pool is already logged in as ros_app (so RESET ROLE cannot reach the owner);
  // setting the role again there is a no-op, and on PGlite it is the wall.
  return (tenantPoolOf(db) ?? db).transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'ros_app', true), set_config('app.restaurant_id', ${restaurantId}, true)`);
    return fn(tx);
  });
}

/**
 * Owner privileges, across restaurants. Only for what must happen before a restaurant is known
 * (sign-in, resolving a device or API key), the CLI, and the realtime listener's own bookkeeping.
 */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
