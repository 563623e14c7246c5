import { and, asc, desc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { devices, guestOrders, guestSettings, guestTables, orders } from "../db/schema";
import type { Tx } from "../db/tenant";

// Tenant-scoped: every function takes the restaurant and filters every statement on it (RLS is the
// second wall). The two lookups by token run before a restaurant is known, as the owner (withSystem).

export type GuestTable = typeof guestTables.$inferSelect;
export type GuestOrder = typeof guestOrders.$inferSelect;
export type GuestSettings = { fireBeforePayment: boolean; confirmTableRounds: boolean };

export async function tableByToken(tx: Tx, token: string) {
  const [row] = await tx.select().from(guestTables).where(eq(guestTables.token, token));
  return row ?? null;
}

export async function guestOrderByTokenHash(tx: Tx, tokenHash: string) {
  const [row] = await tx.select().from(guestOrders).where(eq(guestOrders.token, tokenHash));
  return row ?? null;
}

export async function listTables(tx: Tx, restaurantId: string) {
  return tx.select().from(guestTables).where(eq(guestTables.restaurantId, restaurantId))
    .orderBy(sql`length(${guestTables.label})`, asc(guestTables.label));
}

export async function findTable(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.select().from(guestTables).where(and(eq(guestTables.restaurantId, restaurantId), eq(guestTables.id, id)));
  return row ?? null;
}

export async function insertTable(tx: Tx, values: typeof guestTables.$inferInsert) {
  const [row] = await tx.insert(guestTables).values(values).returning();
  return row!;
}

export async function updateTable(tx: Tx, restaurantId: string, id: string, values: Partial<typeof guestTables.$inferInsert>) {
  const [row] = await tx.update(guestTables).set(values).where(and(eq(guestTables.restaurantId, restaurantId), eq(guestTables.id, id))).returning();
  return row ?? null;
}

export async function readSettings(tx: Tx, restaurantId: string): Promise<GuestSettings> {
  const [row] = await tx.select().from(guestSettings).where(eq(guestSettings.restaurantId, restaurantId));
  return { fireBeforePayment: row?.fireBeforePayment ?? false, confirmTableRounds: row?.confirmTableRounds ?? false };
}

export async function writeSettings(tx: Tx, restaurantId: string, values: GuestSettings) {
  await tx.insert(guestSettings).values({ restaurantId, ...values })
    .onConflictDoUpdate({ target: guestSettings.restaurantId, set: { ...values, updatedAt: sql`now()` } });
}

/**
 * The table's check: the newest dine-in order at that table label, whatever its status. The caller
 * decides: a final one means a new check starts (and its id makes the new check's idempotency key, so
 * two phones starting a check at once make one).
 */
export async function newestOrderAtTable(tx: Tx, restaurantId: string, label: string) {
  const [row] = await tx.select({ id: orders.id, status: orders.status, number: orders.number }).from(orders)
    .where(and(eq(orders.restaurantId, restaurantId), eq(orders.type, "dine_in"), eq(orders.tableLabel, label)))
    .orderBy(desc(orders.createdAt), desc(orders.id)).limit(1);
  return row ?? null;
}

export async function findGuestOrderByKey(tx: Tx, restaurantId: string, key: string) {
  const [row] = await tx.select().from(guestOrders).where(and(eq(guestOrders.restaurantId, restaurantId), eq(guestOrders.idempotencyKey, key)));
  return row ?? null;
}

export async function insertGuestOrder(tx: Tx, values: typeof guestOrders.$inferInsert) {
  const [row] = await tx.insert(guestOrders).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateGuestOrder(tx: Tx, restaurantId: string, id: string, values: Partial<typeof guestOrders.$inferInsert>) {
  const [row] = await tx.update(guestOrders).set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(guestOrders.restaurantId, restaurantId), eq(guestOrders.id, id))).returning();
  return row ?? null;
}

export async function deleteGuestOrder(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(guestOrders).where(and(eq(guestOrders.restaurantId, restaurantId), eq(guestOrders.id, id)));
}

export async function findGuestOrder(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.select().from(guestOrders).where(and(eq(guestOrders.restaurantId, restaurantId), eq(guestOrders.id, id)));
  return row ?? null;
}

/** What the guest desk shows: kiosk orders waiting for money, table rounds waiting for a server. */
export async function waitingAtDesk(tx: Tx, restaurantId: string) {
  return tx.select().from(guestOrders)
    .where(and(eq(guestOrders.restaurantId, restaurantId), inArray(guestOrders.state, ["awaiting_payment", "awaiting_confirmation"])))
    .orderBy(asc(guestOrders.createdAt));
}

/** Guest rows of these orders (the desk's live updates: which orders are guests'). */
export async function guestOrdersOf(tx: Tx, restaurantId: string, orderIds: string[]) {
  if (!orderIds.length) return [];
  return tx.select().from(guestOrders).where(and(eq(guestOrders.restaurantId, restaurantId), inArray(guestOrders.orderId, orderIds), notInArray(guestOrders.state, ["placing"])));
}

export async function orderNumber(tx: Tx, restaurantId: string, orderId: string) {
  const [row] = await tx.select({ number: orders.number }).from(orders).where(and(eq(orders.restaurantId, restaurantId), eq(orders.id, orderId)));
  return row?.number ?? 0;
}
