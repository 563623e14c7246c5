import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { restaurants, cashDrawers, drawerMovements, orderCheckLines, orderChecks, orderItems, orders, paymentRefunds, payments, users } from "../db/schema";
import type { Tx } from "../db/tenant";

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof paymentRefunds.$inferSelect;
export type CheckRow = typeof orderChecks.$inferSelect;
export type CheckLineRow = typeof orderCheckLines.$inferSelect;
export type DrawerRow = typeof cashDrawers.$inferSelect;
export type MovementRow = typeof drawerMovements.$inferSelect;

export async function paymentsOfOrders(tx: Tx, restaurantId: string, orderIds: string[]) {
  if (!orderIds.length) return [];
  return tx.select().from(payments).where(and(eq(payments.restaurantId, restaurantId), inArray(payments.orderId, orderIds))).orderBy(asc(payments.createdAt));
}

export async function findPayment(tx: Tx, restaurantId: string, paymentId: string) {
  const [row] = await tx.select().from(payments).where(and(eq(payments.restaurantId, restaurantId), eq(payments.id, paymentId)));
  return row ?? null;
}

export async function findPaymentByKey(tx: Tx, restaurantId: string, key: string) {
  const [row] = await tx.select().from(payments).where(and(eq(payments.restaurantId, restaurantId), eq(payments.idempotencyKey, key)));
  return row ?? null;
}

export async function insertPayment(tx: Tx, values: typeof payments.$inferInsert) {
  const [row] = await tx.insert(payments).values(values).returning();
  return row!;
}

/** Moves a payment only from the state it was read in, so two refunds cannot both start from one state. */
export async function updatePayment(tx: Tx, restaurantId: string, paymentId: string, from: PaymentRow["status"], values: Partial<typeof payments.$inferInsert>) {
  const [row] = await tx.update(payments).set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(payments.restaurantId, restaurantId), eq(payments.id, paymentId), eq(payments.status, from))).returning();
  return row ?? null;
}

export async function insertRefund(tx: Tx, values: typeof paymentRefunds.$inferInsert) {
  const [row] = await tx.insert(paymentRefunds).values(values).returning();
  return row!;
}

export async function refundsOfOrders(tx: Tx, restaurantId: string, orderIds: string[]) {
  if (!orderIds.length) return [];
  return tx.select().from(paymentRefunds).where(and(eq(paymentRefunds.restaurantId, restaurantId), inArray(paymentRefunds.orderId, orderIds))).orderBy(asc(paymentRefunds.createdAt));
}

export async function checksOfOrder(tx: Tx, restaurantId: string, orderId: string) {
  const [checks, lines] = await Promise.all([
    tx.select().from(orderChecks).where(and(eq(orderChecks.restaurantId, restaurantId), eq(orderChecks.orderId, orderId))).orderBy(asc(orderChecks.number)),
    tx.select().from(orderCheckLines).where(and(eq(orderCheckLines.restaurantId, restaurantId), eq(orderCheckLines.orderId, orderId))),
  ]);
  return { checks, lines };
}

export async function deleteChecks(tx: Tx, restaurantId: string, orderId: string) {
  await tx.delete(orderChecks).where(and(eq(orderChecks.restaurantId, restaurantId), eq(orderChecks.orderId, orderId)));
}

export async function insertChecks(tx: Tx, values: (typeof orderChecks.$inferInsert)[]) {
  return values.length ? tx.insert(orderChecks).values(values).returning() : [];
}

export async function insertCheckLines(tx: Tx, values: (typeof orderCheckLines.$inferInsert)[]) {
  if (values.length) await tx.insert(orderCheckLines).values(values);
}

export async function compLine(tx: Tx, restaurantId: string, lineId: string, reason: string, by: string | null) {
  await tx.update(orderItems).set({ compedAt: sql`now()`, compReason: reason, compedBy: by })
    .where(and(eq(orderItems.restaurantId, restaurantId), eq(orderItems.id, lineId)));
}

export async function setOrderSettlement(tx: Tx, restaurantId: string, orderId: string, values: { unpaidReason?: string | null; unpaidBy?: string | null; reopenedAt?: Date | null }) {
  await tx.update(orders).set(values).where(and(eq(orders.restaurantId, restaurantId), eq(orders.id, orderId)));
}

