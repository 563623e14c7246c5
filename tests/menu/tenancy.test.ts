import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, type MenuWorld } from "./setup";
import { req } from "../helpers/app";
import type { MenuAdminData } from "../../src/menu/admin-read";

describe("menu admin: another restaurant's staff and the wrong roles see and change nothing", () => {
  let w: MenuWorld;
  let home: MenuAdminData;
  let foreign: MenuAdminData;
  beforeAll(async () => {
    w = await menuWorld();
    // A name only the home restaurant has, to look for in the other's pages.
    await w.post("/admin/menu/items", w.manager, { categoryId: byName(await w.data()).category("Burgers").id, name: "Home Secret Burger", price: "20" });
    home = await w.data();
    foreign = await w.data(w.otherId);
  });
  afterAll(() => w.close());

  const h = () => byName(home);
  const f = () => byName(foreign);

  it("shows another restaurant's manager only their own menu", async () => {
    const page = await (await w.get("/admin/menu", w.foreignManager)).text();
    expect(page).toContain("Demo Diner (other)");
    expect(page).not.toContain("Home Secret Burger");
    for (const item of home.items) expect(page).not.toContain(item.id);
  });

  it("answers 404 to another restaurant's manager opening the home restaurant's item or group", async () => {
    expect((await w.get(`/admin/menu/items/${h().item("Home Secret Burger").id}`, w.foreignManager)).status).toBe(404);
    expect((await w.get(`/admin/menu/groups/${h().group("Side").id}`, w.foreignManager)).status).toBe(404);
  });

  it("refuses every change to the home restaurant's rows from another restaurant's manager (UPDATE and DELETE included)", async () => {
    const before = await w.snapshot();
    const events = await w.eventCount();
    const item = h().item("Classic Burger");
    const category = h().category("Burgers");
    const group = h().group("Doneness");
    const option = h().option("Doneness", "Rare");
    const tax = h().tax("Alcohol");
    const attempts: [string, Record<string, string>][] = [
      [`/admin/menu/categories/${category.id}`, { name: "Hacked", activeShown: "1" }],
      [`/admin/menu/categories/${category.id}/move`, { direction: "down" }],
      [`/admin/menu/categories/${h().category("Desserts").id}/delete`, {}],
      [`/admin/menu/items/${item.id}`, { categoryId: f().category("Burgers").id, name: "Hacked", price: "0.01" }],
      [`/admin/menu/items/${item.id}/move`, { direction: "down" }],
      [`/admin/menu/items/${item.id}/delete`, {}],
      [`/admin/menu/items/${item.id}/groups`, { groupId: f().group("Size").id }],
      [`/admin/menu/items/${item.id}/groups/${group.id}/move`, { direction: "down" }],
      [`/admin/menu/items/${item.id}/groups/${group.id}/remove`, {}],
      [`/admin/menu/groups/${group.id}`, { name: "Hacked", minSelect: "0", maxSelect: "1" }],
      [`/admin/menu/groups/${group.id}/delete`, {}],
      [`/admin/menu/groups/${group.id}/options`, { name: "Hacked", priceDelta: "0" }],
      [`/admin/menu/options/${option.id}`, { name: "Hacked", priceDelta: "9" }],
      [`/admin/menu/options/${option.id}/move`, { direction: "down" }],
      [`/admin/menu/options/${option.id}/delete`, {}],
      [`/admin/menu/taxes/${tax.id}`, { name: "Hacked", rate: "1" }],
      [`/admin/menu/taxes/${tax.id}/delete`, {}],
      [`/menu/items/${item.id}/availability`, { available: "false" }],
      [`/menu/options/${option.id}/availability`, { available: "false" }],
    ];
    for (const [path, form] of attempts) {
      const res = await w.post(path, w.foreignManager, form);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect(await w.snapshot()).toBe(before);
    expect(await w.eventCount()).toBe(events);
  });

  it("refuses another restaurant's ids in the fields of the home restaurant's own forms, changing nothing", async () => {
    const before = await w.snapshot();
    const otherBefore = await w.snapshot(w.otherId);
    const burgers = h().category("Burgers").id;
    const attempts: [string, Record<string, string | string[]>][] = [
      ["/admin/menu/items", { categoryId: f().category("Burgers").id, name: "X", price: "1" }],
      ["/admin/menu/items", { categoryId: burgers, name: "X", price: "1", taxCategoryId: f().tax("Alcohol").id }],
      ["/admin/menu/items", { categoryId: burgers, name: "X", price: "1", stationIds: [h().station("grill").id, f().station("fry").id] }],
      [`/admin/menu/items/${h().item("Fries").id}`, { categoryId: burgers, name: "Fries", price: "1", stationIds: f().station("grill").id }],
      [`/admin/menu/items/${h().item("Fries").id}/groups`, { groupId: f().group("Ice").id }],
      [`/admin/menu/groups/${h().group("Side").id}/options`, { name: "X", priceDelta: "0", stationId: f().station("fry").id }],
      [`/admin/menu/options/${h().option("Side", "Fries").id}`, { name: "Fries", priceDelta: "0", stationId: f().station("fry").id }],
    ];
    for (const [path, form] of attempts) {
      const res = await w.post(path, w.manager, form);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect(await w.snapshot()).toBe(before);
    expect(await w.snapshot(w.otherId)).toBe(otherBefore);
  });

  it("gives an integration only its own restaurant's menu", async () => {
    const res = await w.app.handle(req("/api/v1/menu", { headers: { authorization: `Bearer ${w.other.apiKey}` } }));
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).not.toContain("Home Secret Burger");
    for (const item of home.items) expect(body).not.toContain(item.id);
  });

  for (const role of ["server", "kitchen"] as const) {
    it(`refuses a ${role} user every menu admin page and change (403), changing nothing`, async () => {
      const cookie = w[role];
      const before = await w.snapshot();
      for (const path of ["/admin/menu", "/admin/menu/groups", "/admin/menu/taxes", "/admin/menu/csv", "/admin/menu/export.csv", `/admin/menu/items/${h().item("Fries").id}`]) {
        expect({ path, status: (await w.get(path, cookie)).status }).toEqual({ path, status: 403 });
      }
      for (const [path, form] of [
        ["/admin/menu/categories", { name: "Nope" }],
        [`/admin/menu/items/${h().item("Fries").id}`, { categoryId: h().category("Sides").id, name: "Fries", price: "0.01" }],
        [`/admin/menu/items/${h().item("Fries").id}/delete`, {}],
        ["/admin/menu/pricing", { defaultRate: "0", taxInclusive: "inclusive" }],
      ] as [string, Record<string, string>][]) {
        expect({ path, status: (await w.post(path, cookie, form)).status }).toEqual({ path, status: 403 });
      }
      expect(await w.snapshot()).toBe(before);
    });
  }

  it("sends a signed-out visitor to sign in and refuses a signed-out POST", async () => {
    const page = await w.app.handle(req("/admin/menu"));
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/sign-in?next=%2Fadmin%2Fmenu");
    const before = await w.snapshot();
    const post = await w.app.handle(req("/admin/menu/categories", { form: { name: "Anon" } }));
    expect(post.status).toBe(401);
    expect(await w.snapshot()).toBe(before);
  });

  it("refuses a cross-site form post even from a signed-in manager", async () => {
    const before = await w.snapshot();
    const res = await w.app.handle(req("/admin/menu/categories", { headers: { cookie: w.manager, origin: "https://evil.example" }, form: { name: "CSRF" } }));
    expect(res.status).toBe(403);
    expect(await w.snapshot()).toBe(before);
  });
});
