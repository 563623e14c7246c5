import { describe, expect, it } from "bun:test";
import { allocate, formatMoney, parseMoney, parsePercent, parsePrice, percentInputValue, priceInputValue, signedMoney } from "../src/money";

describe("prices as typed and as stored", () => {
  it.each([
    ["12.95", 1295], ["12.9", 1290], ["12", 1200], ["0", 0], [" $12.95 ", 1295], ["USD 4.5", 450], ["0.05", 5],
  ])("reads %p as %p cents", (typed, cents) => {
    expect(parsePrice(typed, "USD")).toEqual({ ok: true, value: cents });
  });

  it.each([["-1"], ["abc"], ["12.955"], ["1,250"], [""], ["1e3"], ["12..5"], ["100000"]])("refuses %p", (typed) => {
    expect(parsePrice(typed, "USD").ok).toBe(false);
  });

  it("follows the currency's decimals: none for yen, three for dinar", () => {
    expect(parsePrice("1200", "JPY")).toEqual({ ok: true, value: 1200 });
    expect(parsePrice("12.5", "JPY").ok).toBe(false);
    expect(parsePrice("1.250", "KWD")).toEqual({ ok: true, value: 1250 });
    expect(priceInputValue(1250, "KWD")).toBe("1.250");
    expect(formatMoney(1200, "JPY")).toBe("¥1,200");
  });

  it("takes signed price changes for options only", () => {
    expect(parsePrice("-0.50", "USD", { signed: true })).toEqual({ ok: true, value: -50 });
    expect(parsePrice("+1.50", "USD", { signed: true })).toEqual({ ok: true, value: 150 });
    expect(priceInputValue(-50, "USD")).toBe("-0.50");
  });

  it("reads tax rates in percent", () => {
    expect(parsePercent("8.25")).toEqual({ ok: true, value: 825 });
    expect(parsePercent("10 %")).toEqual({ ok: true, value: 1000 });
    expect(parsePercent("51").ok).toBe(false);
    expect(percentInputValue(825)).toBe("8.25");
    expect(percentInputValue(1050)).toBe("10.5");
    expect(percentInputValue(1000)).toBe("10");
  });
});

describe("one money module for every currency", () => {
  it("shows and reads USD (2 decimals), JPY (0) and KWD (3) in their own minor units", () => {
    expect(formatMoney(1295, "USD")).toBe("$12.95");
    expect(formatMoney(1200, "JPY")).toBe("¥1,200");
    expect(formatMoney(1250, "KWD")).toBe("KWD 1.250");
    expect(parseMoney("12.95", "USD")).toBe(1295);
    expect(parseMoney("12.9", "USD")).toBe(1290);
    expect(parseMoney(" 0,50 ", "USD")).toBe(50);
    expect(parseMoney("1200", "JPY")).toBe(1200);
    expect(parseMoney("1.25", "KWD")).toBe(1250);
    expect(parseMoney("1.250", "KWD")).toBe(1250);
    expect(signedMoney(150, "USD")).toBe("+$1.50");
    expect(signedMoney(-50, "JPY")).toBe("-¥50");
    expect(signedMoney(0, "USD")).toBe("");
  });

  it("refuses an amount with more decimals than the currency has, or that is not an amount", () => {
    for (const bad of ["-1", "abc", "1.999", "", "1e3", "99999999"]) expect(parseMoney(bad, "USD")).toBeNull();
    expect(parseMoney("12.5", "JPY")).toBeNull();
    expect(parseMoney("1.2345", "KWD")).toBeNull();
  });

  it("splits an amount so the parts always add up, remainders to the largest fraction then the earliest", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(7, [700, 300])).toEqual([5, 2]);
    expect(allocate(1, [0, 5])).toEqual([0, 1]);
  });
});
