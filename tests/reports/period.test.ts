import { describe, expect, it } from "bun:test";
import { businessDate } from "../../src/orders/service";
import { parsePeriod, weekBefore } from "../../src/reports/period";

const ny = { timeZone: "America/New_York", dayStartsAtHour: 4 };

describe("business days and report periods", () => {
  it("puts 03:59 on the night daylight saving ends in the business day before (local wall-clock hour, not elapsed hours)", () => {
    expect(businessDate(new Date("2026-11-01T08:59:00Z"), "America/New_York", 4)).toBe("2026-10-31");
    expect(businessDate(new Date("2026-11-01T09:01:00Z"), "America/New_York", 4)).toBe("2026-11-01");
  });

  it("starts the business day at 04:00 local on the morning daylight saving begins", () => {
    expect(businessDate(new Date("2026-03-08T07:30:00Z"), "America/New_York", 4)).toBe("2026-03-07");
    expect(businessDate(new Date("2026-03-08T08:30:00Z"), "America/New_York", 4)).toBe("2026-03-08");
  });

  it("keeps a day that starts at midnight on its own local date", () => {
    expect(businessDate(new Date("2026-06-01T00:00:00Z"), "UTC", 0)).toBe("2026-06-01");
    expect(businessDate(new Date("2026-05-31T23:59:00Z"), "UTC", 0)).toBe("2026-05-31");
  });

  it("reads the business day now running when no period is asked for", () => {
    expect(parsePeriod({}, ny, new Date("2026-11-29T07:00:00Z"))).toEqual({ from: "2026-11-28", to: "2026-11-28" });
  });

  it("compares with the same weekdays a week before, a longer range with the whole weeks before it", () => {
    expect(weekBefore({ from: "2026-11-29", to: "2026-11-29" })).toEqual({ from: "2026-11-22", to: "2026-11-22" });
    expect(weekBefore({ from: "2026-03-01", to: "2026-03-07" })).toEqual({ from: "2026-02-22", to: "2026-02-28" });
    expect(weekBefore({ from: "2026-10-31", to: "2026-11-29" })).toEqual({ from: "2026-09-26", to: "2026-10-25" });
  });

  it("refuses a date that is not a real date, naming the field", () => {
    expect(() => parsePeriod({ from: "2026-02-30" }, ny)).toThrow("From must be a date like 2026-11-29");
    expect(() => parsePeriod({ from: "2026-11-01", to: "yesterday" }, ny)).toThrow("To must be a date");
  });

  it("refuses a range that ends before it starts or is longer than a year", () => {
    expect(() => parsePeriod({ from: "2026-11-02", to: "2026-11-01" }, ny)).toThrow("To must be on or after From");
    expect(() => parsePeriod({ from: "2024-01-01", to: "2026-01-01" }, ny)).toThrow("at most 366 days");
  });
});

describe("chart scales", () => {
  it("steps counts in whole units: two items sold get gridlines at 0, 1 and 2, not 0.5", async () => {
    const { BarChart } = await import("../../views/reports/chart");
    const svg = String(BarChart({ currency: "USD", chart: { key: "k", title: "T", description: "D", xLabel: "x", yLabel: "y", unit: "count", bars: [{ label: "A", value: 2 }] } }));
    const wide = svg.slice(0, svg.indexOf('class="narrow"'));
    expect([...wide.matchAll(/text-anchor="end" font-size="11">([^<]*)</g)].map((m) => m[1])).toEqual(["0", "1", "2"]);
  });

  it("labels money gridlines in the restaurant's currency", async () => {
    const { BarChart } = await import("../../views/reports/chart");
    const svg = String(BarChart({ currency: "EUR", chart: { key: "k", title: "T", description: "D", xLabel: "x", yLabel: "y", unit: "money", bars: [{ label: "A", value: 125_000 }] } }));
    expect(svg).toContain(">€500.00<");
    expect(svg).toContain("<title>A: €1,250.00</title>");
  });
});
