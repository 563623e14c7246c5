import { and, desc, eq, inArray } from "drizzle-orm";
import { orders } from "../db/schema";
import type { Tx } from "../db/tenant";
import type { OrderRow } from "../orders/queries";

/** Every order in the given statuses, newest first: open orders are a shift's worth, never history. */
export async function listAllOrders(tx: Tx, restaurantId: string, statuses: OrderRow["status"][]) {
  return tx.select().from(orders).where(and(eq(orders.restaurantId, restaurantId), inArray(orders.status, statuses)))
    .orderBy(desc(orders.createdAt), desc(orders.id));
}
