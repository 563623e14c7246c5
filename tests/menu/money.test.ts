import { describe, expect, it } from "bun:test";
import { formatMoney, parsePercent, parsePrice, percentInputValue, priceInputValue } from "../../src/menu/money";
import { parseCsv, toCsv } from "../../src/menu/csv";
import { groupRuleErrors } from "../../src/menu/rules";

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

describe("CSV", () => {
  it("round-trips commas, quotes, line breaks and leading spaces", () => {
    const rows = [["a", 'say "hi", then', "two\nlines", " padded"], ["", "x", "", ""]];
    expect(parseCsv(toCsv(rows)).map((r) => r.cells)).toEqual(rows);
  });

  it("numbers records as a spreadsheet numbers rows, and reads CRLF and LF alike", () => {
    expect(parseCsv("h\r\na\nb").map((r) => r.row)).toEqual([1, 2, 3]);
  });
});

describe("modifier group rules", () => {
  it("names the field at fault", () => {
    expect(groupRuleErrors({ required: false, minSelect: 0, maxSelect: 2, optionCount: 3, defaultCount: 0 })).toEqual({});
    expect(groupRuleErrors({ required: true, minSelect: 1, maxSelect: 1, optionCount: 0, defaultCount: 0 })).toEqual({ options: "A required group needs at least one option" });
    expect(Object.keys(groupRuleErrors({ required: false, minSelect: 3, maxSelect: 2, optionCount: 1, defaultCount: 3 })).sort()).toEqual(["maxSelect", "minSelect", "options"]);
  });
});
