import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeDevice } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { loadReport } from "../../src/reports/service";
import type { Report, ReportRestaurant } from "../../src/reports/model";
import type { Cell } from "../../src/reports/tables";
import { buildKnownDay, DAY, TZ } from "./day";

setDefaultTimeout(60_000);

const cents = (c: Cell) => (typeof c === "object" && c !== null ? c.cents : c);
const plain = (r: Report, key: string) => r.sections.flatMap((s) => s.tables).find((t) => t.key === key)?.rows.map((row) => row.map(cents));

/** The payments section reads the payments feature's rows (drizzle/0009_payments.sql); each figure is checked. */
describe("payments in reports", () => {
  let db: TestDatabase;
  let restaurant: ReportRestaurant;
  let day: Awaited<ReturnType<typeof buildKnownDay>>;
  const period = { from: DAY, to: DAY };

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    day = await buildKnownDay(db.db, "pay");
    restaurant = { id: day.rid, name: "Pay", timeZone: TZ, currency: "USD", dayStartsAtHour: 4, ageThresholds: [8, 12, 16] };
  }, 120_000);
  afterAll(() => db.drop());

  it("reads tenders, tips by server, refunds, cash drawers and comps", async () => {
    const till = await makeDevice(db.db, day.rid, "pos");
    const { o1, o2, o3 } = day.orders;
    const exec = (q: ReturnType<typeof sql>) => withSystem(db.db, (tx) => tx.execute(q));

    const server = day.server.user.id;
    await exec(sql`insert into payments (restaurant_id, order_id, tender, status, amount_cents, tip_cents, server_user_id) values
      (${day.rid}, ${o1.id}, 'card', 'completed', 3220, 500, ${server}),
      (${day.rid}, ${o2.id}, 'cash', 'partly_refunded', 1958, 200, ${server}),
      (${day.rid}, ${o3.id}, 'card', 'failed', 2552, 0, ${server})`);
    await exec(sql`insert into payment_refunds (restaurant_id, payment_id, order_id, amount_cents, reason, by_user, created_at)
      select restaurant_id, id, order_id, 650, 'Pie was cold', ${day.manager.user.id}, '2026-11-01T04:00:00Z' from payments where order_id = ${o2.id}`);
    await exec(sql`update payments set refunded_cents = 650 where order_id = ${o2.id}`);
    await exec(sql`insert into cash_drawers (restaurant_id, device_id, status, float_cents, opened_by, opened_at, closed_at, expected_cents, counted_cents, over_short_cents) values
      (${day.rid}, ${till.device.id}, 'closed', 20000, ${server}, '2026-10-31T14:00:00Z', '2026-11-01T08:30:00Z', 21308, 21300, -8),
      (${day.rid}, ${till.device.id}, 'open', 20000, ${server}, '2026-10-30T14:00:00Z', null, null, null, null)`);
    await exec(sql`update order_items set comped_at = now() where restaurant_id = ${day.rid} and order_id = ${o1.id} and name = 'Draft Lager'`);

    const report = await loadReport(db.db, restaurant, "end-of-day", period);
    expect(report.sections.find((s) => s.key === "payments")!.pending).toBeUndefined();
    expect(plain(report, "tenders")).toEqual([["card", 1, 3220, 500, 0], ["cash", 1, 1958, 200, 650]]);
    expect(plain(report, "refunds")).toEqual([["00:00", "#2", "cash", 650, "Pie was cold", expect.stringMatching(/^manager/)]]);
    expect(plain(report, "drawers")).toEqual([["pos device", expect.stringMatching(/^server/), "10:00", "03:30", 20000, 21308, 21300, -8]]);
    expect(plain(report, "comps")).toEqual([[1, 1400]]);
    const sales = await loadReport(db.db, restaurant, "sales", period);
    expect(plain(sales, "tips")).toEqual([[expect.stringMatching(/^server/), 2, 700]]);
  });
});
