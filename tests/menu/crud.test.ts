import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeRestaurant } from "../helpers/auth";
import { withTenant } from "../../src/db/tenant";
import { stations } from "../../src/db/schema";
import { loadMenuAdmin } from "../../src/menu/admin-read";
import { deleteCategory, moveCategory, saveCategory } from "../../src/menu/category-service";
import { attachGroup, deleteItem, saveItem } from "../../src/menu/item-service";
import { deleteOption, saveGroup, saveOption } from "../../src/menu/group-service";
import { savePricing, saveTaxCategory } from "../../src/menu/tax-service";
import { loadPosMenu, setItemAvailability } from "../../src/menu/service";
import { InvalidInput } from "../../src/menu/validate";

const actor = { userId: null, deviceId: null };

describe.each(DRIVERS)("menu services on %s", (driver) => {
  let db: TestDatabase;
  let rid: string;
  let otherId: string;
  let grill: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    rid = (await makeRestaurant(db.db, `crud-${driver}`, { taxRateBps: 800 })).id;
    otherId = (await makeRestaurant(db.db, `crud-other-${driver}`)).id;
    const [station] = await withTenant(db.db, rid, (tx) => tx.insert(stations).values({ restaurantId: rid, name: "Grill", slug: "grill" }).returning());
    grill = station!.id;
  }, 30_000);
  afterAll(() => db.drop());

  it("builds a menu end to end and the POS reads it back", async () => {
    const mains = await saveCategory(db.db, rid, actor, null, { name: "Mains" });
    const drinks = await saveCategory(db.db, rid, actor, null, { name: "Drinks" });
    await moveCategory(db.db, rid, actor, drinks.id, "up");
    const wine = await saveTaxCategory(db.db, rid, actor, null, { name: "Wine", rate: "12" });
    const steak = await saveItem(db.db, rid, actor, null, { categoryId: mains.id, name: "Steak", price: "24.50", stationIds: [grill] });
    await saveItem(db.db, rid, actor, null, { categoryId: drinks.id, name: "Merlot", price: "9", taxCategoryId: wine.id });
    const doneness = await saveGroup(db.db, rid, actor, null, { name: "Doneness", required: true, minSelect: "1", maxSelect: "1", options: "Rare\nMedium\nWell +0.50" });
    await attachGroup(db.db, rid, actor, steak.id, doneness.id);
    const menu = await withTenant(db.db, rid, (tx) => loadPosMenu(tx, rid, 800));
    expect(menu.categories.map((c) => c.name)).toEqual(["Drinks", "Mains"]);
    const s = menu.categories[1]!.items[0]!;
    expect(s).toMatchObject({ name: "Steak", priceCents: 2450, taxRateBps: 800, stationIds: [grill] });
    expect(s.groups[0]!.options.map((o) => [o.name, o.priceDeltaCents])).toEqual([["Rare", 0], ["Medium", 0], ["Well", 50]]);
    expect(menu.categories[0]!.items[0]!.taxRateBps).toBe(1200);
  });

  it("refuses bad input with every field named, and writes nothing", async () => {
    const before = JSON.stringify(await loadMenuAdmin(db.db, rid));
    const mains = (await loadMenuAdmin(db.db, rid)).categories.find((c) => c.name === "Mains")!;
    const error = await saveItem(db.db, rid, actor, null, { categoryId: mains.id, name: "", price: "-2" }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect(Object.keys((error as InvalidInput).fields).sort()).toEqual(["name", "price"]);
    await expect(saveCategory(db.db, rid, actor, null, { name: "MAINS" })).rejects.toMatchObject({ status: 409 });
    await expect(saveGroup(db.db, rid, actor, null, { name: "X", required: true, minSelect: "1", maxSelect: "1", options: "" })).rejects.toMatchObject({ fields: { options: "A required group needs at least one option" } });
    await expect(savePricing(db.db, rid, actor, { defaultRate: "abc", taxInclusive: "inclusive" })).rejects.toMatchObject({ fields: { defaultRate: expect.any(String) } });
    expect(JSON.stringify(await loadMenuAdmin(db.db, rid))).toBe(before);
  });

  it("keeps a group's rules when options are removed", async () => {
    const d = await loadMenuAdmin(db.db, rid);
    const doneness = d.groups.find((g) => g.name === "Doneness")!;
    const options = d.options.filter((o) => o.groupId === doneness.id);
    await deleteOption(db.db, rid, actor, options[0]!.id);
    await deleteOption(db.db, rid, actor, options[1]!.id);
    await expect(deleteOption(db.db, rid, actor, options[2]!.id)).rejects.toMatchObject({ status: 409 });
    await saveOption(db.db, rid, actor, doneness.id, null, { name: "Blue", priceDelta: "0", isDefault: true });
    expect((await loadMenuAdmin(db.db, rid)).options.filter((o) => o.groupId === doneness.id).map((o) => o.name)).toEqual(["Well", "Blue"]);
  });

  it("treats another restaurant's rows as not there: update, delete, 86 and moves are 404 and change nothing", async () => {
    const before = JSON.stringify(await loadMenuAdmin(db.db, rid));
    const d = await loadMenuAdmin(db.db, rid);
    const steak = d.items.find((i) => i.name === "Steak")!;
    const mains = d.categories.find((c) => c.name === "Mains")!;
    const attempts = [
      () => saveCategory(db.db, otherId, actor, mains.id, { name: "Hacked" }),
      () => deleteCategory(db.db, otherId, actor, mains.id),
      () => moveCategory(db.db, otherId, actor, mains.id, "down"),
      () => saveItem(db.db, otherId, actor, steak.id, { categoryId: mains.id, name: "Hacked", price: "1" }),
      () => deleteItem(db.db, otherId, actor, steak.id),
      () => setItemAvailability(db.db, otherId, steak.id, false, actor),
      () => saveItem(db.db, otherId, actor, null, { categoryId: mains.id, name: "Sneaky", price: "1" }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ status: 404 });
    expect(JSON.stringify(await loadMenuAdmin(db.db, rid))).toBe(before);
  });
});
