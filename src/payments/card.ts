import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { payments, squareRefunds } from "../db/schema";
import { recordAudit } from "../audit/service";
import { allows } from "../auth/permissions";
import { badRequest, conflict, forbidden, HttpError, notFound, unprocessable } from "../http/errors";
import { formatMoney } from "../money";
import { applyOrderChange, type OrderActor } from "../orders/service";
import { checkPaymentMove, stateAfterRefund, TAKEN_STATES } from "./states";
import { loadSummary, pickCheck, type Approver } from "./service";
import * as q from "./queries";

/**
 * The card tender path of the payments core. A card tender is a payment row that starts `pending` (the
 * processor has it) and is settled only from the processor's final state read back: completed (with the
 * guest's tip, brand and last 4) or voided (canceled). Every move goes through applyOrderChange, so the
 * order's version bumps and every screen showing the check redraws.
 */

export type SquareRefundRow = typeof squareRefunds.$inferSelect;

const whole = (v: unknown, field: string) => {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw badRequest(`${field} must be a whole number of minor units above zero (1295 for 12.95)`, field);
  return v;
};

/**
 * Opens a card tender for the server-computed amount due on the order or one check (never an amount
 * from the browser, except a smaller partial amount). A second tap while one is still pending on the
 * same check gives back that same tender: the retry reuses its idempotency key, so it cannot charge twice.
 */
export async function openCardTender(db: Db, restaurantId: string, orderId: string, input: { checkId?: unknown; amountCents?: unknown }, who: OrderActor): Promise<{ payment: q.PaymentRow; reused: boolean }> {
  if (!allows(who.actor, "payments.take")) throw forbidden();
  if (input.checkId != null && input.checkId !== "" && (typeof input.checkId !== "string" || !/^[0-9a-f-]{36}$/i.test(input.checkId))) throw badRequest("checkId must be a check id", "checkId");
  const checkId = typeof input.checkId === "string" && input.checkId ? input.checkId : null;
  const asked = input.amountCents == null || input.amountCents === "" ? null : whole(input.amountCents, "amountCents");
  let out: { payment: q.PaymentRow; reused: boolean } | null = null;
  await applyOrderChange(db, restaurantId, orderId, null, "payment.card_updated", async (tx, order, restaurant) => {
    if (order.status === "cancelled") throw conflict(`Order #${order.number} is cancelled; it cannot be paid`, "orderId");
    const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
    const target = pickCheck(summary, checkId);
    const pending = summary.payments.find((p) => p.tender === "card" && p.status === "pending" && p.checkId === (target?.id ?? null));
    if (pending) {
      out = { payment: pending, reused: true };
      return { status: "keep", event: { paymentId: pending.id, status: "pending" } };
    }
    const due = target ? target.balanceDueCents : summary.balanceDueCents;
    if (due <= 0) throw conflict(target ? `${target.label} is already paid` : `Order #${order.number} is already paid`, "amountCents");
    if (asked !== null && asked > due) throw unprocessable(`The amount ${formatMoney(asked, restaurant.currency)} is more than the balance due of ${formatMoney(due, restaurant.currency)}`, "amountCents");
    const payment = await q.insertPayment(tx, {
      restaurantId, orderId, checkId: target?.id ?? null, tender: "card", status: "pending", provider: "square",
      amountCents: asked ?? due, tipCents: 0, tenderedCents: null, changeCents: 0,
      serverUserId: order.createdBy, takenBy: who.userId, deviceId: who.deviceId, providerStatus: "PENDING",
    });
    out = { payment, reused: false };
    return { status: "keep", event: { paymentId: payment.id, status: "pending" } };
  });
  return out!;
}

/** Records a checkout's id and its status as last read from the processor (still pending here). */
export async function noteCardProgress(db: Db, restaurantId: string, paymentId: string, values: { checkoutId?: string; providerStatus: string; failureReason?: string | null }): Promise<void> {
  const found = await withTenant(db, restaurantId, (tx) => q.findPayment(tx, restaurantId, paymentId));
  if (!found || found.status !== "pending") return;
  if (found.providerStatus === values.providerStatus && (!values.checkoutId || found.providerCheckoutId === values.checkoutId) && (values.failureReason ?? null) === found.failureReason) return;
  await applyOrderChange(db, restaurantId, found.orderId, null, "payment.card_updated", async (tx) => {
    await q.updatePayment(tx, restaurantId, paymentId, "pending", {
      providerStatus: values.providerStatus, ...(values.checkoutId ? { providerCheckoutId: values.checkoutId } : {}), failureReason: values.failureReason ?? null,
    });
    return { status: "keep", event: { paymentId, status: values.providerStatus.toLowerCase() } };
  });
}

/**
 * Settles a pending card tender from the processor's final state. Only `pending` moves, so a replayed
 * or late (out-of-order) notice finds it settled and changes nothing.
 */
