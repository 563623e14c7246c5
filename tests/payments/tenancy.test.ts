import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { createRestaurant } from "../../src/restaurants/service";
import { withSystem, withTenant } from "../../src/db/tenant";
import { cashDrawers, devices, orderChecks, orders, paymentRefunds, payments } from "../../src/db/schema";
import { rowsOf } from "../../src/db/client";

const NEW_TABLES = ["order_checks", "order_check_lines", "cash_drawers", "drawer_movements", "payments", "payment_refunds"];

describe.each(DRIVERS)("payment tables are walled per restaurant on %s", (driver) => {
  let db: TestDatabase;
  let a: string;
  let b: string;

  /** An order with a check, a drawer, a payment and a refund in one restaurant. */
  async function seed(rid: string) {
    return withSystem(db.db, async (tx) => {
      const [order] = await tx.insert(orders).values({ restaurantId: rid, number: 1, businessDate: "2026-11-29", type: "takeout", totalCents: 1000 }).returning();
      await tx.insert(orderChecks).values({ restaurantId: rid, orderId: order!.id, number: 1, label: "Check 1" });
      const [device] = await tx.insert(devices).values({ restaurantId: rid, name: "till", kind: "pos", tokenHash: `h-${rid}` }).returning();
      const [drawer] = await tx.insert(cashDrawers).values({ restaurantId: rid, deviceId: device!.id, floatCents: 100 }).returning();
      const [payment] = await tx.insert(payments).values({ restaurantId: rid, orderId: order!.id, tender: "cash", status: "completed", amountCents: 1000, drawerId: drawer!.id }).returning();
      await tx.insert(paymentRefunds).values({ restaurantId: rid, paymentId: payment!.id, orderId: order!.id, amountCents: 100, reason: "x" });
      return { order: order!, payment: payment!, drawer: drawer! };
    });
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    a = (await createRestaurant(db.db, { name: "A", slug: "a", ownerEmail: "a@example.com" })).restaurant.id;
    b = (await createRestaurant(db.db, { name: "B", slug: "b", ownerEmail: "b@example.com" })).restaurant.id;
    await seed(a);
    await seed(b);
  });
  afterAll(() => db.drop());

  it("has row-level security enabled and forced on every new table", async () => {
    const rows = rowsOf<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(await withSystem(db.db, (tx) => tx.execute(sql`
      select relname, relrowsecurity, relforcerowsecurity from pg_class where relname in ${sql.raw(`(${NEW_TABLES.map((t) => `'${t}'`).join(",")})`)} order by relname`)));
    expect(rows).toHaveLength(NEW_TABLES.length);
    for (const r of rows) expect({ t: r.relname, on: r.relrowsecurity, forced: r.relforcerowsecurity }).toEqual({ t: r.relname, on: true, forced: true });
  });

  it("shows, updates and deletes only the current restaurant's payments, refunds and drawers, even without a filter", async () => {
    expect((await withTenant(db.db, a, (tx) => tx.select().from(payments))).map((p) => p.restaurantId)).toEqual([a]);
    await withTenant(db.db, a, (tx) => tx.update(payments).set({ refundedCents: 5 }));
    await withTenant(db.db, a, (tx) => tx.update(cashDrawers).set({ floatCents: 1 }));
    await withTenant(db.db, a, (tx) => tx.delete(paymentRefunds));
    await withTenant(db.db, a, (tx) => tx.delete(orderChecks));
    const bPayments = await withTenant(db.db, b, (tx) => tx.select().from(payments));
    expect(bPayments.map((p) => p.refundedCents)).toEqual([0]);
    expect((await withTenant(db.db, b, (tx) => tx.select().from(cashDrawers))).map((d) => d.floatCents)).toEqual([100]);
    expect(await withTenant(db.db, b, (tx) => tx.select().from(paymentRefunds))).toHaveLength(1);
    expect(await withTenant(db.db, b, (tx) => tx.select().from(orderChecks))).toHaveLength(1);
  });

  it("refuses a payment pointing at another restaurant's order", async () => {
    const [bOrder] = await withSystem(db.db, (tx) => tx.select().from(orders).where(sql`restaurant_id = ${b}`));
    await expect(withTenant(db.db, a, (tx) => tx.insert(payments).values({ restaurantId: a, orderId: bOrder!.id, tender: "cash", amountCents: 1 }))).rejects.toThrow();
    await expect(withTenant(db.db, a, (tx) => tx.insert(payments).values({ restaurantId: b, orderId: bOrder!.id, tender: "cash", amountCents: 1 }))).rejects.toThrow();
  });

  it("refuses money columns that make no sense, whatever the code above it does", async () => {
    const [aOrder] = await withSystem(db.db, (tx) => tx.select().from(orders).where(sql`restaurant_id = ${a}`));
    await expect(withTenant(db.db, a, (tx) => tx.insert(payments).values({ restaurantId: a, orderId: aOrder!.id, tender: "cash", amountCents: 0 }))).rejects.toThrow();
    await expect(withTenant(db.db, a, (tx) => tx.insert(payments).values({ restaurantId: a, orderId: aOrder!.id, tender: "cash", amountCents: 10, refundedCents: 11 }))).rejects.toThrow();
  });
});
