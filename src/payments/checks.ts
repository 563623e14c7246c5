import { allocate } from "../money";
import { lineTotalCents, taxByRate } from "../orders/pricing";
import type { CheckLineRow, CheckRow } from "./queries";

/**
 * A check's share of the order, derived, never stored: each part of the order's money (subtotal,
 * discount, tax) is spread over the lines by their priced totals, then each line's share over the
 * checks holding it by their weights, both with allocate(). So the checks always add up to the order
 * to the minor unit, and the same split always gives the same cents to the same check.
 */
export type CheckMoney = {
  subtotalCents: number; discountCents: number; taxCents: number; totalCents: number; taxByRate: { rateBps: number; taxCents: number }[];
  /** This check's part of each line it holds (before discount and tax); they add up to subtotalCents. */
  lineCents: Record<string, number>;
};

type Line = { id: string; unitPriceCents: number; quantity: number; taxRateBps: number; modifiers: { priceDeltaCents: number }[]; voidedAt: Date | null; compedAt?: Date | null };
type OrderMoney = { subtotalCents: number; discountCents: number; taxCents: number; totalCents: number; lines: Line[] };

/** A line's priced total, 0 when voided or comped (the same rule the engine prices with). */
export function pricedLine(l: Line): number {
  if (l.voidedAt || l.compedAt) return 0;
  return lineTotalCents({ unitPriceCents: l.unitPriceCents, modifierDeltasCents: l.modifiers.map((m) => m.priceDeltaCents), quantity: l.quantity, taxRateBps: 0 });
}

/** Weights of each line over the checks, in check order; a line no check names (added after the split) goes to the first. */
export function lineWeights(checks: CheckRow[], checkLines: CheckLineRow[], lines: Line[]): number[][] {
  return lines.map((l) => {
    const weights: number[] = checks.map((c) => checkLines.find((cl) => cl.checkId === c.id && cl.orderItemId === l.id)?.weight ?? 0);
    if (weights.length && !weights.some((w) => w > 0)) weights[0] = 1;
    return weights;
  });
}

export function checkAmounts(order: OrderMoney, checks: CheckRow[], checkLines: CheckLineRow[], taxInclusive: boolean): CheckMoney[] {
  const priced = order.lines.map(pricedLine);
  const weights = lineWeights(checks, checkLines, order.lines);
  /** Spreads an amount over the lines (by their priced totals, only the lines `on` picks), then over the checks. */
  const spread = (amount: number, on: (i: number) => boolean = () => true) => {
    const perCheck = checks.map(() => 0);
    const basis = priced.map((p, i) => (on(i) ? p : 0));
    // If nothing on the order is priced (all comped) there is nothing to spread by line: spread evenly.
    if (!basis.some((p) => p > 0)) return allocate(amount, checks.map(() => 1));
    allocate(amount, basis).forEach((share, i) => allocate(share, weights[i]!).forEach((c, k) => { perCheck[k]! += c; }));
    return perCheck;
  };
  const subtotal = spread(order.subtotalCents);
  const discount = spread(order.discountCents);
  // Tax is spread rate by rate over the lines taxed at that rate, so a check's tax by rate is exact too.
  const rates = taxByRate(order.lines.map((l) => ({
    unitPriceCents: l.unitPriceCents, quantity: l.quantity, taxRateBps: l.taxRateBps, modifierDeltasCents: l.modifiers.map((m) => m.priceDeltaCents), voided: !!l.voidedAt || !!l.compedAt,
  })), { taxInclusive, discount: order.discountCents ? { kind: "amount", cents: order.discountCents } : null });
  const taxes = rates.map((r) => ({ rateBps: r.rateBps, perCheck: spread(r.taxCents, (i) => order.lines[i]!.taxRateBps === r.rateBps) }));
  return checks.map((_, k) => {
    const taxCents = taxes.reduce((s, t) => s + t.perCheck[k]!, 0);
    return {
      subtotalCents: subtotal[k]!, discountCents: discount[k]!, taxCents,
      totalCents: subtotal[k]! - discount[k]! + (taxInclusive ? 0 : taxCents),
      taxByRate: taxes.map((t) => ({ rateBps: t.rateBps, taxCents: t.perCheck[k]! })).filter((t) => t.taxCents),
      lineCents: Object.fromEntries(order.lines.flatMap((l, i) => (weights[i]![k]! > 0 ? [[l.id, allocate(priced[i]!, weights[i]!)[k]!]] : []))),
    };
  });
}

/** The pre-tax amount a tip percentage is taken of: what the guest ordered, after discounts, before tax. */
export function preTaxCents(m: Omit<CheckMoney, "taxByRate" | "lineCents">, taxInclusive: boolean): number {
  return taxInclusive ? m.totalCents - m.taxCents : m.subtotalCents - m.discountCents;
}

export type SplitPlan =
  | { kind: "even"; guests: number }
  | { kind: "seat" }
  /** Lines named per new check; lines named nowhere stay on check 1. */
  | { kind: "lines"; checks: string[][] };

export type PlannedCheck = { label: string; lines: { orderItemId: string; weight: number }[] };

type SeatLine = { id: string; seat: number | null; voidedAt: Date | null };

/** Turns a split request into checks with line weights; throws a message naming the field on bad input. */
export function planSplit(plan: SplitPlan, lines: SeatLine[]): PlannedCheck[] | string {
  const live = lines.filter((l) => !l.voidedAt);
  if (plan.kind === "even") {
    if (!Number.isInteger(plan.guests) || plan.guests < 2 || plan.guests > 20) return "Split evenly between 2 and 20 guests";
    return Array.from({ length: plan.guests }, (_, i) => ({ label: `Guest ${i + 1}`, lines: live.map((l) => ({ orderItemId: l.id, weight: 1 })) }));
  }
  if (plan.kind === "seat") {
    const seats = [...new Set(live.map((l) => l.seat).filter((s): s is number => s !== null))].sort((a, b) => a - b);
    if (seats.length < 2) return "Only one seat has items: put seats on the lines first, or split evenly";
    // Lines without a seat (a shared starter, a bottle) are shared evenly by every seat's check.
    return seats.map((seat) => ({
      label: `Seat ${seat}`,
      lines: live.filter((l) => l.seat === seat || l.seat === null).map((l) => ({ orderItemId: l.id, weight: 1 })),
    }));
  }
  if (plan.kind === "lines") {
    const named = plan.checks.flat();
    if (plan.checks.length < 1 || plan.checks.some((c) => !c.length)) return "Choose at least one item for each new check";
    if (new Set(named).size !== named.length) return "An item can be moved to one check only (share it by fraction instead)";
    if (named.some((id) => !live.some((l) => l.id === id))) return "One of the chosen items is not on this order";
    const rest = live.filter((l) => !named.includes(l.id));
    if (!rest.length) return "Leave at least one item on the first check";
    return [
      { label: "Check 1", lines: rest.map((l) => ({ orderItemId: l.id, weight: 1 })) },
      ...plan.checks.map((ids, i) => ({ label: `Check ${i + 2}`, lines: ids.map((id) => ({ orderItemId: id, weight: 1 })) })),
    ];
  }
  return "Unknown kind of split";
}

/** One line shared over the existing checks by fraction: [1, 2] gives a third and two thirds. */
export function checkShares(weights: number[], checkCount: number): string | null {
  if (weights.length !== checkCount) return `Give a share for each of the ${checkCount} checks`;
  if (weights.some((w) => !Number.isInteger(w) || w < 0 || w > 100) || weights.every((w) => w === 0)) return "Shares are whole numbers from 0 to 100, at least one above 0";
  return null;
}
