import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { recordAudit } from "../audit/service";
import { badRequest, conflict, forbidden, HttpError, notFound, unprocessable } from "../http/errors";
import { allows, type Actor } from "../auth/permissions";
import { formatMoney, roundDiv } from "../money";
import { applyOrderChange, loadViews, type OrderActor, type OrderView } from "../orders/service";
import { checkTransition } from "../orders/states";
import * as orderQ from "../orders/queries";
import { checkAmounts, checkShares, lineWeights, planSplit, preTaxCents, pricedLine, type CheckMoney, type SplitPlan } from "./checks";
import { checkPaymentMove, orderPaymentStatus, stateAfterRefund, TAKEN_STATES, type OrderPaymentStatus } from "./states";
import * as q from "./queries";

/** Tenders the core knows. Card (Square) arrives as one more entry with a provider adapter. */
export const TENDERS = ["cash"] as const;
export type Tender = (typeof TENDERS)[number];

/** A typo guard on any one amount: 1,000,000.00 in a 2-decimal currency. */
const MAX_AMOUNT = 100_000_000;

export type CheckView = CheckMoney & { id: string; number: number; label: string; paidCents: number; balanceDueCents: number; lines: { lineId: string; weight: number; of: number }[] };
export type PaymentSummary = {
  paidCents: number; refundedCents: number; tipCents: number; balanceDueCents: number; paymentStatus: OrderPaymentStatus;
  payments: q.PaymentRow[]; refunds: q.RefundRow[]; checks: CheckView[];
};
export type PayableOrder = OrderView & { pay: PaymentSummary };

/** What a taken payment still counts toward the check: refunds come off the amount first, then the tip. */
const countedAmount = (p: q.PaymentRow) => (TAKEN_STATES.includes(p.status) ? p.amountCents - Math.min(p.refundedCents, p.amountCents) : 0);

/** Derives the balance, the payment state and each check's share from rows: nothing here is stored. */
export function summarize(order: OrderView, payments: q.PaymentRow[], refunds: q.RefundRow[], split: { checks: q.CheckRow[]; lines: q.CheckLineRow[] }, taxInclusive: boolean): PaymentSummary {
  const taken = payments.filter((p) => TAKEN_STATES.includes(p.status));
  const paidCents = taken.reduce((s, p) => s + countedAmount(p), 0);
  const refundedCents = taken.reduce((s, p) => s + p.refundedCents, 0);
  const tipCents = taken.reduce((s, p) => s + p.tipCents, 0);
  const money = checkAmounts(order, split.checks, split.lines, taxInclusive);
  const weights = lineWeights(split.checks, split.lines, order.lines);
  const checks = split.checks.map((c, k) => {
    const paid = taken.filter((p) => p.checkId === c.id).reduce((s, p) => s + countedAmount(p), 0);
    return {
      ...money[k]!, id: c.id, number: c.number, label: c.label, paidCents: paid, balanceDueCents: money[k]!.totalCents - paid,
      // Each line this check holds, with its share (weight of the line's total weight: 1 of 3 = a third).
      lines: order.lines.flatMap((l, i) => {
        const w = weights[i]!;
        const of = w.reduce((s, x) => s + x, 0);
        return w[k]! > 0 ? [{ lineId: l.id, weight: w[k]!, of }] : [];
      }),
    };
  });
  const hasLines = order.lines.some((l) => !l.voidedAt);
  return {
    paidCents, refundedCents, tipCents, balanceDueCents: order.totalCents - paidCents,
    paymentStatus: orderPaymentStatus({ totalCents: order.totalCents, paidCents, refundedCents, hasLines }),
    payments, refunds, checks,
  };
}

export async function loadSummary(tx: Tx, restaurantId: string, order: OrderView, taxInclusive: boolean): Promise<PaymentSummary> {
  const [payments, refunds, split] = await Promise.all([
    q.paymentsOfOrders(tx, restaurantId, [order.id]), q.refundsOfOrders(tx, restaurantId, [order.id]), q.checksOfOrder(tx, restaurantId, order.id),
  ]);
  return summarize(order, payments, refunds, split, taxInclusive);
}

