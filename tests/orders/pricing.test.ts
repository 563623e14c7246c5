import { describe, expect, it } from "bun:test";
import { discountCents, priceOrder } from "../../src/orders/pricing";
import { allocate, roundDiv } from "../../src/money";

const line = (unit: number, qty = 1, rate = 875, mods: number[] = [], voided = false) =>
  ({ unitPriceCents: unit, quantity: qty, taxRateBps: rate, modifierDeltasCents: mods, voided });

describe("pricing", () => {
  it("adds tax on top for exclusive pricing", () => {
    const t = priceOrder([line(1295), line(450, 2)], { taxInclusive: false, discount: null });
    expect(t.subtotalCents).toBe(2195);
    expect(t.taxCents).toBe(192); // 2195 * 8.75% = 192.06
    expect(t.totalCents).toBe(2387);
    expect(t.lineTotalsCents).toEqual([1295, 900]);
  });

  it("takes tax out of the price for inclusive pricing", () => {
    const t = priceOrder([line(1100, 1, 2000)], { taxInclusive: true, discount: null });
    expect(t.taxCents).toBe(183); // 1100 - 1100/1.2 = 183.33
    expect(t.totalCents).toBe(1100);
  });

  it("prices modifiers into the line, times quantity", () => {
    const t = priceOrder([line(1295, 2, 0, [150, 250])], { taxInclusive: false, discount: null });
    expect(t.subtotalCents).toBe(2 * (1295 + 400));
  });

  it("charges nothing for a voided line", () => {
    const t = priceOrder([line(1295), line(700, 1, 875, [], true)], { taxInclusive: false, discount: null });
    expect(t.subtotalCents).toBe(1295);
    expect(t.lineTotalsCents).toEqual([1295, 0]);
  });

  it("applies a percent discount before tax and rounds half up", () => {
    const t = priceOrder([line(1000), line(333)], { taxInclusive: false, discount: { kind: "percent", bps: 1000 } });
    expect(t.discountCents).toBe(133); // 10% of 1333 = 133.3
    expect(t.taxCents).toBe(roundDiv((1333 - 133) * 875, 10_000)); // 105
    expect(t.totalCents).toBe(1333 - 133 + 105);
  });

  it("never discounts below zero or more than the subtotal", () => {
    expect(discountCents(500, { kind: "amount", cents: 900 })).toBe(500);
    expect(discountCents(500, { kind: "amount", cents: -5 })).toBe(0);
    expect(discountCents(500, { kind: "percent", bps: 10_000 })).toBe(500);
  });

  it("charges each tax rate on its own share of a discount", () => {
    // 10.00 of food at 8.75% and 10.00 of alcohol at 10%, 5.00 off: each gets 2.50 off.
    const t = priceOrder([line(1000, 1, 875), line(1000, 1, 1000)], { taxInclusive: false, discount: { kind: "amount", cents: 500 } });
    expect(t.taxCents).toBe(roundDiv(750 * 875, 10_000) + roundDiv(750 * 1000, 10_000)); // 66 + 75
  });

  it("rounds once per rate, not per line, so many small lines do not drift", () => {
    const lines = Array.from({ length: 10 }, () => line(101, 1, 875)); // each line: 8.8375c tax
    expect(priceOrder(lines, { taxInclusive: false, discount: null }).taxCents).toBe(88); // 88.375 -> 88, not 10 * 9
  });

  it("allocates exactly the amount, largest remainders first", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(10, [0, 0])).toEqual([0, 0]);
    expect(allocate(7, [700, 300]).reduce((a, b) => a + b)).toBe(7);
  });

  it("rounds half up", () => {
    expect(roundDiv(5, 10)).toBe(1);
    expect(roundDiv(4, 10)).toBe(0);
    expect(roundDiv(15, 10)).toBe(2);
  });

});