// ---- drawers

export async function openDrawerOf(tx: Tx, restaurantId: string, deviceId: string, opts: { lock?: boolean } = {}) {
  const query = tx.select().from(cashDrawers).where(and(eq(cashDrawers.restaurantId, restaurantId), eq(cashDrawers.deviceId, deviceId), eq(cashDrawers.status, "open")));
  const [row] = opts.lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function findDrawer(tx: Tx, restaurantId: string, drawerId: string, opts: { lock?: boolean } = {}) {
  const query = tx.select().from(cashDrawers).where(and(eq(cashDrawers.restaurantId, restaurantId), eq(cashDrawers.id, drawerId)));
  const [row] = opts.lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function insertDrawer(tx: Tx, values: typeof cashDrawers.$inferInsert) {
  const [row] = await tx.insert(cashDrawers).values(values).returning();
  return row!;
}

export async function closeDrawerRow(tx: Tx, restaurantId: string, drawerId: string, values: Partial<typeof cashDrawers.$inferInsert>) {
  const [row] = await tx.update(cashDrawers).set({ ...values, status: "closed" })
    .where(and(eq(cashDrawers.restaurantId, restaurantId), eq(cashDrawers.id, drawerId), eq(cashDrawers.status, "open"))).returning();
  return row ?? null;
}

export async function insertMovement(tx: Tx, values: typeof drawerMovements.$inferInsert) {
  const [row] = await tx.insert(drawerMovements).values(values).returning();
  return row!;
}

/** Everything that moved cash in or out of one drawer. */
export async function drawerActivity(tx: Tx, restaurantId: string, drawerId: string) {
  const [taken, refunds, movements] = await Promise.all([
    tx.select().from(payments).where(and(eq(payments.restaurantId, restaurantId), eq(payments.drawerId, drawerId), eq(payments.tender, "cash"))).orderBy(asc(payments.createdAt)),
    tx.select().from(paymentRefunds).where(and(eq(paymentRefunds.restaurantId, restaurantId), eq(paymentRefunds.drawerId, drawerId))).orderBy(asc(paymentRefunds.createdAt)),
    tx.select().from(drawerMovements).where(and(eq(drawerMovements.restaurantId, restaurantId), eq(drawerMovements.drawerId, drawerId))).orderBy(asc(drawerMovements.createdAt)),
  ]);
  return { taken, refunds, movements };
}

export async function listDrawers(tx: Tx, restaurantId: string, limit: number) {
  return tx.select().from(cashDrawers).where(eq(cashDrawers.restaurantId, restaurantId)).orderBy(desc(cashDrawers.openedAt)).limit(limit);
}

export async function userNames(tx: Tx, ids: string[]) {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map<string, string>();
  const rows = await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---- history

export type HistoryFilter = { businessDate?: string; number?: number; table?: string; totalCents?: number; staffUserId?: string; limit: number };

export async function searchOrders(tx: Tx, restaurantId: string, f: HistoryFilter) {
  const where: SQL[] = [eq(orders.restaurantId, restaurantId)];
  if (f.businessDate) where.push(eq(orders.businessDate, f.businessDate));
  if (f.number !== undefined) where.push(eq(orders.number, f.number));
  if (f.table) where.push(ilike(orders.tableLabel, f.table.replace(/[%_\\]/g, "\\$&")));
  if (f.totalCents !== undefined) where.push(eq(orders.totalCents, f.totalCents));
  if (f.staffUserId) {
    where.push(or(eq(orders.createdBy, f.staffUserId),
      sql`exists (select 1 from ${payments} p where p.restaurant_id = ${orders.restaurantId} and p.order_id = ${orders.id} and p.taken_by = ${f.staffUserId})`)!);
  }
  return tx.select().from(orders).where(and(...where)).orderBy(desc(orders.createdAt)).limit(f.limit);
}


/** What the pay screen needs from the restaurant, without the lock the engine takes. */
export async function moneySettings(tx: Tx, restaurantId: string) {
  const [row] = await tx.select({ taxInclusive: restaurants.taxInclusive, currency: restaurants.currency, tipPresetsBps: restaurants.tipPresetsBps, tipCapBps: restaurants.tipCapBps })
    .from(restaurants).where(eq(restaurants.id, restaurantId));
  return row ?? null;
}
