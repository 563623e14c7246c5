/**
 * The payment state machine, in one table, as src/orders/states.ts is for orders. Anything not listed
 * is refused with a message saying where the payment is and where it may go.
 *
 * pending: taken but not settled (a card waiting for the processor; cash never rests here).
 * completed: the money is ours. failed: the processor said no. voided: cancelled before settlement
 * or reversed as a mistake, counted nowhere. refunded / partly_refunded: money given back.
 */
export const PAYMENT_STATES = ["pending", "completed", "failed", "voided", "refunded", "partly_refunded"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

const MOVES: Record<PaymentState, PaymentState[]> = {
  pending: ["completed", "failed", "voided"],
  completed: ["voided", "partly_refunded", "refunded"],
  // A second partial refund keeps it partly refunded until the whole take is back.
  partly_refunded: ["partly_refunded", "refunded"],
  failed: [],
  voided: [],
  refunded: [],
};

/** States whose money was taken (and counts toward the check, less what was refunded). */
export const TAKEN_STATES: readonly PaymentState[] = ["completed", "partly_refunded", "refunded"];

export type PaymentMove = { ok: true } | { ok: false; message: string };

export function checkPaymentMove(from: PaymentState, to: PaymentState): PaymentMove {
  if (!PAYMENT_STATES.includes(to)) return { ok: false, message: `Unknown payment state "${to}"` };
  if (MOVES[from].includes(to)) return { ok: true };
  if (!MOVES[from].length) return { ok: false, message: `The payment is ${from.replace("_", " ")}; it cannot change any more` };
  return { ok: false, message: `A ${from.replace("_", " ")} payment cannot become ${to.replace("_", " ")} (allowed: ${MOVES[from].join(", ")})` };
}

/** The state after refunding `refunded` of a take of `taken` (both minor units, refunded > 0). */
export function stateAfterRefund(taken: number, refunded: number): PaymentState {
  return refunded >= taken ? "refunded" : "partly_refunded";
}

/** The order's payment state, derived from what is owed and what was taken and given back. */
export type OrderPaymentStatus = "unpaid" | "partly_paid" | "paid" | "refunded";

export function orderPaymentStatus(o: { totalCents: number; paidCents: number; refundedCents: number; hasLines: boolean }): OrderPaymentStatus {
  if (o.paidCents <= 0) return o.refundedCents > 0 ? "refunded" : o.totalCents <= 0 && o.hasLines ? "paid" : "unpaid";
  return o.paidCents >= o.totalCents ? "paid" : "partly_paid";
}
