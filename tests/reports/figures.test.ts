import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { withSystem } from "../../src/db/tenant";
import { loadReport } from "../../src/reports/service";
import type { Report, ReportRestaurant } from "../../src/reports/model";
import type { Cell, ReportTable } from "../../src/reports/tables";
import { buildKnownDay, DAY, TZ } from "./day";

setDefaultTimeout(60_000);

const cents = (c: Cell) => (typeof c === "object" && c !== null ? c.cents : c);
const table = (r: Report, key: string): ReportTable => r.sections.flatMap((s) => s.tables).find((t) => t.key === key)!;
/** A table as plain rows, money as cents, for exact comparison. */
const plain = (r: Report, key: string) => table(r, key).rows.map((row) => row.map(cents));
const figure = (r: Report, label: string) => {
  const f = r.sections[0]!.figures!.find((x) => x.label === label)!;
  return [cents(f.value), cents(f.before)];
};

for (const driver of DRIVERS) describe(`reports for a known business day (25 hours long: daylight saving ends during it), on ${driver}`, () => {
  let db: TestDatabase;
  let restaurant: ReportRestaurant;
  let sales: Report, items: Report, kitchen: Report, staff: Report;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    const day = await buildKnownDay(db.db, "figures");
    restaurant = { id: day.rid, name: "Figures", timeZone: TZ, currency: "USD", dayStartsAtHour: 4, ageThresholds: [8, 12, 16] };
    const period = { from: DAY, to: DAY };
    [sales, items, kitchen, staff] = await Promise.all([
      loadReport(db.db, restaurant, "sales", period), loadReport(db.db, restaurant, "items", period),
      loadReport(db.db, restaurant, "kitchen", period), loadReport(db.db, restaurant, "staff", period),
    ]);
  }, 120_000);
  afterAll(() => db.drop());

  it("counts the sent orders of the business day, from 04:00 Saturday to 04:00 Sunday, and nothing either side", () => {
    expect(figure(sales, "Orders")).toEqual([6, 1]);
    expect(figure(sales, "Cancelled orders")).toEqual([1, 0]);
    expect(figure(sales, "Open tickets (never sent)")).toEqual([1, 0]);
    expect(figure(sales, "Guests")).toEqual([6, 1]);
  });

  it("adds up gross, discounts, net, tax and total to the cent, against the same weekday a week before", () => {
    expect(figure(sales, "Gross sales")).toEqual([9345, 700]);
    expect(figure(sales, "Discounts")).toEqual([413, 0]);
    expect(figure(sales, "Net sales")).toEqual([8932, 700]);
    expect(figure(sales, "Tax")).toEqual([811, 70]);
    expect(figure(sales, "Total taken")).toEqual([9743, 770]);
    expect(figure(sales, "Average check")).toEqual([1489, 700]);
    expect(figure(sales, "Voided after sending")).toEqual([1100, 0]);
    expect(figure(sales, "Voided lines")).toEqual([1, 0]);
  });

  it("splits tax by rate exactly as pricing rounded it, the discounted order's share allocated line by line", () => {
    expect(plain(sales, "tax")).toEqual([["8.75%", "plus tax", 6767, 594], ["10.00%", "plus tax", 2165, 217]]);
  });

  it("puts both 01:30s of the repeated hour in hour 01 and the after-midnight orders in the same business day", () => {
    expect(plain(sales, "hours")).toEqual([["12:00", 1, 2945], ["23:00", 1, 1800], ["00:00", 1, 2337], ["01:00", 2, 1200], ["03:00", 1, 650]]);
    const chart = sales.sections[0]!.charts![0]!;
    expect(chart.bars.map((b) => b.label).slice(0, 3)).toEqual(["04", "05", "06"]);
    expect(chart.bars.reduce((s, b) => s + b.value, 0)).toBe(8932);
  });

  it("splits orders by type and by channel (POS, API, kiosk)", () => {
    expect(plain(sales, "order-types")).toEqual([["Dine in", 3, 6, 5345, 1782], ["Takeout", 2, 0, 2937, 1469], ["Kiosk", 1, 0, 650, 650]]);
    expect(plain(sales, "channels")).toEqual([["POS", 4, 6, 7682, 1921], ["Kiosk", 1, 0, 650, 650], ["API", 1, 0, 600, 600]]);
  });

  it("gives item quantities and net after each line's share of the discount, adding up to net sales", () => {
    const rows: Record<string, unknown[]> = Object.fromEntries(plain(items, "items").map((r) => [r[0], r.slice(2)]));
    expect(rows["Classic Burger"]).toEqual([1, 1545, 0, 1545, 0]);
    expect(rows["Draft Lager"]).toEqual([2, 1400, 0, 1400, 0]);
    expect(rows["Apple Pie"]).toEqual([2, 1300, 0, 1300, 0]);
    expect(rows["Caesar Salad"]).toEqual([1, 1100, 165, 935, 0]);
    expect(rows["House Red"]).toEqual([1, 900, 135, 765, 0]);
    expect(rows["Brownie Sundae"]).toEqual([1, 750, 113, 637, 0]);
    expect(rows["Onion Rings"]).toEqual([0, 0, 0, 0, 2]);
    expect(Object.values(rows).reduce((sum: number, r) => sum + (r[3] as number), 0)).toBe(8932);
    expect(plain(items, "top")[0]!.slice(0, 3)).toEqual(["Draft Lager", "Drinks", 2]);
  });

  it("counts modifiers by the line's quantity", () => {
    const mods = Object.fromEntries(plain(items, "modifiers").map((r) => [`${r[0]}/${r[1]}`, r.slice(2)]));
    expect(mods["Add-ons/Bacon"]).toEqual([1, 250]);
    expect(mods["Size/Small"]).toEqual([2, 0]);
    expect(mods["Size/Large"]).toEqual([1, 150]);
  });

  it("times each 86 within the business day, one out since the day before and one still out at the end", () => {
    expect(plain(items, "86").map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ["Brownie Sundae", "04:00", "05:00", 60],
      ["Apple Pie", "18:00", "19:30", 90],
      ["Cola", "03:00", "still out", 60],
    ]);
  });

  it("gives ticket times per station fired to bumped, with p50, p90, max and late tickets past the restaurant's threshold, leaving out a cancelled order's unbumped ticket", () => {
    const rows = Object.fromEntries(plain(kitchen, "stations").map((r) => [r[0], r.slice(1)]));
    expect(rows.Grill).toEqual([1, 1, 10, 10, 10, 0]);
    expect(rows.Fry).toEqual([3, 3, 8, 13.6, 15, 1]);
    expect(rows.Bar).toEqual([3, 3, 2, 2.8, 3, 0]);
    expect(rows.Cold).toEqual([3, 3, 5, 11.4, 13, 1]);
    expect(plain(kitchen, "late")).toEqual([["#2", "Fry", "23:50", 15], ["#6", "Cold", "03:59", 13]]);
    expect(plain(kitchen, "recalls")).toEqual([["Bar", 1]]);
    const slowest = plain(kitchen, "slowest");
    expect(slowest[0]).toEqual(["Wings (8)", 1, 15, 15, 15]);
    expect(slowest.find((r) => r[0] === "Apple Pie")).toEqual(["Apple Pie", 2, 8.5, 12.1, 13]);
    // A cancel after sending voids the order's fired lines (issue 18.3): the kitchen may have cooked them.
    expect(plain(kitchen, "fired-voids").map((r) => [r[2], r[3], r[4], r[5]])).toEqual([["Wings (8)", 1, 1150, "guest left"], ["Onion Rings", 2, 1100, "Dropped"]]);
  });

  it("shows per person the orders and sales they took, the voids they asked for or approved and the discounts they gave", () => {
    const rows = Object.fromEntries(plain(staff, "staff").map((r) => [r[0], r.slice(1)]));
    const server = Object.keys(rows).find((n) => n.startsWith("server"))!;
    const manager = Object.keys(rows).find((n) => n.startsWith("manager"))!;
    expect(rows[server]).toEqual([4, 7682, 1921, 413, 1, 1100, 0, 0, 0, 0]);
    expect(rows[manager]).toEqual([0, 0, 0, 0, 0, 0, 1, 1100, 1, 413]);
    expect(rows["API / device"]).toEqual([2, 1250, 625, 0, 0, 0, 0, 0, 0, 0]);
    expect(plain(staff, "exceptions").map((r) => [r[1], r[4], r[5], r[6], r[7]])).toEqual([
      ["Void (PIN override)", 1100, "Dropped", server, manager],
      ["Discount", 413, "Regular", manager, manager],
    ]);
  });

  it("reads the window of a DST day as 25 hours, and of an ordinary day as 24", async () => {
    const hours = async (d: string) => {
      const r = await withSystem(db.db, (tx) => tx.execute(sql`select extract(epoch from (((${d}::date + 1)::timestamp + interval '4 hours') at time zone ${TZ}) - ((${d}::date::timestamp + interval '4 hours') at time zone ${TZ})) / 3600 as h`));
      return Number((Array.isArray(r) ? r : (r as { rows: { h: number }[] }).rows)[0]!.h);
    };
    expect(await hours(DAY)).toBe(25);
    expect(await hours("2026-10-24")).toBe(24);
  });
});
