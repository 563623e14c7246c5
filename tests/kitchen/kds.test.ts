import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { makeDevice } from "../helpers/auth";
import { sseReader } from "../helpers/sse";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";

describe("kitchen display, expo and board", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let rid: string;
  let key: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let station: Record<string, string>;
  let kitchen: string;
  let server: string;
  let otherStation: string;
  let n = 0;

  const place = async (items: unknown[], type = "dine_in") => {
    const res = await t.app.handle(req("/api/v1/orders", { json: { type, table: "9", items }, headers: { authorization: `Bearer ${key}`, "idempotency-key": `kds-${++n}-${Date.now()}` } }));
    expect(res.status).toBe(201);
    return res.json();
  };
  const burgerWithFries = () => ({ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")], note: "allergy: <nuts>" });
  const lager = () => ({ menuItemId: m.item("Draft Lager").id, quantity: 2 });
  const page = async (path: string, cookie = kitchen) => (await t.app.handle(req(path, { headers: { cookie } }))).text();
  const post = (path: string, cookie = kitchen, hx = true) => t.app.handle(req(path, { method: "POST", headers: { cookie, ...(hx ? { "hx-request": "true" } : {}) } }));
  const status = async (id: string) => rowsOf<{ s: string }>(await db.db.execute(sql`select status::text as s from orders where id = ${id}`))[0]!.s;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    const demo = await seedDemo(db.db, testConfig().pinPepper, "kds");
    rid = demo.restaurant.id;
    key = demo.apiKey;
    m = await demoMenu(db.db, rid);
    const rows = rowsOf<{ id: string; slug: string }>(await db.db.execute(sql`select id, slug from stations where restaurant_id = ${rid}`));
    station = Object.fromEntries(rows.map((r) => [r.slug, r.id]));
    const other = await seedDemo(db.db, testConfig().pinPepper, "kds-other");
    otherStation = rowsOf<{ id: string }>(await db.db.execute(sql`select id from stations where restaurant_id = ${other.restaurant.id} limit 1`))[0]!.id;
    kitchen = (await sessionCookieFor(db.db, rid, "kitchen")).cookie;
    server = (await sessionCookieFor(db.db, rid, "server")).cookie;
  });
  afterAll(async () => { await t.close(); await db.drop(); });

  it("shows each station only the items routed to it, with modifiers, notes and table", async () => {
    const o = await place([burgerWithFries(), lager()]);
    const grill = await page(`/kds/${station.grill}`);
    expect(grill).toContain(`#${o.number}`);
    expect(grill).toContain("CLASSIC");
    expect(grill).toContain("allergy: &lt;nuts&gt;");
    expect(grill).not.toContain("Draft Lager");
    const bar = await page(`/kds/${station.bar}`);
    expect(bar).toContain("Draft Lager");
    expect(bar).not.toContain("CLASSIC");
    // The burger's side of fries routes the burger line to the fry station too.
    expect(await page(`/kds/${station.fry}`)).toContain(`#${o.number}`);
    expect(await page(`/kds/${station.cold}`)).not.toContain(`#${o.number}`);
  });

  it("counts all-day items waiting at a station", async () => {
    const before = await page(`/kds/${station.bar}`);
    const count = (html: string) => Number(/<b>(\d+)<\/b> <span>Draft Lager<\/span>/.exec(html)?.[1] ?? 0);
    await place([lager()]);
    expect(count(await page(`/kds/${station.bar}`))).toBe(count(before) + 2);
  });

  it("bumps an item, then the ticket; the order is ready when every station is done", async () => {
    const o = await place([burgerWithFries(), lager()]);
    const burgerLine = o.items[0].id;
    const one = await post(`/kds/${station.grill}/orders/${o.id}/lines/${burgerLine}/bump`);
    expect(one.status).toBe(200);
    expect(await one.text()).toBe(""); // the grill had only the burger: its ticket leaves the rail
    expect(await status(o.id)).toBe("preparing");
    const again = await post(`/kds/${station.grill}/orders/${o.id}/lines/${burgerLine}/bump`);
    expect(again.status).toBe(409);
    expect(decodeURIComponent(again.headers.get("x-refusal")!)).toContain("already bumped");
    expect((await post(`/kds/${station.fry}/orders/${o.id}/bump`)).status).toBe(200);
    expect(await status(o.id)).toBe("preparing");
    expect((await post(`/kds/${station.bar}/orders/${o.id}/bump`)).status).toBe(200);
    expect(await status(o.id)).toBe("ready");
    expect((await post(`/kds/${station.bar}/orders/${o.id}/bump`)).status).toBe(409);
    const expo = await page("/expo");
    expect(expo).toContain(`id="expo-${o.id}"`);
    expect(expo).toContain("Served");
    const board = await page("/board");
    expect(board).toMatch(new RegExp(`board-ready.*<li>${o.number}</li>`, "s"));
  });

  it("recalls the last bumped ticket, audited, and the order goes back to preparing", async () => {
    const o = await place([lager()]);
    await post(`/kds/${station.bar}/orders/${o.id}/bump`);
    expect(await status(o.id)).toBe("ready");
    const recalled = await post(`/kds/${station.bar}/recall`);
    expect(recalled.status).toBe(200);
    expect(await recalled.text()).toContain(`#${o.number}`);
    expect(await status(o.id)).toBe("preparing");
    const audit = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from audit_log where action = 'kitchen.recall' and data->>'orderId' = ${o.id}`));
    expect(audit[0]!.n).toBe(1);
  });

  it("marks the rest of a ticket cooking once the station bumps part of it", async () => {
    const o = await place([lager(), { menuItemId: m.item("House Red").id, quantity: 1 }]);
    await post(`/kds/${station.bar}/orders/${o.id}/lines/${o.items[0].id}/bump`);
    const rows = rowsOf<{ id: string; s: string }>(await db.db.execute(sql`select order_item_id as id, status::text as s from order_item_stations where order_id = ${o.id}`));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.s]))).toEqual({ [o.items[0].id]: "ready", [o.items[1].id]: "cooking" });
    expect(await status(o.id)).toBe("preparing");
  });

  it("refuses to bump a voided item", async () => {
    const o = await place([lager(), { menuItemId: m.item("House Red").id, quantity: 1 }]);
    const manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    const redLine = o.items[1].id;
    const v = await t.app.handle(req(`/pos/orders/${o.id}/lines/${redLine}/remove`, { headers: { cookie: manager, "hx-request": "true" }, form: { reason: "wrong wine" } }));
    expect(v.status).toBe(200);
    const ticket = await page(`/kds/${station.bar}`);
    expect(ticket).toContain("VOID");
    const res = await post(`/kds/${station.bar}/orders/${o.id}/lines/${redLine}/bump`);
    expect(res.status).toBe(409);
    expect(decodeURIComponent(res.headers.get("x-refusal")!)).toContain("voided");
  });

  it("serves a ready order at expo and can recall it", async () => {
    const o = await place([lager()], "takeout");
    await post(`/kds/${station.bar}/orders/${o.id}/bump`);
    const expo = (await sessionCookieFor(db.db, rid, "expo")).cookie;
    const served = await post(`/expo/orders/${o.id}/serve`, expo);
    expect(served.status).toBe(200);
    expect(await status(o.id)).toBe("completed");
    expect((await post(`/expo/orders/${o.id}/serve`, expo)).status).toBe(409);
    expect((await post(`/expo/orders/${o.id}/recall`, expo, false)).status).toBe(303);
    expect(await status(o.id)).toBe("ready");
  });

  it("says not found for a station that does not exist or belongs to another restaurant", async () => {
    for (const id of [otherStation, crypto.randomUUID(), "grill"]) {
      expect((await t.app.handle(req(`/kds/${id}`, { headers: { cookie: kitchen } }))).status).toBe(404);
      expect((await t.app.handle(req(`/kds/${id}/stream`, { headers: { cookie: kitchen } }))).status).toBe(404);
    }
  });

  it("keeps the POS staff off the kitchen's bump and unknown people off every screen", async () => {
    const o = await place([lager()]);
    expect((await post(`/kds/${station.bar}/orders/${o.id}/bump`, server)).status).toBe(403);
    for (const path of [`/kds/${station.bar}`, "/expo", "/board", `/kds/${station.bar}/stream`]) {
      const res = await t.app.handle(req(path, { headers: { accept: "application/json" } }));
      expect(res.status).toBe(401);
    }
  });

  it("streams a new ticket to the right station's screen at once, and nothing to the others", async () => {
    const grill = sseReader(await t.app.handle(req(`/kds/${station.grill}/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie: kitchen } })));
    const bar = sseReader(await t.app.handle(req(`/kds/${station.bar}/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie: kitchen } })));
    await Bun.sleep(100);
    const o = await place([burgerWithFries()]);
    const msg = await grill.next((x) => x.event === "swap" && x.data.includes(`ticket-${o.id}`));
    expect(Number(msg.id)).toBeGreaterThan(0);
    // Multi-line HTML still arrives whole.
    expect(msg.data).toContain("CLASSIC");
    expect(msg.data).toContain('id="all-day"');
    await Bun.sleep(300);
    expect(bar.messages.some((x) => x.data.includes(`ticket-${o.id}`))).toBe(false);
    grill.cancel();
    bar.cancel();
  });

  it("sends the full rail to a screen that reconnects behind, with garbage, or from the future", async () => {
    const seq = await t.bus.currentSeq(rid);
    for (const lastId of [String(seq - 1), "garbage", "-5", String(seq + 1000)]) {
      const s = sseReader(await t.app.handle(req(`/kds/${station.grill}/stream`, { headers: { cookie: kitchen, "last-event-id": lastId } })));
      const first = await s.next((x) => x.event === "swap");
      expect(first.data).toContain('id="tickets"');
      expect(first.id).toBe(String(seq));
      s.cancel();
    }
    const upToDate = sseReader(await t.app.handle(req(`/kds/${station.grill}/stream`, { headers: { cookie: kitchen, "last-event-id": String(seq) } })));
    await Bun.sleep(300);
    expect(upToDate.messages.filter((x) => x.event === "swap")).toHaveLength(0);
    upToDate.cancel();
  });

  it("closes a revoked device's stream at once", async () => {
    const { device, cookie } = await makeDevice(db.db, rid, "kds", { stationId: station.grill, pinless: true });
    const s = sseReader(await t.app.handle(req(`/kds/${station.grill}/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie } })));
    await Bun.sleep(100);
    // A manager revokes it from the admin page.
    const manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    const revoke = await t.app.handle(req(`/admin/devices/${device.id}/revoke`, { method: "POST", headers: { cookie: manager } }));
    expect(revoke.status).toBeLessThan(400);
    expect(await s.waitClosed(3000)).toBe(true);
    expect((await t.app.handle(req(`/kds/${station.grill}/stream`, { headers: { cookie, accept: "application/json" } }))).status).toBe(401);
  });
});

