import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { parseDiscount } from "../../src/pos/routes";
import { sseReader } from "../helpers/sse";
import { setItemAvailability } from "../../src/menu/service";

describe("POS screen", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let server: string;
  let manager: string;
  let kitchen: string;
  let foreignManager: string;
  /** The demo's PINs are random: read them from what seedDemo printed. */
  let pinOf: (role: string) => string;

  const hx = (cookie: string) => ({ cookie, "hx-request": "true" });
  const count = async (table: string) => Number(rowsOf<{ n: number }>(await db.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
  async function newOrder(cookie = server) {
    const res = await app.handle(req("/pos/orders", { headers: { cookie }, form: { type: "dine_in", table: "7", guests: "2", idempotencyKey: crypto.randomUUID() } }));
    expect(res.status).toBe(303);
    return res.headers.get("location")!.split("order=")[1]!;
  }
  const ticketVersion = (html: string) => Number(/data-version="(\d+)"/.exec(html)![1]);

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "pos");
    rid = demo.restaurant.id;
    pinOf = (role) => demo.pins.find((p) => p.role === role)!.pin;
    const other = (await seedDemo(db.db, testConfig().pinPepper, "pos-other")).restaurant.id;
    m = await demoMenu(db.db, rid);
    server = (await sessionCookieFor(db.db, rid, "server")).cookie;
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    kitchen = (await sessionCookieFor(db.db, rid, "kitchen")).cookie;
    foreignManager = (await sessionCookieFor(db.db, other, "manager")).cookie;
  });
  afterAll(() => db.drop());

  it("shows the menu with category tabs and a new-order form", async () => {
    const res = await app.handle(req("/pos", { headers: { cookie: server } }));
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const name of ["Burgers", "Drinks", "Classic Burger", "Draft Lager", "Start order"]) expect(html).toContain(name);
  });

  it("offers an 86 mode where one tap marks an item sold out, shown greyed on the order screen", async () => {
    const html = await (await app.handle(req("/pos?mode=86", { headers: { cookie: server } }))).text();
    const lager = m.item("Draft Lager").id;
    expect(html).toContain(`action="/menu/items/${lager}/availability"`);
    const tap = await app.handle(req(`/menu/items/${lager}/availability`, { headers: hx(server), form: { available: "false", back: "/pos?mode=86" } }));
    expect(tap.status).toBe(200);
    const order = await (await app.handle(req("/pos", { headers: { cookie: server } }))).text();
    expect(order).toMatch(new RegExp(`id="item-${lager}"[^>]*disabled[^>]*data-available="false"`));
    await app.handle(req(`/menu/items/${lager}/availability`, { headers: hx(server), form: { available: "true" } }));
  });

  it("starts one order for a double-tapped Start button", async () => {
    const before = await count("orders");
    const form = { type: "takeout", idempotencyKey: crypto.randomUUID() };
    const [a, b] = await Promise.all([1, 2].map(() => app.handle(req("/pos/orders", { headers: { cookie: server }, form }))));
    expect(a!.headers.get("location")).toBe(b!.headers.get("location"));
    expect(await count("orders")).toBe(before + 1);
  });

  it("refuses a dine-in order without a table, saying so on the form", async () => {
    const before = await count("orders");
    const res = await app.handle(req("/pos/orders", { headers: { cookie: server }, form: { type: "dine_in", idempotencyKey: crypto.randomUUID() } }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("A dine-in order needs a table");
    expect(await count("orders")).toBe(before);
  });

  it("adds a simple item in one tap and a burger through the picker, then sends them", async () => {
    const id = await newOrder();
    const one = await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form: { itemId: m.item("Draft Lager").id, quantity: "1" } }));
    expect(one.status).toBe(200);
    expect(await one.text()).toContain("Draft Lager");
    const picker = await (await app.handle(req(`/pos/orders/${id}/pick/${m.item("Classic Burger").id}`, { headers: hx(server) }))).text();
    expect(picker).toContain("Doneness");
    expect(picker).toContain("Choose 1");
    const burger = m.item("Classic Burger");
    const [doneness, adds, side] = burger.groups;
    const form: Record<string, string | string[]> = {
      itemId: burger.id, quantity: "2", note: "<script>alert(1)</script>", seat: "1", course: "1",
      [`opt-${doneness!.id}`]: m.option("Classic Burger", "Rare"), [`opt-${adds!.id}`]: [m.option("Classic Burger", "Bacon"), m.option("Classic Burger", "Cheddar")], [`opt-${side!.id}`]: m.option("Classic Burger", "Fries"),
    };
    const added = await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form }));
    const ticket = await added.text();
    expect(ticket).toContain("Bacon");
    expect(ticket).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(ticket).not.toContain("<script>alert(1)");
    expect(ticket).toContain('<div id="picker" hx-swap-oob="true"></div>');
    const sent = await app.handle(req(`/pos/orders/${id}/send`, { headers: hx(server), form: { version: String(ticketVersion(ticket)) } }));
    const sentHtml = await sent.text();
    expect(sentHtml).toContain("SENT");
    const status = rowsOf<{ status: string }>(await db.db.execute(sql`select status::text from orders where id = ${id}`))[0]!.status;
    expect(status).toBe("sent");
  });

  it("keeps the picker open with the rule that broke and adds nothing", async () => {
    const id = await newOrder();
    const burger = m.item("Classic Burger");
    const res = await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form: { itemId: burger.id, quantity: "1", [`opt-${burger.groups[2]!.id}`]: m.option("Classic Burger", "Fries") } }));
    expect(res.status).toBe(422);
    expect(res.headers.get("hx-retarget")).toBe("#picker");
    expect(await res.text()).toContain("choose 1 for Doneness");
    expect(rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from order_items where order_id = ${id}`))[0]!.n).toBe(0);
  });

  it("refuses a stale Send from a second screen with a clear message", async () => {
    const id = await newOrder();
    const t1 = await (await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form: { itemId: m.item("Cola").id, quantity: "1", [`opt-${m.item("Cola").groups[0]!.id}`]: m.option("Cola", "Small") } }))).text();
    const v = ticketVersion(t1);
    await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form: { itemId: m.item("Draft Lager").id } }));
    const stale = await app.handle(req(`/pos/orders/${id}/send`, { headers: hx(server), form: { version: String(v) } }));
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Someone else changed this order");
  });

  it("voids a sent item only with a manager's PIN and a reason", async () => {
    const id = await newOrder();
    const t = await (await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form: { itemId: m.item("Draft Lager").id } }))).text();
    const sent = await (await app.handle(req(`/pos/orders/${id}/send`, { headers: hx(server), form: { version: String(ticketVersion(t)) } }))).text();
    const lineId = /id="line-([0-9a-f-]{36})"/.exec(sent)![1]!;
    const v = String(ticketVersion(sent));
    const noPin = await app.handle(req(`/pos/orders/${id}/lines/${lineId}/remove`, { headers: hx(server), form: { version: v, reason: "spilled" } }));
    expect(noPin.status).toBe(403);
    expect(await noPin.text()).toContain("a manager must approve");
    const wrongPin = await app.handle(req(`/pos/orders/${id}/lines/${lineId}/remove`, { headers: hx(server), form: { version: v, reason: "spilled", managerPin: pinOf("server") } }));
    expect(wrongPin.status).toBe(403);
    expect(await wrongPin.text()).toContain("That is not a manager");
    const managerPin = pinOf("manager");
    const ok = await app.handle(req(`/pos/orders/${id}/lines/${lineId}/remove`, { headers: hx(server), form: { version: v, reason: "spilled", managerPin } }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("VOID");
    const audit = rowsOf<{ action: string }>(await db.db.execute(sql`select action from audit_log where data->>'lineId' = ${lineId}`));
    expect(audit.map((a) => a.action)).toEqual(["order.void_override"]);
  });

  it("stops guessing of manager PINs at the till with a 429, and audits each wrong one", async () => {
    const cashier = (await sessionCookieFor(db.db, rid, "cashier")).cookie;
    const id = await newOrder(cashier);
    const t = await (await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(cashier), form: { itemId: m.item("Draft Lager").id } }))).text();
    const sent = await (await app.handle(req(`/pos/orders/${id}/send`, { headers: hx(cashier), form: { version: String(ticketVersion(t)) } }))).text();
    const lineId = /id="line-([0-9a-f-]{36})"/.exec(sent)![1]!;
    const statuses: number[] = [];
    let last: Response | null = null;
    // Eleven PINs nobody holds (the demo's are random).
    const wrongPins = Array.from({ length: 40 }, (_, i) => String(7000 + i)).filter((p) => !["owner", "manager", "server", "cashier", "kitchen", "expo"].some((r) => pinOf(r) === p));
    for (let i = 0; i < 11; i++) {
      last = await app.handle(req(`/pos/orders/${id}/lines/${lineId}/remove`, { headers: hx(cashier), form: { version: String(ticketVersion(sent)), reason: "x", managerPin: wrongPins[i]! } }));
      statuses.push(last.status);
    }
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.text()).toContain("Too many wrong PINs");
    expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
    expect(statuses[10]).toBe(429);
    const refused = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from audit_log where action = 'override.refused' and restaurant_id = ${rid}`))[0]!.n;
    expect(refused).toBeGreaterThanOrEqual(10);
    expect(rowsOf<{ v: string | null }>(await db.db.execute(sql`select voided_at::text as v from order_items where id = ${lineId}`))[0]!.v).toBeNull();
  });

  it("lets a manager discount and refuses a server", async () => {
    const id = await newOrder();
    const t = await (await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(server), form: { itemId: m.item("Draft Lager").id } }))).text();
    const denied = await app.handle(req(`/pos/orders/${id}/discount`, { headers: hx(server), form: { version: String(ticketVersion(t)), value: "10%", reason: "x" } }));
    expect(denied.status).toBe(403);
    const ok = await app.handle(req(`/pos/orders/${id}/discount`, { headers: hx(manager), form: { version: String(ticketVersion(t)), value: "1.00", reason: "birthday" } }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Discount (birthday)");
    expect(parseDiscount("10%", "USD")).toEqual({ kind: "percent", bps: 1000 });
    expect(() => parseDiscount("abc", "USD")).toThrow("Enter an amount");
    expect(() => parseDiscount("150%", "USD")).toThrow();
  });

  it("keeps the kitchen and other restaurants out", async () => {
    const id = await newOrder();
    expect((await app.handle(req("/pos", { headers: { cookie: kitchen } }))).status).toBe(403);
    expect((await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(kitchen), form: { itemId: m.item("Draft Lager").id } }))).status).toBe(403);
    expect((await app.handle(req(`/pos?order=${id}`, { headers: { cookie: foreignManager } }))).status).toBe(404);
    const foreignAdd = await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(foreignManager), form: { itemId: m.item("Draft Lager").id } }));
    expect([404, 422]).toContain(foreignAdd.status);
    expect(rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from order_items where order_id = ${id}`))[0]!.n).toBe(0);
    const cross = await app.handle(req(`/pos/orders/${id}/items`, { headers: { ...hx(server), origin: "https://evil.example" }, form: { itemId: m.item("Draft Lager").id } }));
    expect(cross.status).toBe(403);
  });
});

describe("POS live updates", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let server: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    rid = (await seedDemo(db.db, testConfig().pinPepper, "pos-live")).restaurant.id;
    m = await demoMenu(db.db, rid);
    server = (await sessionCookieFor(db.db, rid, "server")).cookie;
  });
  afterAll(async () => { await t.close(); await db.drop(); });

  it("greys out an 86'd item on an open POS within a second and brings it back", async () => {
    const seq = await t.bus.currentSeq(rid);
    const s = sseReader(await t.app.handle(req(`/pos/stream?since=${seq}`, { headers: { cookie: server } })));
    await Bun.sleep(100);
    const lager = m.item("Draft Lager").id;
    const started = Date.now();
    await setItemAvailability(db.db, rid, lager, false, { userId: null, deviceId: null });
    const off = await s.next((x) => x.data.includes(`id="item-${lager}"`), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(off.data).toContain('data-available="false"');
    expect(off.data).toContain("disabled");
    const from = s.messages.length;
    await setItemAvailability(db.db, rid, lager, true, { userId: null, deviceId: null });
    const on = await s.next((x) => x.data.includes(`id="item-${lager}"`), 1000, from);
    expect(on.data).toContain('data-available="true"');
    s.cancel();
  });

  it("re-renders this screen's ticket when the kitchen changes its order", async () => {
    const res = await t.app.handle(req("/pos/orders", { headers: { cookie: server }, form: { type: "takeout", idempotencyKey: crypto.randomUUID() } }));
    const id = res.headers.get("location")!.split("order=")[1]!;
    const s = sseReader(await t.app.handle(req(`/pos/stream?order=${id}&since=${await t.bus.currentSeq(rid)}`, { headers: { cookie: server } })));
    await Bun.sleep(100);
    // Another till adds an item to the same order.
    await t.app.handle(req(`/pos/orders/${id}/items`, { headers: { cookie: server, "hx-request": "true" }, form: { itemId: m.item("Draft Lager").id } }));
    const msg = await s.next((x) => x.data.includes('id="ticket"'));
    expect(msg.data).toContain("Draft Lager");
    s.cancel();
  });
});