/** An order with its payments, balance and checks, read in one transaction. */
export async function getPayableOrder(db: Db, restaurantId: string, orderId: string): Promise<PayableOrder> {
  return withTenant(db, restaurantId, async (tx) => {
    const [row, settings] = await Promise.all([orderQ.findOrder(tx, restaurantId, orderId), q.moneySettings(tx, restaurantId)]);
    if (!row || !settings) throw notFound("No such order");
    const [order] = await loadViews(tx, restaurantId, [row]);
    return { ...order!, pay: await loadSummary(tx, restaurantId, order!, settings.taxInclusive) };
  });
}

// ---- taking a payment

export type PaymentInput = {
  tender: unknown; amountCents: unknown; tipCents?: unknown; tenderedCents?: unknown; checkId?: unknown;
  idempotencyKey: string | null; requestHash: string | null;
  /** "pos": cash needs this device's open drawer. "api": cash is reported apart from drawers. */
  channel: "pos" | "api";
};
export type PaymentResult = { payment: q.PaymentRow; order: PayableOrder; replayed: boolean };

const wholeAmount = (v: unknown, field: string, opts: { zeroOk?: boolean } = {}): number => {
  if (typeof v !== "number" || !Number.isFinite(v)) throw badRequest(`${field} must be a whole number of minor units (1295 for 12.95)`, field);
  if (!Number.isInteger(v)) throw badRequest(`${field} has more decimals than the currency: send whole minor units (1295 for 12.95)`, field);
  if (v < 0 || (v === 0 && !opts.zeroOk)) throw badRequest(`${field} must be more than zero`, field);
  if (v > MAX_AMOUNT) throw badRequest(`${field} is far too large; check the amount`, field);
  return v;
};

/** Validates the shape of a tender before anything is locked; the balance rules run under the lock. */
function readTender(input: PaymentInput) {
  if (typeof input.tender !== "string" || !input.tender) throw badRequest(`tender is required: ${TENDERS.join(", ")}`, "tender");
  if (input.tender === "card") throw unprocessable("Card payments are not set up for this restaurant yet", "tender");
  if (!TENDERS.includes(input.tender as Tender)) throw badRequest(`Unknown tender "${input.tender}" (use ${TENDERS.join(", ")})`, "tender");
  const amountCents = wholeAmount(input.amountCents, "amountCents");
  const tipCents = input.tipCents == null ? 0 : wholeAmount(input.tipCents, "tipCents", { zeroOk: true });
  const tenderedCents = input.tenderedCents == null ? amountCents + tipCents : wholeAmount(input.tenderedCents, "tenderedCents");
  if (tenderedCents < amountCents + tipCents) throw unprocessable(`tenderedCents must be at least the amount plus the tip (${amountCents + tipCents})`, "tenderedCents");
  if (input.checkId != null && (typeof input.checkId !== "string" || !/^[0-9a-f-]{36}$/i.test(input.checkId))) throw badRequest("checkId must be a check id", "checkId");
  return { tender: input.tender as Tender, amountCents, tipCents, tenderedCents, checkId: (input.checkId as string | null) ?? null };
}

/** Thrown inside the locked transaction to roll it back and answer with the payment a key already made. */
class Replay extends Error {
  constructor(readonly paymentId: string) { super("replay"); }
}

function sameRequest(existing: q.PaymentRow, hash: string | null) {
  if (hash && existing.requestHash && existing.requestHash !== hash) {
    throw unprocessable("This Idempotency-Key was already used for a different payment", "idempotencyKey");
  }
}

async function replay(db: Db, restaurantId: string, paymentId: string): Promise<PaymentResult> {
  const payment = await withTenant(db, restaurantId, (tx) => q.findPayment(tx, restaurantId, paymentId));
  return { payment: payment!, order: await getPayableOrder(db, restaurantId, payment!.orderId), replayed: true };
}

/**
 * Applies one tender to an order (or one of its checks). The order's row lock (taken by
 * applyOrderChange) serialises tenders on a check, so the balance read here cannot be overpaid by a
 * concurrent tender; the payment row, the version bump and the event commit together.
 */
