import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { eq } from "drizzle-orm";
import { menuWorld, byName, type MenuWorld } from "./setup";
import { withTenant } from "../../src/db/tenant";
import { orderItems, orders } from "../../src/db/schema";

describe("editing the menu never rewrites orders already taken", () => {
  let w: MenuWorld;
  let lineId: string;
  const snapshotOf = () => w.tenant(w.rid, async (tx) => (await tx.select().from(orderItems).where(eq(orderItems.id, lineId)))[0]!);

  beforeAll(async () => {
    w = await menuWorld();
    const d = byName(await w.data());
    const burger = d.item("Classic Burger");
    const medium = d.option("Doneness", "Medium");
    // An order taken before the edit, with the snapshot the order engine writes.
    lineId = await w.tenant(w.rid, async (tx) => {
      const [order] = await tx.insert(orders).values({ restaurantId: w.rid, number: 1, businessDate: "2026-01-02", type: "dine_in", subtotalCents: 1295, totalCents: 1408 }).returning();
      const [line] = await tx.insert(orderItems).values({
        restaurantId: w.rid, orderId: order!.id, menuItemId: burger.id, name: burger.name, kitchenName: burger.kitchenName,
        unitPriceCents: burger.priceCents, taxRateBps: 875, quantity: 1, lineTotalCents: 1295,
        modifiers: [{ optionId: medium.id, groupName: "Doneness", name: "Medium", priceDeltaCents: 0 }],
      }).returning();
      return line!.id;
    });
  });
  afterAll(() => w.close());

  it("keeps the line's name, price, tax and modifiers after the item's price, name and tax and the option change", async () => {
    const before = await snapshotOf();
    const d = byName(await w.data());
    const burger = d.item("Classic Burger");
    const res = await w.post(`/admin/menu/items/${burger.id}`, w.manager, {
      categoryId: burger.categoryId, name: "Classic Burger Deluxe", price: "15.50", kitchenName: "DLX", taxCategoryId: d.tax("Alcohol").id, activeShown: "1", active: "on",
    });
    expect(res.status).toBe(303);
    expect(byName(await w.data()).item("Classic Burger Deluxe").priceCents).toBe(1550);
    const medium = d.option("Doneness", "Medium");
    await w.post(`/admin/menu/options/${medium.id}`, w.manager, { name: "Medium pink", priceDelta: "0.75" });
    await w.post("/admin/menu/pricing", w.manager, { defaultRate: "20", taxInclusive: "inclusive" });
    expect(await snapshotOf()).toEqual(before);
    expect(before).toMatchObject({ name: "Classic Burger", unitPriceCents: 1295, taxRateBps: 875, lineTotalCents: 1295, kitchenName: "CLASSIC" });
    expect(before.modifiers).toEqual([{ optionId: medium.id, groupName: "Doneness", name: "Medium", priceDeltaCents: 0 }]);
  });

  it("keeps the line and its order's totals after the item is deleted", async () => {
    const before = await snapshotOf();
    const burger = byName(await w.data()).item("Classic Burger Deluxe");
    expect((await w.post(`/admin/menu/items/${burger.id}/delete`, w.manager, {})).status).toBe(303);
    expect(await snapshotOf()).toEqual(before);
    const order = await w.tenant(w.rid, async (tx) => (await tx.select().from(orders).where(eq(orders.id, before.orderId)))[0]!);
    expect(order.subtotalCents).toBe(1295);
  });
});