describe("a signed-out person's screen", () => {
  it("closes the stream when its session signs out, and all of a person's streams on sign-out-everywhere", async () => {
    const db = await openTestDatabase("postgres");
    const t = makeTestApp(db);
    try {
      const rid = (await seedDemo(db.db, testConfig().pinPepper, "signout")).restaurant.id;
      const one = await sessionCookieFor(db.db, rid, "expo");
      const two = await sessionCookieFor(db.db, rid, "expo");
      const open = async (cookie: string) => sseReader(await t.app.handle(req(`/expo/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie } })));
      const a = await open(one.cookie);
      const b = await open(two.cookie);
      await Bun.sleep(100);
      await t.app.handle(req("/sign-out", { method: "POST", headers: { cookie: one.cookie } }));
      expect(await a.waitClosed(3000)).toBe(true);
      expect(b.done).toBe(false); // the same person's other session keeps its screen
      const c = await open(two.cookie);
      await Bun.sleep(100);
      await t.app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: two.cookie } }));
      expect(await b.waitClosed(3000)).toBe(true);
      expect(await c.waitClosed(3000)).toBe(true);
    } finally {
      await t.close();
      await db.drop();
    }
  });
});

describe("a deactivated person's screen", () => {
  it("closes the stream of a person who is deactivated", async () => {
    const db = await openTestDatabase("postgres");
    const t = makeTestApp(db);
    try {
      const rid = (await seedDemo(db.db, testConfig().pinPepper, "deact")).restaurant.id;
      const { cookie, userId } = await sessionCookieFor(db.db, rid, "expo");
      const s = sseReader(await t.app.handle(req(`/expo/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie } })));
      await Bun.sleep(100);
      const membershipId = rowsOf<{ id: string }>(await db.db.execute(sql`select id from memberships where user_id = ${userId}`))[0]!.id;
      const manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
      const res = await t.app.handle(req(`/admin/staff/${membershipId}/active`, { headers: { cookie: manager }, form: { active: "false" } }));
      expect(res.status).toBeLessThan(400);
      expect(await s.waitClosed(3000)).toBe(true);
    } finally {
      await t.close();
      await db.drop();
    }
  });
});