export async function takePayment(db: Db, restaurantId: string, orderId: string, input: PaymentInput, who: OrderActor): Promise<PaymentResult> {
  if (!allows(who.actor, "payments.take")) throw forbidden();
  const tender = readTender(input);
  const key = input.idempotencyKey;
  if (key) {
    const seen = await withTenant(db, restaurantId, (tx) => q.findPaymentByKey(tx, restaurantId, key));
    if (seen) {
      sameRequest(seen, input.requestHash);
      if (seen.orderId !== orderId) throw unprocessable("This Idempotency-Key was already used for another order", "idempotencyKey");
      return replay(db, restaurantId, seen.id);
    }
  }
  let paymentId = "";
  try {
    await applyOrderChange(db, restaurantId, orderId, null, "payment.taken", async (tx, order, restaurant) => {
      if (key) {
        const seen = await q.findPaymentByKey(tx, restaurantId, key);
        if (seen) {
          sameRequest(seen, input.requestHash);
          throw new Replay(seen.id);
        }
      }
      if (order.status === "cancelled") throw conflict(`Order #${order.number} is cancelled; it cannot be paid`, "orderId");
      const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
      const target = pickCheck(summary, tender.checkId);
      const due = target ? target.balanceDueCents : summary.balanceDueCents;
      const currency = restaurant.currency;
      if (due <= 0) throw conflict(target ? `${target.label} is already paid` : `Order #${order.number} is already paid`, "amountCents");
      if (tender.amountCents > due) {
        throw unprocessable(`The amount ${formatMoney(tender.amountCents, currency)} is more than the balance due of ${formatMoney(due, currency)}`, "amountCents");
      }
      const base = target ? preTaxCents(target, restaurant.taxInclusive) : preTaxCents(order, restaurant.taxInclusive);
      const cap = roundDiv(Math.max(base, 0) * restaurant.tipCapBps, 10_000);
      if (tender.tipCents > cap) throw unprocessable(`A tip above ${formatMoney(cap, currency)} (${restaurant.tipCapBps / 100}% of the check before tax) looks like a typo`, "tipCents");
      const drawer = input.channel === "pos" ? await drawerForCash(tx, restaurantId, who.deviceId) : null;
      const move = checkPaymentMove("pending", "completed");
      if (!move.ok) throw conflict(move.message);
      const payment = await q.insertPayment(tx, {
        restaurantId, orderId, checkId: target?.id ?? null, tender: tender.tender, status: "completed",
        amountCents: tender.amountCents, tipCents: tender.tipCents, tenderedCents: tender.tenderedCents,
        changeCents: tender.tenderedCents - tender.amountCents - tender.tipCents,
        serverUserId: order.createdBy, takenBy: who.userId, deviceId: who.deviceId, drawerId: drawer?.id ?? null,
        idempotencyKey: key, requestHash: input.requestHash,
      });
      paymentId = payment.id;
      if (order.reopenedAt) await auditAfterPayment(tx, restaurantId, who, "payment.take_after_reopen", { orderId, paymentId: payment.id, amountCents: payment.amountCents });
      return { status: "keep", event: { paymentId: payment.id, amountCents: payment.amountCents, tipCents: payment.tipCents, checkId: payment.checkId } };
    });
  } catch (error) {
    if (error instanceof Replay) return replay(db, restaurantId, error.paymentId);
    // Two identical submits raced past both checks: the unique index chose the winner.
    if (key && isUniqueViolation(error)) {
      const seen = await withTenant(db, restaurantId, (tx) => q.findPaymentByKey(tx, restaurantId, key));
      if (seen) {
        sameRequest(seen, input.requestHash);
        return replay(db, restaurantId, seen.id);
      }
    }
    throw error;
  }
  const order = await getPayableOrder(db, restaurantId, orderId);
  return { payment: order.pay.payments.find((p) => p.id === paymentId)!, order, replayed: false };
}

export function pickCheck(summary: PaymentSummary, checkId: string | null): CheckView | null {
  if (!summary.checks.length) {
    if (checkId) throw notFound("This order is not split; pay it without a check");
    return null;
  }
  if (!checkId) throw unprocessable("This order is split into checks: say which check is paid", "checkId");
  const check = summary.checks.find((c) => c.id === checkId);
  if (!check) throw notFound("No such check on this order");
  return check;
}

