import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { getOrder } from "../../src/orders/service";
import { bumpAtStation } from "../../src/kitchen/service";
import { setItemAvailability } from "../../src/menu/service";
import { withTenant } from "../../src/db/tenant";
import { writeSettings } from "../../src/guest/queries";
import { issuePageToken } from "../../src/guest/tokens";
import { count, makeKiosk, makeTable, pageTokenOf } from "./setup";

setDefaultTimeout(30_000);

type Placed = { number: number; url: string; replayed: boolean };

describe("guests order for themselves", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let otherRid: string;
  let apiKey: string;
  let kiosk: Awaited<ReturnType<typeof makeKiosk>>;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let manager: string;
  let cashier: string;
  let server: string;
  let n = 0;

  const key = () => `test-key-${++n}-${Date.now()}`;
  const rings = (quantity = 1) => ({ menuItemId: m.item("Onion Rings").id, quantity });
  const kioskPage = async () => (await app.handle(req("/guest/kiosk", { headers: { cookie: kiosk.cookie } }))).text();
  const kioskCheckout = async (body: Record<string, unknown>, cookie = kiosk.cookie) =>
    app.handle(req("/guest/kiosk/checkout", { json: body, headers: { cookie, accept: "application/json" } }));
  const kioskBody = async (extra: Record<string, unknown> = {}) => ({
    items: [rings()], name: "Ada", dining: "eat_in", payment: "counter", idempotencyKey: key(), pageToken: pageTokenOf(await kioskPage()), ...extra,
  });
  const tableOrder = async (token: string, body: Record<string, unknown>) =>
    app.handle(req(`/guest/t/${token}/order`, { json: body, headers: { accept: "application/json" } }));
  const tableBody = async (token: string, extra: Record<string, unknown> = {}) => ({
    items: [rings()], idempotencyKey: key(), pageToken: pageTokenOf(await (await app.handle(req(`/guest/t/${token}`))).text()), ...extra,
  });
  const guestOrderOf = async (url: string) => {
    const { guestOrderByTokenHash } = await import("../../src/guest/queries");
    const { sha256 } = await import("../../src/auth/secrets");
    const { withSystem } = await import("../../src/db/tenant");
    return (await withSystem(db.db, (tx) => guestOrderByTokenHash(tx, sha256(url.split("/").pop()!))))!;
  };
  const problem = async (res: Response, status: number, field?: string) => {
    const body = (await res.json()) as { message: string; field?: string };
    expect({ status: res.status, field: body.field }).toEqual({ status, field });
    expect(body.message.length).toBeGreaterThan(10);
    return body;
  };
  /** A refused request changed nothing: no order, no guest order, no order line. */
  const unchanged = async (work: () => Promise<unknown>) => {
    const before = await Promise.all(["orders", "guest_orders", "order_items"].map((t) => count(db.db, t, rid)));
    await work();
    expect(await Promise.all(["orders", "guest_orders", "order_items"].map((t) => count(db.db, t, rid)))).toEqual(before);
  };

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "guests");
    rid = demo.restaurant.id;
    apiKey = demo.apiKey;
    otherRid = (await seedDemo(db.db, testConfig().pinPepper, "guests-other")).restaurant.id;
    kiosk = await makeKiosk(db.db, rid);
    m = await demoMenu(db.db, rid);
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    cashier = (await sessionCookieFor(db.db, rid, "cashier")).cookie;
    server = (await sessionCookieFor(db.db, rid, "server")).cookie;
  }, 60_000);
  afterAll(() => db.drop());

  it("shows the menu full-screen at a kiosk, with categories, items and a page token", async () => {
    const html = await kioskPage();
    expect(html).toContain("Classic Burger");
    expect(html).toContain('aria-label="Menu categories"');
    expect(pageTokenOf(html)).toMatch(/^\d+\./);
  });

  it("refuses a screen that is not enrolled as a kiosk with a clear page", async () => {
    const res = await app.handle(req("/guest/kiosk"));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("not set up as a guest kiosk");
  });

  it("holds a pay-at-the-counter kiosk order from the kitchen until the cashier has taken the money", async () => {
    const res = await kioskCheckout(await kioskBody({ items: [rings(2)] }));
    expect(res.status).toBe(201);
    const placed = (await res.json()) as Placed;
    const guest = await guestOrderOf(placed.url);
    let order = await getOrder(db.db, rid, guest.orderId);
    expect(order.lines.every((l) => !l.firedAt)).toBe(true);
    expect(order.totalCents).toBeGreaterThan(1100);
    expect(await (await app.handle(req(placed.url))).text()).toContain("Please pay at the counter");
    // The desk refuses to send it while money is due, and says so.
    const early = await app.handle(req(`/guest-desk/${guest.id}/release`, { form: {}, headers: { cookie: cashier } }));
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("Take the payment first");
    const paid = await app.handle(req(`/api/v1/orders/${order.id}/payments`, { json: { tender: "cash", amountCents: order.totalCents }, headers: { authorization: `Bearer ${apiKey}`, "idempotency-key": key() } }));
    expect(paid.status).toBe(201);
    const release = await app.handle(req(`/guest-desk/${guest.id}/release`, { form: {}, headers: { cookie: cashier } }));
    expect(release.status).toBe(303);
    order = await getOrder(db.db, rid, guest.orderId);
    expect(order.lines.every((l) => l.firedAt)).toBe(true);
    expect(order.status).toBe("sent");
    expect(await (await app.handle(req(placed.url))).text()).toContain("the kitchen has your order");
  });

  it("sends a kiosk order at once when the restaurant allows firing before payment", async () => {
    await withTenant(db.db, rid, (tx) => writeSettings(tx, rid, { fireBeforePayment: true, confirmTableRounds: false }));
    try {
      const placed = (await (await kioskCheckout(await kioskBody())).json()) as Placed;
      const order = await getOrder(db.db, rid, (await guestOrderOf(placed.url)).orderId);
      expect(order.lines.every((l) => l.firedAt)).toBe(true);
    } finally {
      await withTenant(db.db, rid, (tx) => writeSettings(tx, rid, { fireBeforePayment: false, confirmTableRounds: false }));
    }
  });

  it("makes one order from a double tap: the same key answers with the same order page", async () => {
    const body = await kioskBody();
    const before = await count(db.db, "orders", rid);
    const [a, b] = await Promise.all([kioskCheckout(body), kioskCheckout(body)]);
    const [ja, jb] = [(await a.json()) as Placed, (await b.json()) as Placed];
    expect(ja.url).toBe(jb.url);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(await count(db.db, "orders", rid)).toBe(before + 1);
    const again = await kioskCheckout(body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Placed).url).toBe(ja.url);
  });

  it("sends two rounds from a table's phone to the same check, each to the kitchen at once", async () => {
    const table = await makeTable(db.db, rid, "21");
    const first = (await (await tableOrder(table.token, await tableBody(table.token))).json()) as Placed;
    const second = (await (await tableOrder(table.token, await tableBody(table.token, { items: [{ menuItemId: m.item("Draft Lager").id, quantity: 2 }] }))).json()) as Placed;
    const [g1, g2] = [await guestOrderOf(first.url), await guestOrderOf(second.url)];
    expect(g1.orderId).toBe(g2.orderId);
    const order = await getOrder(db.db, rid, g1.orderId);
    expect(order.tableLabel).toBe("21");
    expect(order.type).toBe("dine_in");
    expect(order.lines.map((l) => [l.name, l.quantity, !!l.firedAt, l.fireRound])).toEqual([["Onion Rings", 1, true, 1], ["Draft Lager", 2, true, 2]]);
    // Each round's page shows that round only.
    const page2 = await (await app.handle(req(second.url))).text();
    expect(page2).toContain("Draft Lager");
    expect(page2).not.toContain("Onion Rings");
  });

  it("makes one round from a double tap at a table: the same key answers with the same page", async () => {
    const table = await makeTable(db.db, rid, "32");
    const body = await tableBody(table.token);
    const [a, b] = await Promise.all([tableOrder(table.token, body), tableOrder(table.token, body)]);
    const [ja, jb] = [(await a.json()) as Placed, (await b.json()) as Placed];
    expect(ja.url).toBe(jb.url);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const guest = await guestOrderOf(ja.url);
    expect((await getOrder(db.db, rid, guest.orderId)).lines.length).toBe(1);
    expect(((await (await tableOrder(table.token, body)).json()) as Placed).url).toBe(ja.url);
  });

  it("counts as sent a round another phone's round fired first (two phones at one table at once)", async () => {
    const table = await makeTable(db.db, rid, "30");
    const bodies = await Promise.all(Array.from({ length: 4 }, () => tableBody(table.token)));
    const placed = (await Promise.all(bodies.map(async (b) => (await (await tableOrder(table.token, b)).json()) as Placed)));
    const guests = await Promise.all(placed.map((p) => guestOrderOf(p.url)));
    expect(new Set(guests.map((g) => g.orderId)).size).toBe(1);
    expect(guests.map((g) => g.state)).toEqual(["sent", "sent", "sent", "sent"]);
    expect((await getOrder(db.db, rid, guests[0]!.orderId)).lines.every((l) => l.firedAt)).toBe(true);
  });

  it("holds a table round until a server confirms it when the restaurant says so, and shows it on the guest desk", async () => {
    await withTenant(db.db, rid, (tx) => writeSettings(tx, rid, { fireBeforePayment: false, confirmTableRounds: true }));
    try {
      const table = await makeTable(db.db, rid, "22");
      const placed = (await (await tableOrder(table.token, await tableBody(table.token))).json()) as Placed;
      const guest = await guestOrderOf(placed.url);
      expect(guest.state).toBe("awaiting_confirmation");
      expect((await getOrder(db.db, rid, guest.orderId)).lines.some((l) => l.firedAt)).toBe(false);
      const desk = await (await app.handle(req("/guest-desk", { headers: { cookie: server } }))).text();
      expect(desk).toContain("Table 22");
      expect((await app.handle(req(`/guest-desk/${guest.id}/confirm`, { form: {}, headers: { cookie: server } }))).status).toBe(303);
      expect((await getOrder(db.db, rid, guest.orderId)).lines.every((l) => l.firedAt)).toBe(true);
    } finally {
      await withTenant(db.db, rid, (tx) => writeSettings(tx, rid, { fireBeforePayment: false, confirmTableRounds: false }));
    }
  });

  it("takes a declined round off the check (it was never sent) and tells the guest", async () => {
    await withTenant(db.db, rid, (tx) => writeSettings(tx, rid, { fireBeforePayment: false, confirmTableRounds: true }));
    try {
      const table = await makeTable(db.db, rid, "31");
      const placed = (await (await tableOrder(table.token, await tableBody(table.token))).json()) as Placed;
      const guest = await guestOrderOf(placed.url);
      expect((await app.handle(req(`/guest-desk/${guest.id}/decline`, { form: {}, headers: { cookie: server } }))).status).toBe(303);
      expect((await getOrder(db.db, rid, guest.orderId)).lines.filter((l) => guest.lineIds.includes(l.id))).toEqual([]);
      expect(await (await app.handle(req(placed.url))).text()).toContain("Not sent");
      const again = await app.handle(req(`/guest-desk/${guest.id}/confirm`, { form: {}, headers: { cookie: server } }));
      expect(again.status).toBe(409);
    } finally {
      await withTenant(db.db, rid, (tx) => writeSettings(tx, rid, { fireBeforePayment: false, confirmTableRounds: false }));
    }
  });

  it("flips the live order page to ready when the kitchen bumps the order", async () => {
    const table = await makeTable(db.db, rid, "23");
    const placed = (await (await tableOrder(table.token, await tableBody(table.token))).json()) as Placed;
    const guest = await guestOrderOf(placed.url);
    const order = await getOrder(db.db, rid, guest.orderId);
    for (const stationId of new Set(order.lines.flatMap((l) => l.stations.map((s) => s.stationId)))) {
      await bumpAtStation(db.db, rid, stationId, order.id, "all", { actor: "kitchen", userId: null, deviceId: null });
    }
    expect(await (await app.handle(req(placed.url))).text()).toContain('data-step="ready"');
  });

  it("gives a rotated table code and a closed table a clear page, and refuses their orders", async () => {
    const table = await makeTable(db.db, rid, "24");
    const body = await tableBody(table.token);
    const rotate = await app.handle(req(`/admin/tables/${table.id}/rotate`, { form: {}, headers: { cookie: manager } }));
    expect(rotate.status).toBe(303);
    const dead = await app.handle(req(`/guest/t/${table.token}`));
    expect(dead.status).toBe(404);
    expect(await dead.text()).toContain("no longer valid for ordering");
    await unchanged(async () => expect((await tableOrder(table.token, body)).status).toBe(404));
    const close = await app.handle(req(`/admin/tables/${table.id}/open`, { form: { open: "false" }, headers: { cookie: manager } }));
    expect(close.status).toBe(303);
    const { listTables } = await import("../../src/guest/service");
    const fresh = (await listTables({ database: db } as never, rid)).find((t) => t.id === table.id)!;
    const closed = await app.handle(req(`/guest/t/${fresh.token}`));
    expect(closed.status).toBe(409);
    expect(await closed.text()).toContain("closed at this table");
  });

  it("refuses an order without the menu page's token, or with another table's or restaurant's", async () => {
    const a = await makeTable(db.db, rid, "25");
    const b = await makeTable(db.db, rid, "26");
    const elsewhere = await makeTable(db.db, otherRid, "25");
    const bodyA = await tableBody(a.token);
    await unchanged(async () => {
      await problem(await tableOrder(a.token, { ...bodyA, pageToken: undefined }), 403, "pageToken");
      await problem(await tableOrder(b.token, bodyA), 403, "pageToken");
      await problem(await tableOrder(elsewhere.token, bodyA), 403, "pageToken");
      const expired = issuePageToken(testConfig().sessionSecret, `table:${a.id}:${a.token}`, Date.now() - 13 * 3600_000);
      const res = await tableOrder(a.token, { ...bodyA, pageToken: expired });
      expect((await problem(res, 403, "pageToken")).message).toContain("expired");
    });
  });

  it("refuses bad input with a clear message naming the field, and changes nothing", async () => {
    kiosk = await makeKiosk(db.db, rid); // a kiosk of its own: this test spends most of a kiosk's order bucket
    const burger = m.item("Classic Burger");
    const base = await kioskBody();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ items: [{ ...rings(), priceCents: 1 }] }, 400, "items[0].priceCents"],
      [{ totalCents: 1 }, 400, "totalCents"],
      [{ status: "completed" }, 400, "status"],
      [{ items: [rings(0)] }, 400, "items[0].quantity"],
      [{ items: [rings(-1)] }, 400, "items[0].quantity"],
      [{ items: [rings(100000)] }, 400, "items[0].quantity"],
      [{ name: "x".repeat(10_000) }, 400, "name"],
      [{ name: "Ada\u0000" }, 400, "name"],
      [{ name: "" }, 400, "name"],
      [{ items: [] }, 400, "items"],
      [{ items: [{ menuItemId: "00000000-0000-4000-8000-000000000000", quantity: 1 }] }, 422, "items[0].menuItemId"],
      [{ items: [{ menuItemId: burger.id, quantity: 1, modifierOptionIds: [] }] }, 422, "items[0].modifierOptionIds"],
      [{ items: [{ menuItemId: burger.id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Rare"), m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] }] }, 422, "items[0].modifierOptionIds"],
      [{ idempotencyKey: "x" }, 400, "idempotencyKey"],
      [{ dining: "drive-through" }, 400, "dining"],
      [{ payment: "card" }, 422, "payment"],
    ];
    await unchanged(async () => {
      for (const [extra, status, field] of cases) await problem(await kioskCheckout({ ...base, idempotencyKey: key(), ...extra }), status, field);
    });
  });

  it("refuses an item of another restaurant as not on this menu", async () => {
    kiosk = await makeKiosk(db.db, rid);
    const other = await demoMenu(db.db, otherRid);
    await unchanged(async () => {
      await problem(await kioskCheckout(await kioskBody({ items: [{ menuItemId: other.item("Onion Rings").id, quantity: 1 }] })), 422, "items[0].menuItemId");
    });
  });

  it("refuses an 86'd item at checkout with a message naming it", async () => {
    const table = await makeTable(db.db, rid, "27");
    const body = await tableBody(table.token, { items: [{ menuItemId: m.item("Apple Pie").id, quantity: 1 }] });
    await setItemAvailability(db.db, rid, m.item("Apple Pie").id, false, { userId: null, deviceId: null });
    try {
      await unchanged(async () => {
        const res = await tableOrder(table.token, body);
        expect((await problem(res, 409, "items[0].menuItemId")).message).toContain("Apple Pie is 86'd");
      });
    } finally {
      await setItemAvailability(db.db, rid, m.item("Apple Pie").id, true, { userId: null, deviceId: null });
    }
  });

  it("counts guest orders in buckets of their own: a flood from one table is refused while staff carry on", async () => {
    const table = await makeTable(db.db, rid, "28");
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await tableOrder(table.token, { items: [] })).status);
    expect(statuses.slice(0, 30).every((s) => s === 403)).toBe(true);
    const refused = await tableOrder(table.token, { items: [] });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect((await app.handle(req("/guest-desk", { headers: { cookie: server } }))).status).toBe(200);
  });

  it("lets only managers see and print the tables' QR codes", async () => {
    await makeTable(db.db, rid, "29");
    const page = await app.handle(req("/admin/tables", { headers: { cookie: manager } }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Table 29");
    expect(html).toContain("data:image/svg+xml;base64,");
    expect((await app.handle(req("/admin/tables", { headers: { cookie: server } }))).status).toBe(403);
  });

  it("refuses a table label that is empty, too long or already used, naming the field", async () => {
    for (const label of ["", "x".repeat(21), "29"]) {
      const res = await app.handle(req("/admin/tables", { form: { label }, headers: { cookie: manager } }));
      expect([400, 409]).toContain(res.status);
      expect(await res.text()).toContain("table-label-error");
    }
  });

  it("shows a guest's order page only to its token: a made-up token finds nothing", async () => {
    const res = await app.handle(req(`/guest/order/${"A".repeat(43)}`));
    expect(res.status).toBe(404);
  });
});