describe("the embedded database (PGlite) carries the live kitchen too", () => {
  // PGlite opens and seeds slowly on a busy machine; the live part itself takes milliseconds.
  it("delivers a new order to a KDS stream through PGlite's LISTEN", async () => {
    const db = await openTestDatabase("pglite");
    const t = makeTestApp(db);
    try {
      const demo = await seedDemo(db.db, testConfig().pinPepper, "lite");
      const rid = demo.restaurant.id;
      const m = await demoMenu(db.db, rid);
      const bar = rowsOf<{ id: string }>(await db.db.execute(sql`select id from stations where restaurant_id = ${rid} and slug = 'bar'`))[0]!.id;
      const { cookie } = await sessionCookieFor(db.db, rid, "kitchen");
      const s = sseReader(await t.app.handle(req(`/kds/${bar}/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie } })));
      await Bun.sleep(100);
      const res = await t.app.handle(req("/api/v1/orders", {
        json: { type: "takeout", items: [{ menuItemId: m.item("Draft Lager").id, quantity: 1 }] },
        headers: { authorization: `Bearer ${demo.apiKey}`, "idempotency-key": "lite-order-1" },
      }));
      const o = await res.json();
      const msg = await s.next((x) => x.data.includes(`ticket-${o.id}`), 3000);
      expect(msg.data).toContain("Draft Lager");
      s.cancel();
    } finally {
      await t.close();
      await db.drop();
    }
  }, 120_000);
});