/** Cash at a till goes into that till's open drawer; without one the cashier is told to open it. */
async function drawerForCash(tx: Tx, restaurantId: string, deviceId: string | null) {
  if (!deviceId) throw conflict("Cash is taken at a POS device with an open drawer: sign on at a POS", "drawer");
  // Locked, so a close of this drawer waits for this tender (and a tender after the close finds it closed).
  const drawer = await q.openDrawerOf(tx, restaurantId, deviceId, { lock: true });
  if (!drawer) throw conflict("Open the cash drawer on this POS first (count the float)", "drawer");
  return drawer;
}

async function auditAfterPayment(tx: Tx, restaurantId: string, who: OrderActor, action: string, data: Record<string, unknown>) {
  await recordAudit(tx, { restaurantId, action, actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data });
}

// ---- refunds

export type Approver = { userId: string; actor: Actor } | null;

function requireManager(who: OrderActor, permission: "payments.refund" | "payments.comp" | "payments.reopen" | "payments.leave_unpaid", overrideBy: Approver, what: string) {
  if (allows(who.actor, permission)) return { userId: who.userId, actor: who.actor };
  if (overrideBy && allows(overrideBy.actor, permission)) return overrideBy;
  throw new HttpError(403, "manager_required", `${what} needs a manager`, "override");
}

const readReason = (raw: unknown, what: string) => {
  const reason = typeof raw === "string" ? raw.trim() : "";
  if (!reason) throw badRequest(`Say why ${what}`, "reason");
  if (reason.length > 200) throw badRequest("The reason must be at most 200 characters", "reason");
  return reason;
};

/**
 * Gives back part or all of a taken payment (never more than was taken, tip included). A cash refund
 * comes out of the drawer open on the refunding device; through the API it is reported apart.
 */
export async function refundPayment(db: Db, restaurantId: string, paymentId: string, input: { amountCents: unknown; reason: unknown }, who: OrderActor, opts: { channel: "pos" | "api"; overrideBy?: Approver } = { channel: "api" }) {
  if (who.actor === "integration") throw forbidden("Refunds need a manager; an API key cannot refund");
  const approver = requireManager(who, "payments.refund", opts.overrideBy ?? null, "A refund");
  const amountCents = wholeAmount(input.amountCents, "amountCents");
  const reason = readReason(input.reason, "the money is given back");
  const found = await withTenant(db, restaurantId, (tx) => q.findPayment(tx, restaurantId, paymentId));
  if (!found) throw notFound("No such payment");
  // Money taken on a card goes back to the card through the processor, never as a bookkeeping entry here.
  if (found.tender === "card") throw conflict("A card payment is refunded to the card through Square: use Refund on the order's card screen", "paymentId");
  let refundId = "";
  await applyOrderChange(db, restaurantId, found.orderId, null, "payment.refunded", async (tx, order, restaurant) => {
    const payment = (await q.findPayment(tx, restaurantId, paymentId))!;
    const taken = payment.amountCents + payment.tipCents;
    const left = taken - payment.refundedCents;
    if (!TAKEN_STATES.includes(payment.status) || left <= 0) {
      throw conflict(`This payment is ${payment.status.replace("_", " ")}; there is nothing left to refund`, "amountCents");
    }
    if (amountCents > left) throw unprocessable(`At most ${formatMoney(left, restaurant.currency)} of this payment can be refunded`, "amountCents");
    const next = stateAfterRefund(taken, payment.refundedCents + amountCents);
    const move = checkPaymentMove(payment.status, next);
    if (!move.ok) throw conflict(move.message, "amountCents");
    const drawer = payment.tender === "cash" && opts.channel === "pos" ? await drawerForCash(tx, restaurantId, who.deviceId) : null;
    const updated = await q.updatePayment(tx, restaurantId, paymentId, payment.status, { status: next, refundedCents: payment.refundedCents + amountCents });
    if (!updated) throw conflict("Someone else changed this payment; reload and try again", "amountCents");
    const refund = await q.insertRefund(tx, { restaurantId, paymentId, orderId: order.id, amountCents, reason, drawerId: drawer?.id ?? null, byUser: who.userId, deviceId: who.deviceId });
    refundId = refund.id;
    await recordAudit(tx, {
      restaurantId, action: "payment.refund", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId: order.id, number: order.number, paymentId, amountCents, reason, approvedBy: approver.userId, drawerId: drawer?.id ?? null },
    });
    return { status: "keep", event: { paymentId, refundId: refund.id, amountCents } };
  });
  const order = await getPayableOrder(db, restaurantId, found.orderId);
  return { refund: order.pay.refunds.find((r) => r.id === refundId)!, payment: order.pay.payments.find((p) => p.id === paymentId)!, order };
}

