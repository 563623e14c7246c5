import { describe, expect, it } from "bun:test";
import { checkPaymentMove, orderPaymentStatus, PAYMENT_STATES, stateAfterRefund, type PaymentState } from "../../src/payments/states";

const ALLOWED: [PaymentState, PaymentState][] = [
  ["pending", "completed"], ["pending", "failed"], ["pending", "voided"],
  ["completed", "voided"], ["completed", "partly_refunded"], ["completed", "refunded"],
  ["partly_refunded", "partly_refunded"], ["partly_refunded", "refunded"],
];

describe("payment state machine", () => {
  it("allows exactly the listed moves and refuses every other one with a message", () => {
    for (const from of PAYMENT_STATES) {
      for (const to of PAYMENT_STATES) {
        const move = checkPaymentMove(from, to);
        const allowed = ALLOWED.some(([a, b]) => a === from && b === to);
        expect({ from, to, ok: move.ok }).toEqual({ from, to, ok: allowed });
        if (!move.ok) expect(move.message.length).toBeGreaterThan(10);
      }
    }
  });

  it("says a failed, voided or refunded payment cannot change any more", () => {
    for (const final of ["failed", "voided", "refunded"] as const) {
      const move = checkPaymentMove(final, "completed");
      expect(move.ok).toBe(false);
      if (!move.ok) expect(move.message).toContain("cannot change any more");
    }
  });

  it("refuses an unknown state", () => {
    expect(checkPaymentMove("completed", "teleported" as PaymentState).ok).toBe(false);
  });

  it("is refunded when the whole take is back and partly refunded before", () => {
    expect(stateAfterRefund(1000, 1)).toBe("partly_refunded");
    expect(stateAfterRefund(1000, 999)).toBe("partly_refunded");
    expect(stateAfterRefund(1000, 1000)).toBe("refunded");
  });

  it("derives the order's payment state from what is owed, taken and given back", () => {
    expect(orderPaymentStatus({ totalCents: 1000, paidCents: 0, refundedCents: 0, hasLines: true })).toBe("unpaid");
    expect(orderPaymentStatus({ totalCents: 1000, paidCents: 400, refundedCents: 0, hasLines: true })).toBe("partly_paid");
    expect(orderPaymentStatus({ totalCents: 1000, paidCents: 1000, refundedCents: 0, hasLines: true })).toBe("paid");
    expect(orderPaymentStatus({ totalCents: 1000, paidCents: 0, refundedCents: 1000, hasLines: true })).toBe("refunded");
    // Everything comped: nothing is owed, so the check is settled.
    expect(orderPaymentStatus({ totalCents: 0, paidCents: 0, refundedCents: 0, hasLines: true })).toBe("paid");
    expect(orderPaymentStatus({ totalCents: 0, paidCents: 0, refundedCents: 0, hasLines: false })).toBe("unpaid");
  });
});
