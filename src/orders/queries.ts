import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
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

export async function listOrders(tx: Tx, restaurantId: string, filter: { statuses?: OrderRow["status"][]; limit: number }) {
  const where = [eq(orders.restaurantId, restaurantId)];
  if (filter.statuses?.length) where.push(inArray(orders.status, filter.statuses));
  return tx.select().from(orders).where(and(...where)).orderBy(desc(orders.createdAt)).limit(filter.limit);
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

export async function voidLine(tx: Tx, restaurantId: string, lineId: string, reason: string, voidedBy: string | null) {
  const rows = await tx.update(orderItems).set({ voidedAt: sql`now()`, voidReason: reason, voidedBy })
    .where(and(eq(orderItems.restaurantId, restaurantId), eq(orderItems.id, lineId), isNull(orderItems.voidedAt)))
    .returning({ id: orderItems.id });
  return rows.length > 0;
}

export async function setLinesHeld(tx: Tx, restaurantId: string, orderId: string, course: number, held: boolean) {
  await tx.update(orderItems).set({ held })
    .where(and(eq(orderItems.restaurantId, restaurantId), eq(orderItems.orderId, orderId), eq(orderItems.course, course), isNull(orderItems.firedAt)));
}