/** Voids a taken or pending payment entered by mistake (manager, reason, audited): it counts nowhere. */
export async function voidPayment(db: Db, restaurantId: string, paymentId: string, reasonRaw: unknown, who: OrderActor, overrideBy: Approver = null) {
  const approver = requireManager(who, "payments.refund", overrideBy, "Voiding a payment");
  const reason = readReason(reasonRaw, "the payment is voided");
  const found = await withTenant(db, restaurantId, (tx) => q.findPayment(tx, restaurantId, paymentId));
  if (!found) throw notFound("No such payment");
  if (found.tender === "card") throw conflict("A card payment is not voided here: cancel it on the Terminal while pending, or refund it to the card", "paymentId");
  await applyOrderChange(db, restaurantId, found.orderId, null, "payment.voided", async (tx, order) => {
    const payment = (await q.findPayment(tx, restaurantId, paymentId))!;
    const move = checkPaymentMove(payment.status, "voided");
    if (!move.ok) throw conflict(move.message, "paymentId");
    if (payment.refundedCents > 0) throw conflict("Part of this payment was refunded; refund the rest instead of voiding it", "paymentId");
    // A closed drawer never changes: cash counted into it can only come back as a refund from a drawer open now.
    const drawer = payment.drawerId ? await q.findDrawer(tx, restaurantId, payment.drawerId, { lock: true }) : null;
    if (drawer?.status === "closed") throw conflict("The drawer this cash went into is closed; refund the payment instead", "paymentId");
    await q.updatePayment(tx, restaurantId, paymentId, payment.status, { status: "voided" });
    await recordAudit(tx, { restaurantId, action: "payment.void", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data: { orderId: order.id, paymentId, reason, approvedBy: approver.userId } });
    return { status: "keep", event: { paymentId } };
  });
  return getPayableOrder(db, restaurantId, found.orderId);
}

// ---- splits, comps, close, reopen

/** A check being paid is closed to edits: reopen it (manager) to correct it. */
function assertCheckOpen(order: OrderView, summary: PaymentSummary) {
  if (order.status === "cancelled") throw conflict(`Order #${order.number} is cancelled`, "orderId");
  if (summary.paymentStatus === "paid" && !order.reopenedAt && summary.paidCents > 0) throw conflict("The check is paid; a manager must reopen it to change it", "orderId");
}

/** Splits the order into checks (replacing any split), before any money is taken on it. */
export async function splitOrder(db: Db, restaurantId: string, orderId: string, plan: SplitPlan, who: OrderActor) {
  if (!allows(who.actor, "payments.take")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, null, "order.split", async (tx, order, restaurant) => {
    const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
    assertCheckOpen(order, summary);
    if (summary.payments.some((p) => TAKEN_STATES.includes(p.status) || p.status === "pending")) {
      throw conflict("Money was already taken on this order: split it before the first payment (or void that payment)", "split");
    }
    const planned = planSplit(plan, order.lines);
    if (typeof planned === "string") throw badRequest(planned, "split");
    await q.deleteChecks(tx, restaurantId, orderId);
    const checks = await q.insertChecks(tx, planned.map((c, i) => ({ restaurantId, orderId, number: i + 1, label: c.label })));
    await q.insertCheckLines(tx, planned.flatMap((c, i) => c.lines.map((l) => ({ restaurantId, checkId: checks[i]!.id, orderId, orderItemId: l.orderItemId, weight: l.weight }))));
    return { status: "keep", event: { checks: checks.length, kind: plan.kind } };
  });
}