export async function settleCardTender(
  db: Db, restaurantId: string, paymentId: string,
  final: { outcome: "completed"; providerRef: string; tipCents: number; amountCents: number; cardBrand: string | null; cardLast4: string | null } | { outcome: "voided" | "failed"; reason: string },
): Promise<boolean> {
  const found = await withTenant(db, restaurantId, (tx) => q.findPayment(tx, restaurantId, paymentId));
  if (!found || found.status !== "pending") return false;
  let moved = false;
  await applyOrderChange(db, restaurantId, found.orderId, null, final.outcome === "completed" ? "payment.taken" : "payment.card_updated", async (tx) => {
    const payment = (await q.findPayment(tx, restaurantId, paymentId))!;
    if (payment.status !== "pending") return { status: "keep", event: { paymentId, status: payment.status } } as never;
    if (final.outcome === "completed") {
      // Square's amount is what was charged; it equals ours unless someone changed it at Square.
      await q.updatePayment(tx, restaurantId, paymentId, "pending", {
        status: "completed", providerRef: final.providerRef, providerStatus: "COMPLETED", amountCents: final.amountCents, tipCents: final.tipCents, cardBrand: final.cardBrand, cardLast4: final.cardLast4, failureReason: null,
      });
      moved = true;
      return { status: "keep", event: { paymentId, amountCents: final.amountCents, tipCents: final.tipCents, checkId: payment.checkId } };
    }
    const move = checkPaymentMove("pending", final.outcome);
    if (!move.ok) throw conflict(move.message);
    await q.updatePayment(tx, restaurantId, paymentId, "pending", { status: final.outcome, providerStatus: final.outcome === "voided" ? "CANCELED" : "FAILED", failureReason: final.reason });
    moved = true;
    return { status: "keep", event: { paymentId, status: final.outcome } };
  });
  return moved;
}

export async function findCardPayment(db: Db, restaurantId: string, by: { id?: string; checkoutId?: string; providerRef?: string }): Promise<q.PaymentRow | null> {
  return withTenant(db, restaurantId, async (tx) => {
    const where = by.id ? eq(payments.id, by.id) : by.checkoutId ? eq(payments.providerCheckoutId, by.checkoutId) : eq(payments.providerRef, by.providerRef!);
    const [row] = await tx.select().from(payments).where(and(eq(payments.restaurantId, restaurantId), eq(payments.tender, "card"), where));
    return row ?? null;
  });
}

// ---- card refunds

const readReason = (raw: unknown) => {
  const reason = typeof raw === "string" ? raw.trim() : "";
  if (!reason) throw badRequest("Say why the money is given back", "reason");
  if (reason.length > 200) throw badRequest("The reason must be at most 200 characters", "reason");
  return reason;
};

/**
 * Asks for a card refund: a manager (or a manager's PIN), a reason, capped at what was collected
 * (amount + tip) less what is refunded or already being refunded. The pending row is the refund's
 * identity at Square (its idempotency key), so a retried click cannot refund twice.
 */
export async function openCardRefund(db: Db, restaurantId: string, paymentId: string, input: { amountCents: unknown; reason: unknown }, who: OrderActor, overrideBy: Approver = null): Promise<SquareRefundRow> {
  if (who.actor === "integration") throw forbidden("Refunds need a manager; an API key cannot refund");
  const approver = allows(who.actor, "payments.refund") ? { userId: who.userId } : overrideBy && allows(overrideBy.actor, "payments.refund") ? overrideBy : null;
  if (!approver) throw new HttpError(403, "manager_required", "A refund needs a manager", "override");
  const amountCents = whole(input.amountCents, "amountCents");
  const reason = readReason(input.reason);
  const found = await withTenant(db, restaurantId, (tx) => q.findPayment(tx, restaurantId, paymentId));
  if (!found) throw notFound("No such payment");
  if (found.tender !== "card" || !found.providerRef) throw conflict("This is not a settled card payment; refund it as its tender", "paymentId");
  let row: SquareRefundRow | null = null;
  await applyOrderChange(db, restaurantId, found.orderId, null, "payment.card_updated", async (tx, order, restaurant) => {
    const payment = (await q.findPayment(tx, restaurantId, paymentId))!;
    const inFlight = await pendingRefundCents(tx, restaurantId, paymentId);
    const left = payment.amountCents + payment.tipCents - payment.refundedCents - inFlight;
    if (!TAKEN_STATES.includes(payment.status) || left <= 0) throw conflict(inFlight ? "A refund of this payment is still pending at Square; wait for it" : "There is nothing left to refund on this payment", "amountCents");
    if (amountCents > left) throw unprocessable(`At most ${formatMoney(left, restaurant.currency)} of this payment can be refunded`, "amountCents");
    const [inserted] = await tx.insert(squareRefunds).values({ restaurantId, paymentId, orderId: order.id, amountCents, reason, byUser: who.userId, approvedBy: approver.userId, deviceId: who.deviceId }).returning();
    row = inserted!;
    await recordAudit(tx, {
      restaurantId, action: "payment.card_refund_requested", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId: order.id, number: order.number, paymentId, amountCents, reason, approvedBy: approver.userId, squareRefund: row!.id },
    });
    return { status: "keep", event: { paymentId, status: "refund_pending", refundId: row!.id } };
  });
  return row!;
}

