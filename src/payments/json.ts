import { orderJson } from "../api/order-json";
import type { PayableOrder, PaymentSummary } from "./service";
import type { PaymentRow, RefundRow } from "./queries";
import type { DrawerReport } from "./drawers";

export function paymentJson(p: PaymentRow) {
  return {
    id: p.id, orderId: p.orderId, checkId: p.checkId, tender: p.tender, status: p.status,
    amountCents: p.amountCents, tipCents: p.tipCents, tenderedCents: p.tenderedCents, changeCents: p.changeCents,
    refundedCents: p.refundedCents, serverUserId: p.serverUserId, createdAt: p.createdAt,
  };
}

export function refundJson(r: RefundRow) {
  return { id: r.id, paymentId: r.paymentId, amountCents: r.amountCents, reason: r.reason, createdAt: r.createdAt };
}

/** The fields GET /api/v1/orders/:id gains: derived on every read, never stored. */
export function summaryJson(s: PaymentSummary) {
  return {
    paidCents: s.paidCents, balanceDueCents: s.balanceDueCents, paymentStatus: s.paymentStatus, tipCents: s.tipCents, refundedCents: s.refundedCents,
    payments: s.payments.map(paymentJson),
    checks: s.checks.map((c) => ({
      id: c.id, number: c.number, label: c.label, subtotalCents: c.subtotalCents, discountCents: c.discountCents, taxCents: c.taxCents,
      totalCents: c.totalCents, paidCents: c.paidCents, balanceDueCents: c.balanceDueCents,
      items: c.lines.map((l) => ({ itemId: l.lineId, share: l.weight, of: l.of })), taxByRate: c.taxByRate,
    })),
  };
}

/** An order as the API shows it, with its payment state (every field derived on read); a comped line stays, at zero. */
export function payableOrderJson(o: PayableOrder) {
  const base = orderJson(o);
  return {
    ...base,
    items: base.items.map((item) => {
      const line = o.lines.find((l) => l.id === item.id)!;
      return line.compedAt ? { ...item, lineTotalCents: 0, comped: true, compReason: line.compReason } : { ...item, comped: false };
    }),
    ...summaryJson(o.pay),
  };
}

export function drawerJson(r: DrawerReport) {
  const d = r.drawer;
  return {
    id: d.id, deviceId: d.deviceId, status: d.status, openedAt: d.openedAt, closedAt: d.closedAt,
    countedCents: d.countedCents, denominations: d.countedDenominations, ...r.figures,
    // Once closed, the figures fixed at close are the record; while open, the live expectation.
    expectedCents: d.expectedCents ?? r.figures.expectedCents, overShortCents: d.overShortCents,
    movements: r.movements.map((m) => ({ id: m.id, kind: m.kind, amountCents: m.amountCents, reason: m.reason, createdAt: m.createdAt })),
  };
}