/** Shares one line across the existing checks by fraction (weights per check, in check order). */
export async function shareLine(db: Db, restaurantId: string, orderId: string, lineId: string, weights: number[], who: OrderActor) {
  if (!allows(who.actor, "payments.take")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, null, "order.split", async (tx, order, restaurant) => {
    const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
    assertCheckOpen(order, summary);
    if (!summary.checks.length) throw conflict("Split the order into checks first", "split");
    if (summary.payments.some((p) => TAKEN_STATES.includes(p.status))) throw conflict("Money was already taken on this order: shares cannot change now", "split");
    if (!order.lines.some((l) => l.id === lineId && !l.voidedAt)) throw notFound("No such item on this order");
    const bad = checkShares(weights, summary.checks.length);
    if (bad) throw badRequest(bad, "weights");
    const { lines } = await q.checksOfOrder(tx, restaurantId, orderId);
    const kept = lines.filter((l) => l.orderItemId !== lineId);
    await q.deleteChecks(tx, restaurantId, orderId);
    const checks = await q.insertChecks(tx, summary.checks.map((c) => ({ restaurantId, orderId, number: c.number, label: c.label })));
    const idOf = new Map(summary.checks.map((c, i) => [c.id, checks[i]!.id]));
    await q.insertCheckLines(tx, [
      ...kept.map((l) => ({ ...l, checkId: idOf.get(l.checkId)! })),
      ...weights.flatMap((w, i) => (w > 0 ? [{ restaurantId, orderId, checkId: checks[i]!.id, orderItemId: lineId, weight: w }] : [])),
    ]);
    return { status: "keep", event: { shared: lineId } };
  });
}

/** Removes the split: the order is one check again (only before money is taken). */
export async function unsplitOrder(db: Db, restaurantId: string, orderId: string, who: OrderActor) {
  if (!allows(who.actor, "payments.take")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, null, "order.split", async (tx, order, restaurant) => {
    const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
    if (summary.payments.some((p) => TAKEN_STATES.includes(p.status))) throw conflict("Money was already taken on a check: the split stays", "split");
    await q.deleteChecks(tx, restaurantId, orderId);
    return { status: "keep", event: { checks: 0 } };
  });
}

/** A comp: the line stays on the ticket at zero, with a reason; a manager or a manager's PIN approves. */
export async function compLine(db: Db, restaurantId: string, orderId: string, lineId: string, reasonRaw: unknown, who: OrderActor, overrideBy: Approver = null) {
  if (!allows(who.actor, "orders.create")) throw forbidden();
  const approver = requireManager(who, "payments.comp", overrideBy, "A comp");
  const reason = readReason(reasonRaw, "the item is comped");
  return applyOrderChange(db, restaurantId, orderId, null, "order.comped", async (tx, order, restaurant) => {
    assertCheckOpen(order, await loadSummary(tx, restaurantId, order, restaurant.taxInclusive));
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) throw notFound("No such line on this order");
    if (line.voidedAt) throw conflict("This line is void; there is nothing to comp", "lineId");
    if (line.compedAt) throw conflict("This line is already comped", "lineId");
    await q.compLine(tx, restaurantId, lineId, reason, approver.userId);
    await recordAudit(tx, {
      restaurantId, action: approver.userId === who.userId ? "order.comp" : "order.comp_override", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId, number: order.number, lineId, item: line.name, valueCents: pricedLine(line), reason, approvedBy: approver.userId },
    });
    return { status: "keep", event: { lineId, comped: true } };
  });
}

/** A manager leaves the check unpaid (house account, walk-out) with a reason, so the order may complete. */
export async function leaveUnpaid(db: Db, restaurantId: string, orderId: string, reasonRaw: unknown, who: OrderActor) {
  const approver = requireManager(who, "payments.leave_unpaid", null, "Leaving a check unpaid");
  const reason = readReason(reasonRaw, "the check is left unpaid");
  return applyOrderChange(db, restaurantId, orderId, null, "order.left_unpaid", async (tx, order) => {
    if (order.status === "cancelled") throw conflict(`Order #${order.number} is cancelled`, "orderId");
    await q.setOrderSettlement(tx, restaurantId, orderId, { unpaidReason: reason, unpaidBy: approver.userId });
    await recordAudit(tx, { restaurantId, action: "order.left_unpaid", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data: { orderId, number: order.number, reason, totalCents: order.totalCents } });
    return { status: "keep", event: { unpaid: true } };
  });
}

