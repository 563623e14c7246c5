import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { forbidden } from "../http/errors";
import { allows } from "../auth/permissions";
import { moveOrder, viewsByIds, type OrderActor, type OrderView } from "../orders/service";
import * as q from "./queries";

/** The orders on the pass: sent to the kitchen and not yet served. */
export const PASS_STATUSES = ["sent", "preparing", "ready"] as const;

/** Expo and the ready board: every order between sent and ready, oldest first. */
export async function loadPassOrders(db: Db, restaurantId: string): Promise<OrderView[]> {
  return withTenant(db, restaurantId, async (tx) => viewsByIds(tx, restaurantId, (await q.ordersByStatusOldestFirst(tx, restaurantId, [...PASS_STATUSES])).map((o) => o.id)));
}

/**
 * Expo's "Served" / "Picked up": a ready order is completed. Its own permission (expo.serve, which a
 * pinless expo screen has), checked here exactly as the route states it.
 */
export async function serveOrder(db: Db, restaurantId: string, orderId: string, who: OrderActor) {
  if (!allows(who.actor, "expo.serve")) throw forbidden();
  return moveOrder(db, restaurantId, orderId, "completed", null, who, {});
}
