import { and, asc, eq, inArray } from "drizzle-orm";
import { orders } from "../db/schema";
import type { Tx } from "../db/tenant";
import type { OrderRow } from "../orders/queries";

/**
 * Orders in the given statuses, oldest first (expo and the ready board). Every one of them: a cap of
 * 200 cut the pass short on a busy night (issue 18), and open orders are bounded by the night itself.
 */
export async function ordersByStatusOldestFirst(tx: Tx, restaurantId: string, statuses: OrderRow["status"][]) {
  return tx.select().from(orders).where(and(eq(orders.restaurantId, restaurantId), inArray(orders.status, statuses)))
    .orderBy(asc(orders.createdAt), asc(orders.id));
}
