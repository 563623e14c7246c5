import { describe, expect, it } from "bun:test";
import { checkAmounts, planSplit, preTaxCents, type PlannedCheck } from "../../src/payments/checks";
import { priceOrder } from "../../src/orders/pricing";
import type { CheckLineRow, CheckRow } from "../../src/payments/queries";

type L = { id: string; unitPriceCents: number; quantity: number; modifiers: { priceDeltaCents: number }[]; voidedAt: Date | null; compedAt: Date | null; seat: number | null; taxRateBps: number };
const line = (id: string, cents: number, seat: number | null = null, extra: Partial<L> = {}): L =>
  ({ id, unitPriceCents: cents, quantity: 1, modifiers: [], voidedAt: null, compedAt: null, seat, taxRateBps: 875, ...extra });

function order(lines: L[], discountCents = 0, taxInclusive = false) {
  const t = priceOrder(lines.map((l) => ({ unitPriceCents: l.unitPriceCents, quantity: l.quantity, taxRateBps: l.taxRateBps, modifierDeltasCents: l.modifiers.map((m) => m.priceDeltaCents), voided: !!l.voidedAt || !!l.compedAt })),
    { taxInclusive, discount: discountCents ? { kind: "amount", cents: discountCents } : null });
  return { ...t, lines };
}

/** Stored rows for planned checks, as splitOrder writes them. */
function rows(planned: PlannedCheck[]): { checks: CheckRow[]; lines: CheckLineRow[] } {
  const checks = planned.map((c, i) => ({ restaurantId: "r", id: `c${i}`, orderId: "o", number: i + 1, label: c.label, createdAt: new Date() }));
  const lines = planned.flatMap((c, i) => c.lines.map((l) => ({ restaurantId: "r", checkId: `c${i}`, orderId: "o", orderItemId: l.orderItemId, weight: l.weight })));
  return { checks, lines };
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe("splitting a check", () => {
  it("splits 100.00 three ways as 33.34, 33.33, 33.33: the first guest takes the remainder cent", () => {
    const o = order([line("a", 10000, null, { taxRateBps: 0 })]);
    const planned = planSplit({ kind: "even", guests: 3 }, o.lines);
    if (typeof planned === "string") throw new Error(planned);
    const { checks, lines } = rows(planned);
    expect(checkAmounts(o, checks, lines, false).map((c) => c.totalCents)).toEqual([3334, 3333, 3333]);
  });

  it("splits by seat with an unseated starter shared evenly, and the checks add up to the order to the cent", () => {
    const o = order([line("burger", 1295, 1), line("salad", 1100, 2), line("wings", 1150, null), line("cola", 300, 3)], 0);
    const planned = planSplit({ kind: "seat" }, o.lines);
    if (typeof planned === "string") throw new Error(planned);
    expect(planned.map((c) => c.label)).toEqual(["Seat 1", "Seat 2", "Seat 3"]);
    const { checks, lines } = rows(planned);
    const amounts = checkAmounts(o, checks, lines, false);
    expect(sum(amounts.map((a) => a.totalCents))).toBe(o.totalCents);
    expect(sum(amounts.map((a) => a.taxCents))).toBe(o.taxCents);
    expect(sum(amounts.map((a) => a.subtotalCents))).toBe(o.subtotalCents);
    // Seat 1: the burger and a third of the wings (383.33 -> the remainder goes to the first seat).
    expect(amounts[0]!.subtotalCents).toBe(1295 + 384);
    expect(amounts[1]!.subtotalCents).toBe(1100 + 383);
  });

  it("moves chosen lines to new checks and leaves the rest on check 1", () => {
    const o = order([line("a", 500), line("b", 700), line("c", 900)]);
    const planned = planSplit({ kind: "lines", checks: [["b"], ["c"]] }, o.lines);
    if (typeof planned === "string") throw new Error(planned);
    const { checks, lines } = rows(planned);
    expect(checkAmounts(o, checks, lines, false).map((c) => c.subtotalCents)).toEqual([500, 700, 900]);
  });

  it("shares a line by fraction: a third and two thirds of 10.00 are 3.33 and 6.67", () => {
    const o = order([line("wine", 1000, null, { taxRateBps: 0 })]);
    const checks = [0, 1].map((i) => ({ restaurantId: "r", id: `c${i}`, orderId: "o", number: i + 1, label: `Check ${i + 1}`, createdAt: new Date() }));
    const lines = [{ restaurantId: "r", checkId: "c0", orderId: "o", orderItemId: "wine", weight: 1 }, { restaurantId: "r", checkId: "c1", orderId: "o", orderItemId: "wine", weight: 2 }];
    expect(checkAmounts(o, checks, lines, false).map((c) => c.totalCents)).toEqual([333, 667]);
  });

  it("always adds up to the order, with discounts, comps, voids and inclusive tax, over many random orders", () => {
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: 1 + rand(8) }, (_, i) => line(`l${i}`, 1 + rand(5000), rand(4) || null, {
        quantity: 1 + rand(3), taxRateBps: [0, 875, 1000, 2000][rand(4)]!, voidedAt: rand(10) === 0 ? new Date() : null, compedAt: rand(10) === 0 ? new Date() : null,
      }));
      const inclusive = rand(2) === 0;
      const o = order(lines, rand(3) === 0 ? rand(2000) : 0, inclusive);
      const plan = rand(2) === 0 ? { kind: "even" as const, guests: 2 + rand(6) } : { kind: "seat" as const };
      const planned = planSplit(plan, lines);
      if (typeof planned === "string") continue;
      const { checks, lines: cl } = rows(planned);
      const amounts = checkAmounts(o, checks, cl, inclusive);
      expect(sum(amounts.map((a) => a.totalCents))).toBe(o.totalCents);
      expect(sum(amounts.map((a) => a.taxCents))).toBe(o.taxCents);
      expect(sum(amounts.map((a) => a.discountCents))).toBe(o.discountCents);
      // What a check's receipt prints per line adds up to its subtotal.
      for (const a of amounts) expect(sum(Object.values(a.lineCents))).toBe(a.subtotalCents);
      // The same split gives the same cents every time.
      expect(checkAmounts(o, checks, cl, inclusive)).toEqual(amounts);
      for (const a of amounts) expect(preTaxCents(a, inclusive)).toBeGreaterThanOrEqual(0);
    }
  });

  it("refuses splits that make no sense, naming what is wrong", () => {
    const lines = [line("a", 500, 1), line("b", 700, 1)];
    expect(planSplit({ kind: "even", guests: 1 }, lines)).toContain("between 2 and 20");
    expect(planSplit({ kind: "even", guests: 2.5 }, lines)).toContain("between 2 and 20");
    expect(planSplit({ kind: "seat" }, lines)).toContain("Only one seat");
    expect(planSplit({ kind: "lines", checks: [["a", "b"]] }, lines)).toContain("at least one item on the first check");
    expect(planSplit({ kind: "lines", checks: [["a"], ["a"]] }, lines)).toContain("one check only");
    expect(planSplit({ kind: "lines", checks: [["zzz"]] }, lines)).toContain("not on this order");
  });
});

import { quickCash } from "../../src/payments/cash";

describe("quick cash buttons", () => {
  it("offers the next whole unit and the next round notes above the amount due", () => {
    expect(quickCash(1196, "USD")).toEqual([1200, 1500, 2000, 5000]);
    expect(quickCash(2000, "USD")).toEqual([5000, 10000]);
    expect(quickCash(1180, "JPY")).toEqual([2000, 5000, 10000]);
    expect(quickCash(0, "USD")).toEqual([]);
  });
});
