import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, type MenuWorld } from "./setup";
import { makeTestApp, req } from "../helpers/app";
import type { MenuJson } from "../../src/menu/api-menu";
import { appendEvent } from "../../src/realtime/events";

describe("GET /api/v1/menu for integrations", () => {
  let w: MenuWorld;
  let second: ReturnType<typeof makeTestApp>;
  beforeAll(async () => {
    w = await menuWorld();
    // Another "process": its own app, its own bus and LISTEN connection, the same database.
    second = makeTestApp(w.db);
  });
  afterAll(async () => {
    await second.close();
    await w.close();
  });

  const read = async (app = w.app, headers: Record<string, string> = { authorization: `Bearer ${w.home.apiKey}` }) => {
    const res = await app.handle(req("/api/v1/menu", { headers }));
    return { res, menu: res.status === 200 ? ((await res.json()) as MenuJson) : null };
  };
  const item = (menu: MenuJson, name: string) => menu.categories.flatMap((c) => c.items).find((i) => i.name === name);
  async function eventually(check: () => Promise<boolean>, ms = 1000) {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      if (await check()) return true;
      await Bun.sleep(10);
    }
    return false;
  }

  it("returns the restaurant's menu with prices in cents, tax rates, groups and stations", async () => {
    const { res, menu } = await read();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(menu!.restaurant).toMatchObject({ id: w.rid, currency: "USD", taxRateBps: 875, taxInclusive: false });
    expect(menu!.categories.map((c) => c.name)).toEqual(["Burgers", "Sides", "Salads", "Drinks", "Desserts"]);
    const burger = item(menu!, "Classic Burger")!;
    expect(burger).toMatchObject({ priceCents: 1295, taxRateBps: 875, available: true, kitchenName: "CLASSIC" });
    expect(burger.groups.map((g) => g.name)).toEqual(["Doneness", "Add-ons", "Side"]);
    expect(item(menu!, "House Red")!.taxRateBps).toBe(1000);
  });

  it("answers a repeated request with 304 when the menu has not changed", async () => {
    const { res } = await read();
    const etag = res.headers.get("etag")!;
    const again = await w.app.handle(req("/api/v1/menu", { headers: { authorization: `Bearer ${w.home.apiKey}`, "if-none-match": etag } }));
    expect(again.status).toBe(304);
  });

  it("is also readable by signed-in staff, and refuses anyone else with a JSON problem", async () => {
    expect((await read(w.app, { cookie: w.kitchen })).res.status).toBe(200);
    const anon = await read(w.app, {});
    expect(anon.res.status).toBe(401);
    expect(await anon.res.json()).toMatchObject({ error: "unauthorized" });
    const wrongKey = await read(w.app, { authorization: "Bearer ros_key_not-a-real-key" });
    expect(wrongKey.res.status).toBe(401);
  });

  it("serves a cached copy until a menu change, then the new menu in this process and in another", async () => {
    const here = (await read()).menu!;
    const there = (await read(second.app)).menu!;
    expect(there.seq).toBe(here.seq);
    // An order or any other non-menu event must not throw the cache away.
    const cached = (await read()).res.headers.get("etag");
    await w.tenant(w.rid, (tx) => appendEvent(tx, w.rid, "order.updated", { orderId: crypto.randomUUID(), number: 1 }));
    await Bun.sleep(100);
    expect((await read()).res.headers.get("etag")).toBe(cached);
    const fries = byName(await w.data()).item("Fries");
    await w.post(`/admin/menu/items/${fries.id}`, w.manager, { categoryId: fries.categoryId, name: "Fries", price: "4.95", activeShown: "1", active: "on", stationIds: byName(await w.data()).station("fry").id });
    const price = async (app: typeof w.app) => item((await read(app)).menu!, "Fries")!.priceCents;
    expect(await eventually(async () => (await price(w.app)) === 495)).toBe(true);
    expect(await eventually(async () => (await price(second.app)) === 495)).toBe(true);
    expect((await read()).res.headers.get("etag")).not.toBe(cached);
  });

  it("shows an 86 and a hidden category the same way", async () => {
    const d = byName(await w.data());
    await w.post(`/menu/items/${d.item("Cola").id}/availability`, w.server, { available: "false" });
    await w.post(`/admin/menu/categories/${d.category("Desserts").id}`, w.manager, { name: "Desserts", activeShown: "1" });
    expect(await eventually(async () => {
      const menu = (await read(second.app)).menu!;
      return item(menu, "Cola")?.available === false && !menu.categories.some((c) => c.name === "Desserts");
    })).toBe(true);
  });
});
