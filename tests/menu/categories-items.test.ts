import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, readable, type MenuWorld } from "./setup";

describe("menu admin: categories and items", () => {
  let w: MenuWorld;
  beforeAll(async () => { w = await menuWorld(); });
  afterAll(() => w.close());

  const long = "x".repeat(200);

  describe("categories", () => {
    it("adds a category at the end and redirects a plain form back to the menu with a message", async () => {
      const res = await w.post("/admin/menu/categories", w.manager, { name: "  Breakfast  " });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/menu?done=category-created");
      const data = await w.data();
      expect(data.categories.at(-1)!.name).toBe("Breakfast");
      const page = await (await w.get("/admin/menu?done=category-created", w.manager)).text();
      expect(page).toContain("Category added.");
    });

    it("answers htmx with the page whose menu board shows the new category", async () => {
      const res = await w.post("/admin/menu/categories", w.manager, { name: "Kids" }, true);
      expect(res.status).toBe(200);
      const html = readable(await res.text());
      expect(html).toContain('id="menu-board"');
      expect(html).toContain("Kids");
      expect(html).toContain("Category added.");
    });

    it("appends a menu.changed event with the change", async () => {
      const before = await w.eventCount();
      await w.post("/admin/menu/categories", w.manager, { name: "Specials" });
      expect(await w.eventCount()).toBe(before + 1);
    });

    for (const [why, name, status, message] of [
      ["an empty name", "   ", 422, "Category name cannot be empty"],
      ["a 200-character name", long, 422, "Category name must be at most 120 characters"],
      ["a name that already exists, in another case", "burgers", 409, 'There is already a category called "burgers"'],
      ["a name with a tab in it", "Bur\tgers", 422, "must be one line of text"],
    ] as const) {
      it(`refuses ${why} with the message next to the field, and changes nothing`, async () => {
        const before = await w.snapshot();
        const res = await w.post("/admin/menu/categories", w.manager, { name });
        expect(res.status).toBe(status);
        const html = readable(await res.text());
        expect(html).toContain(message);
        expect(html).toContain('id="f-new-category-name-error"');
        expect(html).toContain('aria-invalid="true"');
        expect(await w.snapshot()).toBe(before);
      });
    }

    it("renames a category and hides it from the POS", async () => {
      const { category } = byName(await w.data());
      const desserts = category("Desserts");
      const res = await w.post(`/admin/menu/categories/${desserts.id}`, w.manager, { name: "Sweets", activeShown: "1" });
      expect(res.status).toBe(303);
      const after = byName(await w.data()).category("Sweets");
      expect(after.active).toBe(false);
      await w.post(`/admin/menu/categories/${desserts.id}`, w.manager, { name: "Desserts", activeShown: "1", active: "on" });
      expect(byName(await w.data()).category("Desserts").active).toBe(true);
    });

    it("refuses renaming a category to another's name, keeping what was typed in the field", async () => {
      const desserts = byName(await w.data()).category("Desserts");
      const before = await w.snapshot();
      const res = await w.post(`/admin/menu/categories/${desserts.id}`, w.manager, { name: "Drinks", activeShown: "1", active: "on" });
      expect(res.status).toBe(409);
      const html = readable(await res.text());
      expect(html).toContain('There is already a category called "Drinks"');
      expect(html).toMatch(/id="f-category-[\w-]+-name"[^>]*value="Drinks"/);
      expect(await w.snapshot()).toBe(before);
    });

    it("moves a category up and down, and does nothing past either end", async () => {
      const order = async () => (await w.data()).categories.map((c) => c.name);
      const first = await order();
      const sides = byName(await w.data()).category("Sides");
      expect((await w.post(`/admin/menu/categories/${sides.id}/move`, w.manager, { direction: "up" })).status).toBe(303);
      expect((await order()).slice(0, 2)).toEqual(["Sides", "Burgers"]);
      await w.post(`/admin/menu/categories/${sides.id}/move`, w.manager, { direction: "up" });
      expect((await order()).slice(0, 2)).toEqual(["Sides", "Burgers"]);
      await w.post(`/admin/menu/categories/${sides.id}/move`, w.manager, { direction: "down" });
      expect(await order()).toEqual(first);
    });

    it("refuses a move without a direction", async () => {
      const sides = byName(await w.data()).category("Sides");
      const res = await w.post(`/admin/menu/categories/${sides.id}/move`, w.manager, { direction: "sideways" });
      expect(res.status).toBe(400);
    });

    it("refuses to delete a category that still has items, saying how many", async () => {
      const burgers = byName(await w.data()).category("Burgers");
      const before = await w.snapshot();
      const res = await w.post(`/admin/menu/categories/${burgers.id}/delete`, w.manager, {});
      expect(res.status).toBe(409);
      expect(await res.text()).toContain("still has 4 items");
      expect(await w.snapshot()).toBe(before);
    });

    it("deletes an empty category", async () => {
      await w.post("/admin/menu/categories", w.manager, { name: "Empty one" });
      const empty = byName(await w.data()).category("Empty one");
      const res = await w.post(`/admin/menu/categories/${empty.id}/delete`, w.manager, {});
      expect(res.status).toBe(303);
      expect((await w.data()).categories.some((c) => c.name === "Empty one")).toBe(false);
    });
  });

  describe("items", () => {
    it("creates an item with a price typed as 12.95, stored as 1295 cents, routed to two stations", async () => {
      const d = byName(await w.data());
      const res = await w.post("/admin/menu/items", w.manager, {
        categoryId: d.category("Burgers").id, name: "Mushroom Swiss", price: "12.95", description: "Swiss cheese, mushrooms",
        kitchenName: "MUSH", taxCategoryId: d.tax("Beverages").id, activeShown: "1", active: "on",
        stationIds: [d.station("grill").id, d.station("fry").id],
      });
      expect(res.status).toBe(303);
      const item = byName(await w.data()).item("Mushroom Swiss");
      expect(res.headers.get("location")).toBe(`/admin/menu/items/${item.id}?done=item-created`);
      expect(item.priceCents).toBe(1295);
      expect(item.kitchenName).toBe("MUSH");
      expect(item.taxCategoryId).toBe(d.tax("Beverages").id);
      const stations = (await w.data()).itemStations.filter((s) => s.itemId === item.id).map((s) => s.stationId).sort();
      expect(stations).toEqual([d.station("grill").id, d.station("fry").id].sort());
      const page = await (await w.get(`/admin/menu/items/${item.id}?done=item-created`, w.manager)).text();
      expect(page).toContain('value="12.95"');
    });

    it("tells htmx to open the new item's page", async () => {
      const d = byName(await w.data());
      const res = await w.post("/admin/menu/items", w.manager, { categoryId: d.category("Sides").id, name: "Tots", price: "4" }, true);
      expect(res.status).toBe(200);
      expect(res.headers.get("hx-redirect")).toMatch(/^\/admin\/menu\/items\/[0-9a-f-]+\?done=item-created$/);
      expect(byName(await w.data()).item("Tots").priceCents).toBe(400);
    });

    it("edits an item's price, stations and category, putting it at the end of its new category", async () => {
      const d = byName(await w.data());
      const tots = d.item("Tots");
      const res = await w.post(`/admin/menu/items/${tots.id}`, w.manager, {
        categoryId: d.category("Burgers").id, name: "Tater Tots", price: "$5.5", activeShown: "1", active: "on", stationIds: d.station("fry").id,
      }, true);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Item saved.");
      const data = await w.data();
      const after = byName(data).item("Tater Tots");
      expect(after.priceCents).toBe(550);
      expect(after.categoryId).toBe(d.category("Burgers").id);
      const burgers = data.items.filter((i) => i.categoryId === after.categoryId);
      expect(burgers.at(-1)!.id).toBe(after.id);
    });

    it("deactivates an item when its Active box is left unticked", async () => {
      const d = byName(await w.data());
      const tots = d.item("Tater Tots");
      await w.post(`/admin/menu/items/${tots.id}`, w.manager, { categoryId: tots.categoryId, name: "Tater Tots", price: "5.50", activeShown: "1" });
      expect(byName(await w.data()).item("Tater Tots").active).toBe(false);
    });

    const cases: [string, Record<string, string>, number, string, string][] = [
      ["an empty name", { name: "" }, 422, "name", "Name cannot be empty"],
      ["a 200-character name", { name: long }, 422, "name", "Name must be at most 120 characters"],
      ["a negative price", { price: "-3.00" }, 422, "price", "A price cannot be negative"],
      ["a price that is not a number", { price: "twelve" }, 422, "price", "Enter a price as a number"],
      ["a price with three decimals", { price: "12.999" }, 422, "price", "at most 2 decimals"],
      ["an empty price", { price: "" }, 422, "price", "Enter a price, like 12.95"],
      ["an absurd price", { price: "1000000" }, 422, "price", "A price must be below 100,000"],
      ["no category", { categoryId: "" }, 422, "categoryId", "Choose a category"],
      ["a name already used in that category", { name: "classic burger" }, 422, "name", 'There is already an item called "classic burger" in Burgers'],
      ["a 41-character kitchen name", { kitchenName: "K".repeat(41) }, 422, "kitchenName", "Kitchen name must be at most 40 characters"],
    ];
    for (const [why, change, status, field, message] of cases) {
      it(`refuses ${why} with the message next to the field, and changes nothing`, async () => {
        const d = byName(await w.data());
        const before = await w.snapshot();
        const form = { categoryId: d.category("Burgers").id, name: "Patty Melt", price: "11.00", activeShown: "1", active: "on", ...change };
        const res = await w.post("/admin/menu/items", w.manager, form);
        expect(res.status).toBe(status);
        const html = readable(await res.text());
        expect(html).toContain(message);
        expect(html).toContain(`id="f-item-${field}-error"`);
        expect(html).toContain("Not saved: please correct the highlighted field.");
        expect(await w.snapshot()).toBe(before);
      });
    }

    it("reports every wrong field of one form at once", async () => {
      const res = await w.post("/admin/menu/items", w.manager, { categoryId: "", name: "", price: "abc" });
      const html = readable(await res.text());
      for (const field of ["categoryId", "name", "price"]) expect(html).toContain(`id="f-item-${field}-error"`);
    });

    it("allows the same item name in another category", async () => {
      const d = byName(await w.data());
      const res = await w.post("/admin/menu/items", w.manager, { categoryId: d.category("Sides").id, name: "Classic Burger", price: "1" });
      expect(res.status).toBe(303);
    });

    it("moves an item within its category", async () => {
      const d = byName(await w.data());
      const rings = d.item("Onion Rings");
      await w.post(`/admin/menu/items/${rings.id}/move`, w.manager, { direction: "up" });
      const sides = (await w.data()).items.filter((i) => i.categoryId === rings.categoryId).map((i) => i.name);
      expect(sides.slice(0, 2)).toEqual(["Onion Rings", "Fries"]);
    });

    it("attaches modifier groups in order, reorders and removes them", async () => {
      const d = byName(await w.data());
      const item = d.item("Mushroom Swiss");
      for (const g of ["Side", "Doneness"]) {
        expect((await w.post(`/admin/menu/items/${item.id}/groups`, w.manager, { groupId: d.group(g).id })).status).toBe(303);
      }
      const names = async () => {
        const data = await w.data();
        return data.itemGroups.filter((g) => g.itemId === item.id).map((g) => data.groups.find((x) => x.id === g.groupId)!.name);
      };
      expect(await names()).toEqual(["Side", "Doneness"]);
      const moved = await w.post(`/admin/menu/items/${item.id}/groups/${d.group("Doneness").id}/move`, w.manager, { direction: "up" }, true);
      expect(moved.status).toBe(200);
      expect(await names()).toEqual(["Doneness", "Side"]);
      const again = await w.post(`/admin/menu/items/${item.id}/groups`, w.manager, { groupId: d.group("Side").id });
      expect(again.status).toBe(409);
      expect(readable(await again.text())).toContain('"Side" is already on this item');
      const none = await w.post(`/admin/menu/items/${item.id}/groups`, w.manager, { groupId: "" });
      expect(none.status).toBe(422);
      await w.post(`/admin/menu/items/${item.id}/groups/${d.group("Side").id}/remove`, w.manager, {});
      expect(await names()).toEqual(["Doneness"]);
    });

    it("deletes an item and sends htmx back to the menu", async () => {
      const d = byName(await w.data());
      const res = await w.post(`/admin/menu/items/${d.item("Tater Tots").id}/delete`, w.manager, {}, true);
      expect(res.headers.get("hx-redirect")).toBe("/admin/menu?done=item-deleted");
      expect((await w.data()).items.some((i) => i.name === "Tater Tots")).toBe(false);
    });

    it("answers 404 for an item that does not exist, or an id that is not one", async () => {
      expect((await w.get(`/admin/menu/items/${crypto.randomUUID()}`, w.manager)).status).toBe(404);
      expect((await w.get("/admin/menu/items/not-a-uuid", w.manager)).status).toBe(404);
      expect((await w.post("/admin/menu/items/not-a-uuid/delete", w.manager, {})).status).toBe(404);
    });
  });
});