/** Reopens a paid check to correct it (manager, reason, audited); a completed order comes back to ready. */
export async function reopenCheck(db: Db, restaurantId: string, orderId: string, reasonRaw: unknown, who: OrderActor, overrideBy: Approver = null) {
  const approver = requireManager(who, "payments.reopen", overrideBy, "Reopening a check");
  const reason = readReason(reasonRaw, "the check is reopened");
  return applyOrderChange(db, restaurantId, orderId, null, "order.reopened", async (tx, order, restaurant) => {
    const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
    if (summary.paymentStatus !== "paid" && !order.unpaidReason) throw conflict("The check is not closed; there is nothing to reopen", "orderId");
    await q.setOrderSettlement(tx, restaurantId, orderId, { reopenedAt: new Date(), unpaidReason: null, unpaidBy: null });
    await recordAudit(tx, { restaurantId, action: "order.reopen", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data: { orderId, number: order.number, reason, approvedBy: approver.userId, paidCents: summary.paidCents } });
    return { status: order.status === "completed" ? "ready" : "keep", event: { reopened: true } };
  });
}

/**
 * Completes an order from the front of house: only when its check is paid (or a manager left it unpaid
 * with a reason). The kitchen's own progress is not touched by payment.
 */
export async function completeOrder(db: Db, restaurantId: string, orderId: string, version: number | null, who: OrderActor) {
  if (!allows(who.actor, "orders.transition")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, version, "order.status", async (tx, order, restaurant) => {
    const check = checkTransition(order.status, "completed");
    if (!check.ok) throw conflict(check.message, "to");
    const summary = await loadSummary(tx, restaurantId, order, restaurant.taxInclusive);
    if (summary.balanceDueCents > 0 && !order.unpaidReason) {
      throw conflict(`Order #${order.number} still owes ${formatMoney(summary.balanceDueCents, restaurant.currency)}: take payment, or a manager leaves it unpaid with a reason`, "to");
    }
    if (order.reopenedAt) await auditAfterPayment(tx, restaurantId, who, "order.complete_after_reopen", { orderId, paidCents: summary.paidCents });
    return { status: "completed", event: { from: order.status, to: "completed" } };
  });
}

/** Many orders' summaries at once (open-orders list, history): three queries however many orders. */
export async function summariesFor(db: Db, restaurantId: string, orders: OrderView[], taxInclusive: boolean): Promise<Map<string, PaymentSummary>> {
  if (!orders.length) return new Map();
  return withTenant(db, restaurantId, async (tx) => {
    const ids = orders.map((o) => o.id);
    const [payments, refunds] = await Promise.all([q.paymentsOfOrders(tx, restaurantId, ids), q.refundsOfOrders(tx, restaurantId, ids)]);
    const out = new Map<string, PaymentSummary>();
    for (const o of orders) {
      const split = await q.checksOfOrder(tx, restaurantId, o.id);
      out.set(o.id, summarize(o, payments.filter((p) => p.orderId === o.id), refunds.filter((r) => r.orderId === o.id), split, taxInclusive));
    }
    return out;
  });
}

/** Order history: any business day, by number, table, total or staff (who took it or was paid on it). */
export async function searchHistory(db: Db, restaurantId: string, filter: q.HistoryFilter): Promise<OrderView[]> {
  return withTenant(db, restaurantId, async (tx) => loadViews(tx, restaurantId, await q.searchOrders(tx, restaurantId, filter)));
}

export async function orderOfPayment(db: Db, restaurantId: string, paymentId: string): Promise<string | null> {
  return withTenant(db, restaurantId, async (tx) => (await q.findPayment(tx, restaurantId, paymentId))?.orderId ?? null);
}
