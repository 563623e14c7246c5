import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { createRestaurant } from "../../src/restaurants/service";
import { withSystem, withTenant } from "../../src/db/tenant";
import { auditLog, events, menuCategories, restaurants, stations } from "../../src/db/schema";
import { rowsOf } from "../../src/db/client";

describe.each(DRIVERS)("tenant isolation on %s", (driver) => {
  let db: TestDatabase;
  let a: string;
  let b: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    a = (await createRestaurant(db.db, { name: "A", slug: "a", ownerEmail: "a@example.com" })).restaurant.id;
    b = (await createRestaurant(db.db, { name: "B", slug: "b", ownerEmail: "b@example.com" })).restaurant.id;
    await withTenant(db.db, a, (tx) => tx.insert(stations).values({ restaurantId: a, name: "Grill", slug: "grill" }));
    await withTenant(db.db, b, (tx) => tx.insert(stations).values({ restaurantId: b, name: "Grill", slug: "grill" }));
  });
  afterAll(() => db.drop());

  it("runs tenant statements as the non-owner role", async () => {
    const [row] = await withTenant(db.db, a, async (tx) => rowsOf<{ u: string }>(await tx.execute(sql`select current_user as u`)));
    expect(row!.u).toBe("ros_app");
  });

  it("shows only the current restaurant's rows even when the query leaves out its filter", async () => {
    const seen = await withTenant(db.db, a, (tx) => tx.select().from(stations));
    expect(seen.map((s) => s.restaurantId)).toEqual([a]);
    const rs = await withTenant(db.db, a, (tx) => tx.select().from(restaurants));
    expect(rs.map((r) => r.id)).toEqual([a]);
  });

  it("cannot update another restaurant's rows without a filter", async () => {
    await withTenant(db.db, a, (tx) => tx.update(stations).set({ name: "Hacked" }));
    const bRows = await withTenant(db.db, b, (tx) => tx.select().from(stations));
    expect(bRows.map((s) => s.name)).toEqual(["Grill"]);
  });

  it("cannot delete another restaurant's rows without a filter", async () => {
    await withTenant(db.db, a, (tx) => tx.delete(auditLog));
    await withTenant(db.db, b, (tx) => tx.insert(auditLog).values({ restaurantId: b, action: "test" }));
    await withTenant(db.db, a, (tx) => tx.delete(auditLog));
    const bRows = await withTenant(db.db, b, (tx) => tx.select().from(auditLog));
    expect(bRows).toHaveLength(1);
  });

  it("refuses to insert a row into another restaurant", async () => {
    const attempt = withTenant(db.db, a, (tx) => tx.insert(menuCategories).values({ restaurantId: b, name: "Sneaky" }));
    await expect(attempt).rejects.toThrow();
    const bCats = await withTenant(db.db, b, (tx) => tx.select().from(menuCategories));
    expect(bCats).toHaveLength(0);
  });

  it("refuses to move a row into another restaurant by UPDATE", async () => {
    const attempt = withTenant(db.db, a, (tx) => tx.update(stations).set({ restaurantId: b }).where(eq(stations.restaurantId, a)));
    await expect(attempt).rejects.toThrow();
  });

  it("refuses a row that points into another tenant through a composite key", async () => {
    const [bStation] = await withTenant(db.db, b, (tx) => tx.select().from(stations));
    // Even as owner (no RLS in the way), (restaurant_id, station_id) must exist together.
    const attempt = withSystem(db.db, (tx) => tx.execute(sql`insert into devices (restaurant_id, name, kind, station_id, token_hash) values (${a}, 'x', 'kds', ${bStation!.id}, 'h')`));
    await expect(attempt).rejects.toThrow();
  });

  it("sees nothing at all without a restaurant set", async () => {
    const rows = await db.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'ros_app', true)`);
      return tx.select().from(stations);
    });
    expect(rows).toHaveLength(0);
  });

  it("cannot read events of another restaurant", async () => {
    await withSystem(db.db, (tx) => tx.insert(events).values({ restaurantId: b, seq: 1, type: "x", data: {} }));
    const seen = await withTenant(db.db, a, (tx) => tx.select().from(events));
    expect(seen).toHaveLength(0);
  });
});
