import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { makeDevice } from "../helpers/auth";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { getOrder, placeOrder } from "../../src/orders/service";
import { bumpAtStation } from "../../src/kitchen/service";
import { serveOrder } from "../../src/expo/service";

/** Issue 9's new routes (src/pos/quick-routes.ts, src/kitchen/eighty-six-routes.ts, src/expo/recall-list-routes.ts). */
describe("POS quick actions, the kitchen's 86 list and the expo's recall list", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let server: string;
  let kitchen: string;
  let expo: string;
  let pinOf: (role: string) => string;
  let station: Record<string, string>;
  const who = { actor: "manager" as const, userId: null, deviceId: null };
  const hx = (cookie: string) => ({ cookie, "hx-request": "true" });
  const audits = async (action: string) => rowsOf<{ data: Record<string, unknown> }>(await withSystem(db.db, (tx) => tx.execute(sql`select data from audit_log where restaurant_id = ${rid} and action = ${action}`)));
  async function draftWithBurger() {
    const burger = m.item("Classic Burger");
    const options = ["Rare", "Bacon", "Onion rings"].map((n) => burger.groups.flatMap((g) => g.options).find((o) => o.name === n)!.id);
    const { order } = await placeOrder(db.db, rid, {
      type: "dine_in", table: "4", guests: 2, note: null, fire: false, idempotencyKey: null,
      items: [{ menuItemId: burger.id, quantity: 2, modifierOptionIds: options, note: "no salt", seat: 3, course: 2 }],
    }, who, null);
    return order;
  }

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "quick");
    rid = demo.restaurant.id;
    pinOf = (role) => demo.pins.find((p) => p.role === role)!.pin;
    m = await demoMenu(db.db, rid);
    server = (await sessionCookieFor(db.db, rid, "server")).cookie;
    kitchen = (await sessionCookieFor(db.db, rid, "kitchen")).cookie;
    expo = (await sessionCookieFor(db.db, rid, "expo")).cookie;
    station = Object.fromEntries(rowsOf<{ id: string; slug: string }>(await db.db.execute(sql`select id, slug from stations where restaurant_id = ${rid}`)).map((r) => [r.slug, r.id]));
  });
  afterAll(() => db.drop());

  it("repeats a line with the same item, choices, note, seat and course as a new unsent line", async () => {
    const order = await draftWithBurger();
    const line = order.lines[0]!;
    const res = await app.handle(req(`/pos/orders/${order.id}/lines/${line.id}/repeat`, { headers: hx(server), form: {} }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('id="ticket"');
    const after = await getOrder(db.db, rid, order.id);
    expect(after.lines.length).toBe(2);
    const copy = after.lines.find((l) => l.id !== line.id)!;
    expect({ item: copy.menuItemId, q: copy.quantity, mods: copy.modifiers.map((x) => x.optionId), note: copy.note, seat: copy.seat, course: copy.course, fired: copy.firedAt })
      .toEqual({ item: line.menuItemId, q: 2, mods: line.modifiers.map((x) => x.optionId), note: "no salt", seat: 3, course: 2, fired: null });
  });

  it("refuses to repeat a line that is not on the order, changing nothing", async () => {
    const order = await draftWithBurger();
    const res = await app.handle(req(`/pos/orders/${order.id}/lines/00000000-0000-4000-8000-000000000001/repeat`, { headers: { cookie: server, accept: "application/json" }, form: {} }));
    expect(res.status).toBe(404);
    expect((await getOrder(db.db, rid, order.id)).lines.length).toBe(1);
  });

  it("gives a server's discount once a manager's PIN approves it, audited with requester and approver", async () => {
    const order = await draftWithBurger();
    const res = await app.handle(req(`/pos/orders/${order.id}/discount-request`, { headers: hx(server), form: { value: "10%", reason: "regular", managerPin: pinOf("manager"), version: String(order.version) } }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Discount (regular)");
    const after = await getOrder(db.db, rid, order.id);
    expect(after.discountCents).toBeGreaterThan(0);
    const row = (await audits("order.discount_override")).find((a) => a.data.orderId === order.id)!;
    expect(row.data.requestedBy).toBeTruthy();
    expect(row.data.approvedBy).toBeTruthy();
    expect(row.data.approvedBy).not.toBe(row.data.requestedBy);
  });

  it("refuses a discount request with a wrong PIN, a missing PIN, a bad amount or no reason, naming the field and changing nothing", async () => {
    const order = await draftWithBurger();
    const refusedBefore = (await audits("override.refused")).length;
    const cases: [Record<string, string>, number, string][] = [
      [{ value: "10%", reason: "regular", managerPin: pinOf("server") }, 403, "managerPin"],
      [{ value: "10%", reason: "regular" }, 400, "managerPin"],
      [{ value: "lots", reason: "regular", managerPin: pinOf("manager") }, 400, "value"],
      [{ value: "150%", reason: "regular", managerPin: pinOf("manager") }, 400, "value"],
      [{ value: "5.00", reason: "  ", managerPin: pinOf("manager") }, 400, "reason"],
    ];
    for (const [form, status, field] of cases) {
      const res = await app.handle(req(`/pos/orders/${order.id}/discount-request`, { headers: { cookie: server, accept: "application/json" }, form }));
      expect(res.status).toBe(status);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
    expect((await getOrder(db.db, rid, order.id)).discountCents).toBe(0);
    expect((await audits("override.refused")).length).toBe(refusedBefore + 1);
  });

  it("lists a station's items with their 86 switches for the kitchen, and refuses a pinless display", async () => {
    const res = await app.handle(req(`/kds/${station.fry}/eighty-six`, { headers: hx(kitchen) }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`/menu/items/${m.item("Onion Rings").id}/availability`);
    expect(html).not.toContain(m.item("Draft Lager").id); // a bar item is not the fryer's
    const display = await makeDevice(db.db, rid, "kds", { stationId: station.fry, pinless: true });
    expect((await app.handle(req(`/kds/${station.fry}/eighty-six`, { headers: { cookie: display.cookie, accept: "application/json" } }))).status).toBe(403);
  });

  it("lists an order served after the expo page loaded in the recall list", async () => {
    const lager = m.item("Draft Lager");
    const { order } = await placeOrder(db.db, rid, { type: "takeout", table: null, guests: null, note: null, fire: true, idempotencyKey: null, items: [{ menuItemId: lager.id, quantity: 1 }] }, who, null);
    await bumpAtStation(db.db, rid, station.bar!, order.id, "all", who);
    await serveOrder(db.db, rid, order.id, who);
    const res = await app.handle(req("/expo/recall-list", { headers: hx(expo) }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`/expo/orders/${order.id}/recall`);
  });
});
