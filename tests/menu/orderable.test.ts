import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { and, eq } from "drizzle-orm";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { seedDemo } from "../../src/restaurants/demo";
import { makeRestaurant } from "../helpers/auth";
import { testConfig } from "../helpers/app";
import { withSystem, withTenant } from "../../src/db/tenant";
import { events, menuItems, modifierOptions } from "../../src/db/schema";
import { loadOrderableItems, loadPosMenu, setItemAvailability, setOptionAvailability } from "../../src/menu/service";

const nobody = { userId: null, deviceId: null };

describe.each(DRIVERS)("orderable menu on %s", (driver) => {
  let db: TestDatabase;
  let demo: Awaited<ReturnType<typeof seedDemo>>;
  let other: Awaited<ReturnType<typeof makeRestaurant>>;
  let rid: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    demo = await seedDemo(db.db, testConfig().pinPepper);
    rid = demo.restaurant.id;
    other = await makeRestaurant(db.db, "other");
  });
  afterAll(() => db.drop());

  it("loads the POS menu with categories, items, groups and options in position order", async () => {
    const menu = await withTenant(db.db, rid, (tx) => loadPosMenu(tx, rid, 875));
    expect(menu.categories.map((c) => c.name)).toEqual(["Burgers", "Sides", "Salads", "Drinks", "Desserts"]);
    const classic = menu.categories[0]!.items[0]!;
    expect(classic.name).toBe("Classic Burger");
    expect(classic.priceCents).toBe(1295);
    expect(classic.taxRateBps).toBe(875);
    expect(classic.stationIds).toHaveLength(1);
    expect(classic.groups.map((g) => g.name)).toEqual(["Doneness", "Add-ons", "Side"]);
    expect(classic.groups[0]!.options.map((o) => o.name)).toEqual(["Rare", "Medium rare", "Medium", "Well done"]);
    expect(classic.groups[0]!.options[2]!.isDefault).toBe(true);
    const side = classic.groups[2]!;
    expect(side.options[0]!.stationId).not.toBeNull();
    const lager = menu.categories[3]!.items.find((i) => i.name === "Draft Lager")!;
    expect(lager.taxRateBps).toBe(1000);
    const chicken = menu.categories[0]!.items.find((i) => i.name === "Chicken Sandwich")!;
    expect(chicken.stationIds).toHaveLength(2);
  });

  it("loads chosen items by id, ignoring unknown, malformed and other restaurants' ids", async () => {
    const menu = await withTenant(db.db, rid, (tx) => loadPosMenu(tx, rid, 0));
    const ids = menu.categories.flatMap((c) => c.items.map((i) => i.id)).slice(0, 3);
    const map = await withTenant(db.db, rid, (tx) => loadOrderableItems(tx, rid, 0, [...ids, "nope", crypto.randomUUID()]));
    expect([...map.keys()].sort()).toEqual([...ids].sort());
    const foreign = await withTenant(db.db, other.id, (tx) => loadOrderableItems(tx, other.id, 0, ids));
    expect(foreign.size).toBe(0);
  });

  it("86es an item and an option, appending menu.availability events in the same transaction", async () => {
    const menu = await withTenant(db.db, rid, (tx) => loadPosMenu(tx, rid, 0));
    const fries = menu.categories[1]!.items[0]!;
    const option = fries.groups[0]!.options[1]!;
    await setItemAvailability(db.db, rid, fries.id, false, nobody);
    await setOptionAvailability(db.db, rid, option.id, false, nobody);
    const after = await withTenant(db.db, rid, (tx) => loadOrderableItems(tx, rid, 0, [fries.id]));
    expect(after.get(fries.id)!.available).toBe(false);
    expect(after.get(fries.id)!.groups[0]!.options[1]!.available).toBe(false);
    const rows = await withSystem(db.db, (tx) => tx.select().from(events).where(and(eq(events.restaurantId, rid), eq(events.type, "menu.availability"))));
    expect(rows.map((r) => r.data)).toEqual([{ kind: "item", id: fries.id, available: false }, { kind: "option", id: option.id, available: false }]);
    await setItemAvailability(db.db, rid, fries.id, true, nobody);
    const [back] = await withSystem(db.db, (tx) => tx.select().from(menuItems).where(eq(menuItems.id, fries.id)));
    expect(back!.available).toBe(true);
  });

  it("refuses to 86 another restaurant's item or option and changes nothing", async () => {
    const menu = await withTenant(db.db, rid, (tx) => loadPosMenu(tx, rid, 0));
    const item = menu.categories[0]!.items[0]!;
    const option = item.groups[0]!.options[0]!;
    await expect(setItemAvailability(db.db, other.id, item.id, false, nobody)).rejects.toMatchObject({ status: 404 });
    await expect(setOptionAvailability(db.db, other.id, option.id, false, nobody)).rejects.toMatchObject({ status: 404 });
    const [i] = await withSystem(db.db, (tx) => tx.select().from(menuItems).where(eq(menuItems.id, item.id)));
    const [o] = await withSystem(db.db, (tx) => tx.select().from(modifierOptions).where(eq(modifierOptions.id, option.id)));
    expect(i!.available).toBe(true);
    expect(o!.available).toBe(true);
    const otherEvents = await withSystem(db.db, (tx) => tx.select().from(events).where(eq(events.restaurantId, other.id)));
    expect(otherEvents).toHaveLength(0);
  });
});