async function pendingRefundCents(tx: Tx, restaurantId: string, paymentId: string): Promise<number> {
  const [r] = await tx.select({ n: sql<number>`coalesce(sum(${squareRefunds.amountCents}), 0)::int` }).from(squareRefunds)
    .where(and(eq(squareRefunds.restaurantId, restaurantId), eq(squareRefunds.paymentId, paymentId), eq(squareRefunds.status, "pending")));
  return Number(r?.n ?? 0);
}

export async function findSquareRefund(db: Db, restaurantId: string, by: { id?: string; squareRefundId?: string }): Promise<SquareRefundRow | null> {
  return withTenant(db, restaurantId, async (tx) => {
    const where = by.id ? eq(squareRefunds.id, by.id) : eq(squareRefunds.squareRefundId, by.squareRefundId!);
    const [row] = await tx.select().from(squareRefunds).where(and(eq(squareRefunds.restaurantId, restaurantId), where));
    return row ?? null;
  });
}

export async function refundsOfPayment(db: Db, restaurantId: string, paymentId: string): Promise<SquareRefundRow[]> {
  return withTenant(db, restaurantId, (tx) => tx.select().from(squareRefunds).where(and(eq(squareRefunds.restaurantId, restaurantId), eq(squareRefunds.paymentId, paymentId))).orderBy(squareRefunds.createdAt));
}

/**
 * Settles a pending card refund from Square's final state. Completed: the money comes off the payment
 * through the core (payment_refunds row, refunded state), once. Failed: nothing counts. Only `pending` moves.
 */
export async function settleCardRefund(db: Db, restaurantId: string, id: string, final: { squareRefundId?: string; status: "PENDING" | "COMPLETED" | "FAILED" | "REJECTED"; reason?: string }): Promise<void> {
  const found = await findSquareRefund(db, restaurantId, { id });
  if (!found || found.status !== "pending") return;
  if (final.status === "PENDING") {
    if (final.squareRefundId && found.squareRefundId !== final.squareRefundId) {
      await withTenant(db, restaurantId, (tx) => tx.update(squareRefunds).set({ squareRefundId: final.squareRefundId, updatedAt: new Date() }).where(and(eq(squareRefunds.restaurantId, restaurantId), eq(squareRefunds.id, id))));
    }
    return;
  }
  const done = final.status === "COMPLETED";
  await applyOrderChange(db, restaurantId, found.orderId, null, done ? "payment.refunded" : "payment.card_updated", async (tx, order) => {
    const [locked] = await tx.select().from(squareRefunds).where(and(eq(squareRefunds.restaurantId, restaurantId), eq(squareRefunds.id, id))).for("update");
    if (!locked || locked.status !== "pending") return { status: "keep", event: { paymentId: found.paymentId, status: "unchanged", refundId: id } } as never;
    if (!done) {
      await tx.update(squareRefunds).set({ status: "failed", failureReason: final.reason ?? final.status, squareRefundId: final.squareRefundId ?? locked.squareRefundId, updatedAt: new Date() }).where(and(eq(squareRefunds.restaurantId, restaurantId), eq(squareRefunds.id, id)));
      return { status: "keep", event: { paymentId: found.paymentId, status: "refund_failed", refundId: id } };
    }
    const payment = (await q.findPayment(tx, restaurantId, found.paymentId))!;
    const taken = payment.amountCents + payment.tipCents;
    const next = stateAfterRefund(taken, payment.refundedCents + locked.amountCents);
    const move = checkPaymentMove(payment.status, next);
    if (!move.ok) throw conflict(move.message);
    await q.updatePayment(tx, restaurantId, payment.id, payment.status, { status: next, refundedCents: payment.refundedCents + locked.amountCents });
    const refund = await q.insertRefund(tx, { restaurantId, paymentId: payment.id, orderId: order.id, amountCents: locked.amountCents, reason: locked.reason, drawerId: null, byUser: locked.byUser, deviceId: locked.deviceId });
    await tx.update(squareRefunds).set({ status: "completed", refundId: refund.id, squareRefundId: final.squareRefundId ?? locked.squareRefundId, updatedAt: new Date() }).where(and(eq(squareRefunds.restaurantId, restaurantId), eq(squareRefunds.id, id)));
    await recordAudit(tx, { restaurantId, action: "payment.refund", actorUserId: locked.byUser, deviceId: locked.deviceId, data: { orderId: order.id, number: order.number, paymentId: payment.id, amountCents: locked.amountCents, reason: locked.reason, approvedBy: locked.approvedBy, square: final.squareRefundId ?? locked.squareRefundId } });
    return { status: "keep", event: { paymentId: payment.id, refundId: refund.id, amountCents: locked.amountCents } };
  });
}
