import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { orderItems, orderItemStations, orders, restaurants } from "../db/schema";
import type { Tx } from "../db/tenant";

export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;

/** Locks the restaurant row for the rest of the transaction: order numbers and event seq are handed out under it. */
export async function lockRestaurant(tx: Tx, restaurantId: string) {
  const [row] = await tx.select().from(restaurants).where(eq(restaurants.id, restaurantId)).for("update");
  return row ?? null;
}

export async function findOrderByIdempotencyKey(tx: Tx, restaurantId: string, key: string) {
  const [row] = await tx.select().from(orders).where(and(eq(orders.restaurantId, restaurantId), eq(orders.idempotencyKey, key)));
  return row ?? null;
}

export async function nextOrderNumber(tx: Tx, restaurantId: string, businessDate: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`coalesce(max(${orders.number}), 0)::int + 1` }).from(orders)
    .where(and(eq(orders.restaurantId, restaurantId), eq(orders.businessDate, businessDate)));
  return Number(row!.n);
}

export async function insertOrder(tx: Tx, values: typeof orders.$inferInsert) {
  const [row] = await tx.insert(orders).values(values).returning();
  return row!;
}

export async function insertOrderItems(tx: Tx, values: (typeof orderItems.$inferInsert)[]) {
  if (!values.length) return [];
  return tx.insert(orderItems).values(values).returning();
}

export async function findOrder(tx: Tx, restaurantId: string, orderId: string, opts: { lock?: boolean } = {}) {
  const query = tx.select().from(orders).where(and(eq(orders.restaurantId, restaurantId), eq(orders.id, orderId)));
  const [row] = opts.lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function listOrderItems(tx: Tx, restaurantId: string, orderIds: string[]) {
  if (!orderIds.length) return [];
  return tx.select().from(orderItems)
    .where(and(eq(orderItems.restaurantId, restaurantId), inArray(orderItems.orderId, orderIds)))
    .orderBy(asc(orderItems.position), asc(orderItems.createdAt));
}

export async function listLineStations(tx: Tx, restaurantId: string, orderIds: string[]) {
  if (!orderIds.length) return [];
  return tx.select().from(orderItemStations)
    .where(and(eq(orderItemStations.restaurantId, restaurantId), inArray(orderItemStations.orderId, orderIds)));
}

/**
 * Newest first, in pages: `after` is the last order of the previous page. The position is the row value
 * (created_at, id), read in the database, so ties on created_at are broken by id and the microseconds
 * a JavaScript Date would drop are kept; orders placed meanwhile land on earlier pages, never twice.
 */
export async function listOrders(tx: Tx, restaurantId: string, filter: { statuses?: OrderRow["status"][]; limit: number; after?: string }) {
  const where = [eq(orders.restaurantId, restaurantId)];
  if (filter.statuses?.length) where.push(inArray(orders.status, filter.statuses));
  if (filter.after) {
    where.push(sql`(${orders.createdAt}, ${orders.id}) < (select o.created_at, o.id from orders o where o.restaurant_id = ${restaurantId} and o.id = ${filter.after})`);
  }
  return tx.select().from(orders).where(and(...where)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(filter.limit);
}

/**
 * Optimistic concurrency: the update applies only if nobody changed the order since `version` was read.
 * Returns null when the version was stale.
 */
export async function updateOrderVersioned(tx: Tx, restaurantId: string, orderId: string, version: number, values: Partial<typeof orders.$inferInsert>) {
  const [row] = await tx.update(orders)
    .set({ ...values, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(orders.restaurantId, restaurantId), eq(orders.id, orderId), eq(orders.version, version)))
    .returning();
  return row ?? null;
}

export async function markLinesFired(tx: Tx, restaurantId: string, lineIds: string[], round: number) {
  if (!lineIds.length) return;
  await tx.update(orderItems).set({ firedAt: sql`now()`, fireRound: round, held: false })
    .where(and(eq(orderItems.restaurantId, restaurantId), inArray(orderItems.id, lineIds), isNull(orderItems.firedAt)));
}

export async function insertLineStations(tx: Tx, values: (typeof orderItemStations.$inferInsert)[]) {
  if (values.length) await tx.insert(orderItemStations).values(values).onConflictDoNothing();
}

export async function deleteUnfiredLine(tx: Tx, restaurantId: string, lineId: string) {
  const rows = await tx.delete(orderItems)
    .where(and(eq(orderItems.restaurantId, restaurantId), eq(orderItems.id, lineId), isNull(orderItems.firedAt)))
    .returning({ id: orderItems.id });
  return rows.length > 0;
}

export async function voidLines(tx: Tx, restaurantId: string, lineIds: string[], reason: string, voidedBy: string | null) {
  if (!lineIds.length) return [];
  const rows = await tx.update(orderItems).set({ voidedAt: sql`now()`, voidReason: reason, voidedBy })
    .where(and(eq(orderItems.restaurantId, restaurantId), inArray(orderItems.id, lineIds), isNull(orderItems.voidedAt)))
    .returning({ id: orderItems.id });
  return rows.map((r) => r.id);
}

/** A cook at this station has seen these lines' VOID. */
export async function acknowledgeVoids(tx: Tx, restaurantId: string, stationId: string, lineIds: string[]) {
  if (!lineIds.length) return;
  await tx.update(orderItemStations).set({ voidAckedAt: sql`now()` })
    .where(and(
      eq(orderItemStations.restaurantId, restaurantId), eq(orderItemStations.stationId, stationId),
      inArray(orderItemStations.orderItemId, lineIds), isNull(orderItemStations.voidAckedAt),
    ));
}

export async function setLinesHeld(tx: Tx, restaurantId: string, orderId: string, course: number, held: boolean) {
  await tx.update(orderItems).set({ held })
    .where(and(eq(orderItems.restaurantId, restaurantId), eq(orderItems.orderId, orderId), eq(orderItems.course, course), isNull(orderItems.firedAt)));
}

/** Moves lines at one station to a status; returns the ids that actually changed. */
export async function setStationLineStatus(tx: Tx, restaurantId: string, stationId: string, lineIds: string[], status: "new" | "ready") {
  if (!lineIds.length) return [];
  const rows = await tx.update(orderItemStations)
    .set({ status, bumpedAt: status === "ready" ? sql`now()` : null })
    .where(and(
      eq(orderItemStations.restaurantId, restaurantId), eq(orderItemStations.stationId, stationId),
      inArray(orderItemStations.orderItemId, lineIds), sql`${orderItemStations.status} <> ${status}`,
    ))
    .returning({ id: orderItemStations.orderItemId });
  return rows.map((r) => r.id);
}

export async function ordersByIds(tx: Tx, restaurantId: string, ids: string[]) {
  if (!ids.length) return [];
  return tx.select().from(orders).where(and(eq(orders.restaurantId, restaurantId), inArray(orders.id, ids))).orderBy(asc(orders.createdAt));
}

/** A station that bumps part of a ticket has started the rest of it: its new lines there are now cooking. */
export async function startRestAtStation(tx: Tx, restaurantId: string, stationId: string, orderId: string) {
  await tx.update(orderItemStations).set({ status: "cooking" })
    .where(and(
      eq(orderItemStations.restaurantId, restaurantId), eq(orderItemStations.stationId, stationId),
      eq(orderItemStations.orderId, orderId), eq(orderItemStations.status, "new"),
    ));
}
