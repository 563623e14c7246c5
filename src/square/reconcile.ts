import { and, eq, inArray } from "drizzle-orm";
import type { Square } from "square";
import { withTenant } from "../db/tenant";
import { orders, payments, restaurants } from "../db/schema";
import { badRequest } from "../http/errors";
import { businessDate } from "../orders/service";
import { fromSquareMoney, squareClient, unreachable } from "./client";
import { requireConnection, type SquareEnv } from "./terminal";

export type Difference = {
  kind: "missing_at_square" | "missing_here" | "amount" | "tip" | "refunded" | "status" | "unsettled";
  paymentId: string | null; squarePaymentId: string | null; ours: number | null; square: number | null; note: string;
};
export type Reconciliation = { date: string; ourCount: number; squareCount: number; ourTotalCents: number; squareTotalCents: number; differences: Difference[] };

/**
 * Compares one business day's card tenders with Square's payments for the location: each of ours must
 * be at Square with the same amount, tip, state and refunds, and each completed Square card payment of
 * that day must be one of ours. Read-only on both sides.
 */
export async function reconcileDay(env: SquareEnv, restaurantId: string, date: string): Promise<Reconciliation> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw badRequest("date must be a day like 2026-11-29", "date");
  const conn = await requireConnection(env, restaurantId);
  const { ours, zone } = await withTenant(env.db, restaurantId, async (tx) => {
    const [r] = await tx.select({ timeZone: restaurants.timeZone, dayStartsAtHour: restaurants.dayStartsAtHour }).from(restaurants).where(eq(restaurants.id, restaurantId));
    const dayOrders = tx.select({ id: orders.id }).from(orders).where(and(eq(orders.restaurantId, restaurantId), eq(orders.businessDate, date)));
    const rows = await tx.select().from(payments).where(and(eq(payments.restaurantId, restaurantId), eq(payments.tender, "card"), inArray(payments.orderId, dayOrders)));
    return { ours: rows, zone: r! };
  });
  // A generous window around the business day; each Square payment is then placed on its own business day.
  const begin = new Date(Date.parse(`${date}T00:00:00Z`) - 36 * 3600_000).toISOString();
  const end = new Date(Date.parse(`${date}T00:00:00Z`) + 60 * 3600_000).toISOString();
  const theirs: Square.Payment[] = [];
  try {
    const page = await squareClient(conn, env.baseUrl).payments.list({ locationId: conn.locationId, beginTime: begin, endTime: end, limit: 100 });
    for await (const p of page) theirs.push(p);
  } catch (error) {
    throw unreachable(error);
  }
  const byId = new Map(theirs.map((p) => [p.id!, p]));
  const differences: Difference[] = [];
  const matched = new Set<string>();
  for (const p of ours) {
    if (p.status === "pending") { differences.push({ kind: "unsettled", paymentId: p.id, squarePaymentId: null, ours: p.amountCents, square: null, note: "Still pending here: open it on the POS and check with Square" }); continue; }
    if (!p.providerRef) continue;
    const sq = byId.get(p.providerRef);
    if (!sq) { if (p.status !== "voided" && p.status !== "failed") differences.push({ kind: "missing_at_square", paymentId: p.id, squarePaymentId: p.providerRef, ours: p.amountCents, square: null, note: "Recorded here, not found at Square for this day" }); continue; }
    matched.add(sq.id!);
    const amount = fromSquareMoney(sq.amountMoney);
    const tip = fromSquareMoney(sq.tipMoney);
    const refunded = fromSquareMoney(sq.refundedMoney);
    if (amount !== p.amountCents) differences.push({ kind: "amount", paymentId: p.id, squarePaymentId: sq.id!, ours: p.amountCents, square: amount, note: "Amounts differ" });
    if (tip !== p.tipCents) differences.push({ kind: "tip", paymentId: p.id, squarePaymentId: sq.id!, ours: p.tipCents, square: tip, note: "Tips differ" });
    if (refunded !== p.refundedCents) differences.push({ kind: "refunded", paymentId: p.id, squarePaymentId: sq.id!, ours: p.refundedCents, square: refunded, note: "Refunded amounts differ" });
    if (sq.status !== "COMPLETED") differences.push({ kind: "status", paymentId: p.id, squarePaymentId: sq.id!, ours: null, square: null, note: `Square says ${sq.status}; here it is ${p.status}` });
  }
  const dayTheirs = theirs.filter((p) => p.status === "COMPLETED" && p.sourceType === "CARD" && businessDate(new Date(p.createdAt!), zone.timeZone, zone.dayStartsAtHour) === date);
  for (const sq of dayTheirs) {
    if (!matched.has(sq.id!)) differences.push({ kind: "missing_here", paymentId: null, squarePaymentId: sq.id!, ours: null, square: fromSquareMoney(sq.amountMoney), note: "At Square, no card tender here" });
  }
  const taken = ours.filter((p) => p.status !== "pending" && p.status !== "voided" && p.status !== "failed");
  return {
    date, ourCount: taken.length, squareCount: dayTheirs.length,
    ourTotalCents: taken.reduce((s, p) => s + p.amountCents + p.tipCents, 0),
    squareTotalCents: dayTheirs.reduce((s, p) => s + fromSquareMoney(p.totalMoney), 0),
    differences,
  };
}
