import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { makeDevice, signCookieToken, SESSION_COOKIE } from "../helpers/auth";
import { sseReader } from "../helpers/sse";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { startSession } from "../../src/auth/service";
import { setItemAvailability, setOptionAvailability } from "../../src/menu/service";
import { addItems, fireOrder, holdCourse, placeOrder, type OrderActor } from "../../src/orders/service";
import type { NewLine } from "../../src/orders/validation";

/**
 * Issue 18, "What a first service broke": orders and the kitchen. Each regression test is named after
 * the bug it pins down; the others check the bug's neighbours for the same fault.
 */
describe("what a first service broke: orders and the kitchen", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let rid: string;
  let key: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let station: Record<string, string>;
  let kitchen: string;
  let server: string;
  let manager: string;
  let managerId: string;
  let serverId: string;
  let n = 0;
  let managerPin: string;

  const apiPlace = async (items: unknown[], type = "dine_in") => {
    const res = await t.app.handle(req("/api/v1/orders", { json: { type, table: "9", items }, headers: { authorization: `Bearer ${key}`, "idempotency-key": `fs-${++n}-${Date.now()}` } }));
    expect(res.status).toBe(201);
    return res.json();
  };
  const burger = () => ({ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] });
  const lager = () => ({ menuItemId: m.item("Draft Lager").id, quantity: 1 });
  const red = () => ({ menuItemId: m.item("House Red").id, quantity: 1 });
  const page = async (path: string, cookie = kitchen) => (await t.app.handle(req(path, { headers: { cookie } }))).text();
  // As a browser's htmx form posts: always with a (possibly empty) form body.
  const post = (path: string, cookie = kitchen, form: Record<string, string> = { version: "" }, app = t.app) =>
    app.handle(req(path, { method: "POST", headers: { cookie, "hx-request": "true" }, form }));
  const status = async (id: string) => rowsOf<{ s: string }>(await db.db.execute(sql`select status::text as s from orders where id = ${id}`))[0]!.s;
  const audit = async (orderId: string) => rowsOf<{ action: string; actor: string | null; data: Record<string, unknown> }>(
    await db.db.execute(sql`select action, actor_user_id as actor, data from audit_log where restaurant_id = ${rid} and data->>'orderId' = ${orderId} order by created_at`));
  const voidLine = (orderId: string, lineId: string, cookie = manager, form: Record<string, string> = { reason: "guest changed mind" }) =>
    post(`/pos/orders/${orderId}/lines/${lineId}/remove`, cookie, form);
  const ticketOn = (html: string, orderId: string) => {
    const start = html.indexOf(`id="ticket-${orderId}"`);
    return start < 0 ? null : html.slice(start, html.indexOf("</article>", start));
  };
  const who = (actor: OrderActor["actor"], userId: string | null = null): OrderActor => ({ actor, userId, deviceId: null });

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    const demo = await seedDemo(db.db, testConfig().pinPepper, "first-service");
    managerPin = demo.pins.find((s) => s.role === "manager")!.pin;
    rid = demo.restaurant.id;
    key = demo.apiKey;
    m = await demoMenu(db.db, rid);
    station = Object.fromEntries(rowsOf<{ id: string; slug: string }>(await db.db.execute(sql`select id, slug from stations where restaurant_id = ${rid}`)).map((r) => [r.slug, r.id]));
    kitchen = (await sessionCookieFor(db.db, rid, "kitchen")).cookie;
    ({ cookie: server, userId: serverId } = await sessionCookieFor(db.db, rid, "server"));
    ({ cookie: manager, userId: managerId } = await sessionCookieFor(db.db, rid, "manager"));
  });
  afterAll(async () => { await t.close(); await db.drop(); });

  describe("1. the order's status follows its live lines", () => {
    it("regression: voiding the last unfinished line of a fired order makes it ready, and expo offers Served", async () => {
      const o = await apiPlace([burger(), lager()]);
      expect((await post(`/kds/${station.grill}/orders/${o.id}/bump`)).status).toBe(200);
      expect((await post(`/kds/${station.fry}/orders/${o.id}/bump`)).status).toBe(200);
      expect(await status(o.id)).toBe("preparing");
      expect((await voidLine(o.id, o.items[1].id)).status).toBe(200);
      expect(await status(o.id)).toBe("ready");
      const expo = await page("/expo");
      expect(expo).toMatch(new RegExp(`id="expo-ready".*id="expo-${o.id}".*Served`, "s"));
      expect(await page("/board")).toMatch(new RegExp(`board-ready.*<li>${o.number}</li>`, "s"));
    });

    it("cancels an order once every line is voided, taking it off expo and the board", async () => {
      const o = await apiPlace([lager(), red()]);
      await voidLine(o.id, o.items[0].id);
      expect(await status(o.id)).toBe("sent");
      await voidLine(o.id, o.items[1].id);
      expect(await status(o.id)).toBe("cancelled");
      expect(await page("/expo")).not.toContain(`expo-${o.id}`);
      expect(await page("/board")).not.toContain(`<li>${o.number}</li>`);
    });

    it("makes an order whose fired items go to no station ready at once, instead of sent for ever", async () => {
      // Onion rings routed nowhere (a menu may have such items, e.g. bottled drinks).
      await db.db.execute(sql`delete from item_stations where restaurant_id = ${rid} and item_id = ${m.item("Onion Rings").id}`);
      const o = await apiPlace([{ menuItemId: m.item("Onion Rings").id, quantity: 1 }], "takeout");
      expect(o.status).toBe("ready");
      expect(await page("/expo")).toMatch(new RegExp(`id="expo-ready".*id="expo-${o.id}".*Picked up`, "s"));
    });

    it("follows the lines through a bump, an addition fired to a ready order, and a recall", async () => {
      const { order } = await placeOrder(db.db, rid, { type: "dine_in", table: "3", items: [lager()], fire: true, idempotencyKey: null }, who("server"), null);
      await post(`/kds/${station.bar}/orders/${order.id}/bump`);
      expect(await status(order.id)).toBe("ready");
      const added = await addItems(db.db, rid, order.id, null, [red()], who("server"));
      expect(added.status).toBe("ready"); // an unsent addition is nothing for the kitchen yet
      expect((await fireOrder(db.db, rid, order.id, null, who("server"))).status).toBe("preparing");
      await post(`/kds/${station.bar}/orders/${order.id}/bump`);
      expect(await status(order.id)).toBe("ready");
      expect((await post(`/kds/${station.bar}/recall`)).status).toBe(200);
      expect(await status(order.id)).toBe("preparing");
    });
  });

  describe("2. a pinless screen can do what its permission row says, and a refusal never replaces content", () => {
    it("regression: a pinless expo screen marks a ready order served", async () => {
      const o = await apiPlace([lager()], "takeout");
      await post(`/kds/${station.bar}/orders/${o.id}/bump`);
      const expo = await makeDevice(db.db, rid, "expo", { pinless: true });
      const served = await post(`/expo/orders/${o.id}/serve`, expo.cookie);
      expect(served.status).toBe(200);
      expect(await served.text()).toBe(`<div id="expo-${o.id}" data-remove></div>`);
      expect(await status(o.id)).toBe("completed");
      const recalled = await t.app.handle(req(`/expo/orders/${o.id}/recall`, { method: "POST", headers: { cookie: expo.cookie } }));
      expect(recalled.status).toBe(303);
      expect(await status(o.id)).toBe("ready");
    });

    it("lets a pinless kitchen display bump a line, bump a ticket, recall and clear a VOID at its station", async () => {
      const bar = await makeDevice(db.db, rid, "kds", { stationId: station.bar, pinless: true });
      const o = await apiPlace([lager(), red(), { ...lager(), quantity: 2 }]);
      expect((await post(`/kds/${station.bar}/orders/${o.id}/lines/${o.items[0].id}/bump`, bar.cookie)).status).toBe(200);
      await voidLine(o.id, o.items[1].id);
      expect((await post(`/kds/${station.bar}/orders/${o.id}/bump`, bar.cookie)).status).toBe(200);
      expect((await post(`/kds/${station.bar}/orders/${o.id}/voids/ack`, bar.cookie)).status).toBe(200);
      expect((await post(`/kds/${station.bar}/recall`, bar.cookie)).status).toBe(200);
    });

    it("regression: a refused htmx action swaps nothing: no error page, HX-Reswap none and the message for the screen", async () => {
      const o = await apiPlace([lager()]);
      await post(`/kds/${station.bar}/orders/${o.id}/bump`);
      // A kitchen person may not serve at expo: the refusal must not land in the Ready column.
      const res = await post(`/expo/orders/${o.id}/serve`, kitchen);
      expect(res.status).toBe(403);
      expect(res.headers.get("hx-reswap")).toBe("none");
      expect(decodeURIComponent(res.headers.get("x-refusal")!)).toContain("permission");
      expect(await res.text()).not.toContain("<html");
      expect(await status(o.id)).toBe("ready");
      // The same request from a plain form still gets the full error page.
      const plain = await t.app.handle(req(`/expo/orders/${o.id}/serve`, { method: "POST", headers: { cookie: kitchen } }));
      expect(await plain.text()).toContain("<html");
    });
  });

  describe("3. cancelling an order the kitchen has seen is a manager's call, with a reason", () => {
    const posOrder = async (items: NewLine[], fire: boolean) => {
      const { order } = await placeOrder(db.db, rid, { type: "dine_in", table: "12", items, fire, idempotencyKey: null }, who("server", serverId), null);
      return order;
    };

    it("regression: a server cannot cancel a sent order at the POS without a manager; nothing changes", async () => {
      const o = await posOrder([lager()], true);
      const res = await post(`/pos/orders/${o.id}/cancel`, server, { reason: "walked out" });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("needs a manager&#x27;s approval");
      expect(await status(o.id)).toBe("sent");
      expect(await audit(o.id)).toEqual([]);
    });

    it("cancels a sent order with a manager's PIN and a reason: audited with requester and approver, VOID on every station", async () => {
      const o = await posOrder([burger(), lager()], true);
      const noReason = await post(`/pos/orders/${o.id}/cancel`, server, { managerPin });
      expect(noReason.status).toBe(400);
      expect(await noReason.text()).toContain("Say why the order is cancelled");
      expect(await status(o.id)).toBe("sent");
      const res = await post(`/pos/orders/${o.id}/cancel`, server, { managerPin, reason: "guest left" });
      expect(res.status).toBe(200);
      expect(await status(o.id)).toBe("cancelled");
      const rows = await audit(o.id);
      expect(rows.map((r) => r.action)).toEqual(["order.cancel_override"]);
      expect(rows[0]!.actor).toBe(serverId);
      expect(rows[0]!.data).toMatchObject({ reason: "guest left", requestedBy: serverId, approvedBy: managerId, seenByKitchen: true });
      for (const s of [station.grill, station.fry, station.bar]) {
        const ticket = ticketOn(await page(`/kds/${s}`), o.id);
        expect(ticket).toContain("VOID · order cancelled");
        expect(ticket).toContain("void-alert");
      }
    });

    it("refuses a wrong manager PIN at the till, audited, and rate-limits guesses", async () => {
      // Its own app, so its own rate limiter: the guesses here must not lock the other tests out.
      const own = makeTestApp(db);
      const o = await posOrder([lager()], true);
      const res = await post(`/pos/orders/${o.id}/cancel`, server, { managerPin: "9999", reason: "x" }, own.app);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("That is not a manager&#x27;s PIN");
      const refused = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from audit_log where action = 'override.refused' and data->>'action' = 'orders.cancel_sent'`));
      expect(refused[0]!.n).toBe(1);
      let last = 0;
      for (let i = 0; i < 12 && last !== 429; i++) last = (await post(`/pos/orders/${o.id}/cancel`, server, { managerPin: "9998", reason: "x" }, own.app)).status;
      expect(last).toBe(429);
      expect(await status(o.id)).toBe("sent");
      await own.close();
    }, 30_000);

    it("lets a manager cancel a sent order with a reason, and anyone at the till cancel one the kitchen never saw", async () => {
      const sent = await posOrder([lager()], true);
      const tooLong = await post(`/pos/orders/${sent.id}/cancel`, manager, { reason: "x".repeat(201) });
      expect(tooLong.status).toBe(400);
      expect(await tooLong.text()).toContain("The reason must be at most 200 characters");
      expect(await status(sent.id)).toBe("sent");
      expect((await post(`/pos/orders/${sent.id}/cancel`, manager, { reason: "duplicate" })).status).toBe(200);
      expect((await audit(sent.id))[0]).toMatchObject({ action: "order.cancel", actor: managerId });
      const unsent = await posOrder([lager()], false);
      expect((await post(`/pos/orders/${unsent.id}/cancel`, server)).status).toBe(200);
      expect(await status(unsent.id)).toBe("cancelled");
    });

    it("regression: an API key cannot cancel an order the kitchen has seen; it says why, and nothing changes", async () => {
      const o = await apiPlace([lager()]);
      const api = (body: unknown) => t.app.handle(req(`/api/v1/orders/${o.id}/transitions`, { json: body, headers: { authorization: `Bearer ${key}` } }));
      const refused = await api({ to: "cancelled", reason: "test" });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: "manager_required", field: "override" });
      const badReason = await api({ to: "cancelled", reason: 5 });
      expect(badReason.status).toBe(400);
      expect((await badReason.json()).field).toBe("reason");
      expect(await status(o.id)).toBe("sent");
      const unsent = await posOrder([lager()], false);
      const ok = await t.app.handle(req(`/api/v1/orders/${unsent.id}/transitions`, { json: { to: "cancelled" }, headers: { authorization: `Bearer ${key}` } }));
      expect(ok.status).toBe(200);
    });
  });

  describe("4. a voided fired line stays on its station as VOID until a cook acknowledges it", () => {
    it("regression: a voided fired line shows as VOID on its station until a cook acknowledges it, and the audit names the approver", async () => {
      const o = await apiPlace([lager(), red()]);
      await post(`/kds/${station.bar}/orders/${o.id}/lines/${o.items[0].id}/bump`);
      // A server voids the wine with the manager's PIN: the bar was maybe pouring it.
      expect((await voidLine(o.id, o.items[1].id, server, { reason: "wrong wine", managerPin })).status).toBe(200);
      const ticket = ticketOn(await page(`/kds/${station.bar}`), o.id);
      expect(ticket).not.toBeNull();
      expect(ticket).toMatch(/kds-line void void-alert[\s\S]*House Red[\s\S]*VOID/);
      expect(ticket).toContain("Seen: clear VOID");
      const [row] = (await audit(o.id)).filter((a) => a.action === "order.void_override");
      expect(row!.actor).toBe(serverId);
      expect(row!.data).toMatchObject({ requestedBy: serverId, approvedBy: managerId, reason: "wrong wine" });
      const ack = await post(`/kds/${station.bar}/orders/${o.id}/voids/ack`);
      expect(ack.status).toBe(200);
      expect(await ack.text()).toBe(""); // nothing left here: the ticket leaves the rail
      expect(ticketOn(await page(`/kds/${station.bar}`), o.id)).toBeNull();
      expect((await audit(o.id)).map((a) => a.action)).toContain("kitchen.void_acknowledged");
      const again = await post(`/kds/${station.bar}/orders/${o.id}/voids/ack`);
      expect(again.status).toBe(409);
      expect(decodeURIComponent(again.headers.get("x-refusal")!)).toContain("no unacknowledged VOID");
    });

    it("streams the VOID to the station's screen at once", async () => {
      const o = await apiPlace([lager(), red()]);
      const s = sseReader(await t.app.handle(req(`/kds/${station.bar}/stream?since=${await t.bus.currentSeq(rid)}`, { headers: { cookie: kitchen } })));
      await Bun.sleep(100);
      await voidLine(o.id, o.items[1].id);
      const msg = await s.next((x) => x.event === "swap" && x.data.includes(`ticket-${o.id}`) && x.data.includes("void-alert"));
      expect(msg.data).toContain("House Red");
      s.cancel();
    });
  });

  describe("5. a held course fired later is FIRE C2, an addition is ADD", () => {
    it("regression: a held course fired later shows FIRE C2 on the station, not ADD; an item added after the send shows ADD", async () => {
      const salad = (course: number) => ({ menuItemId: m.item("Caesar Salad").id, quantity: 1, course });
      const { order } = await placeOrder(db.db, rid, { type: "dine_in", table: "5", items: [salad(1), { menuItemId: m.item("Apple Pie").id, quantity: 1, course: 2 }], fire: false, idempotencyKey: null }, who("server"), null);
      await holdCourse(db.db, rid, order.id, null, 2, true, who("server"));
      await fireOrder(db.db, rid, order.id, null, who("server"));
      await fireOrder(db.db, rid, order.id, null, who("server"), { course: 2 });
      await addItems(db.db, rid, order.id, null, [{ menuItemId: m.item("Brownie Sundae").id, quantity: 1 }], who("server"));
      await fireOrder(db.db, rid, order.id, null, who("server"));
      const ticket = ticketOn(await page(`/kds/${station.cold}`), order.id)!;
      const flagOf = (name: string) => /kds-flag (\w+)"?>([^<]+)</.exec(ticket.slice(ticket.indexOf(name), ticket.indexOf("</li>", ticket.indexOf(name))))?.[2] ?? null;
      expect(flagOf("Caesar Salad")).toBeNull();
      expect(flagOf("Apple Pie")).toBe("FIRE C2");
      expect(flagOf("Brownie Sundae")).toBe("ADD");
    });
  });

  describe("6. an item 86'd while unsent on a POS ticket", () => {
    async function posTicket(items: string[]) {
      const res = await t.app.handle(req("/pos/orders", { headers: { cookie: server }, form: { type: "dine_in", table: "8", idempotencyKey: crypto.randomUUID() } }));
      const id = res.headers.get("location")!.split("order=")[1]!;
      for (const itemId of items) expect((await post(`/pos/orders/${id}/items`, server, { itemId })).status).toBe(200);
      return id;
    }

    it("regression: an item 86'd while unsent is marked on the ticket at once, and Send refuses naming it, changing nothing", async () => {
      const lagerId = m.item("Draft Lager").id;
      const id = await posTicket([lagerId, m.item("House Red").id]);
      const s = sseReader(await t.app.handle(req(`/pos/stream?order=${id}&since=${await t.bus.currentSeq(rid)}`, { headers: { cookie: server } })));
      await Bun.sleep(100);
      await setItemAvailability(db.db, rid, lagerId, false, { actor: "manager", userId: null, deviceId: null } as never);
      try {
        const live = await s.next((x) => x.event === "swap" && x.data.includes('id="ticket"'));
        expect(live.data).toContain("Draft Lager is 86&#x27;d (sold out): remove it before sending");
        const before = rowsOf<{ v: number }>(await db.db.execute(sql`select version as v from orders where id = ${id}`))[0]!.v;
        const send = await post(`/pos/orders/${id}/send`, server);
        expect(send.status).toBe(409);
        expect(await send.text()).toContain("Nothing was sent: Draft Lager is 86&#x27;d (sold out)");
        expect(await status(id)).toBe("open");
        const after = rowsOf<{ v: number; fired: number }>(await db.db.execute(sql`select o.version as v, (select count(*)::int from order_items i where i.order_id = o.id and i.fired_at is not null) as fired from orders o where o.id = ${id}`))[0]!;
        expect(after).toEqual({ v: before, fired: 0 });
      } finally {
        s.cancel();
        await setItemAvailability(db.db, rid, lagerId, true, { actor: "manager", userId: null, deviceId: null } as never);
      }
    });

    it("refuses to fire a held course or send through the API when a chosen option was 86'd since", async () => {
      const fries = m.option("Classic Burger", "Fries");
      const { order } = await placeOrder(db.db, rid, { type: "dine_in", table: "6", items: [{ ...burger(), course: 2 }, lager()], fire: false, idempotencyKey: null }, who("server"), null);
      await holdCourse(db.db, rid, order.id, null, 2, true, who("server"));
      await fireOrder(db.db, rid, order.id, null, who("server"));
      const unsent = (await placeOrder(db.db, rid, { type: "dine_in", table: "6", items: [burger()], fire: false, idempotencyKey: null }, who("server"), null)).order;
      await setOptionAvailability(db.db, rid, fries, false, { actor: "manager", userId: null, deviceId: null } as never);
      try {
        await expect(fireOrder(db.db, rid, order.id, null, who("server"), { course: 2 })).rejects.toThrow("Classic Burger: Fries is 86'd");
        const res = await t.app.handle(req(`/api/v1/orders/${unsent.id}/transitions`, { json: { to: "sent" }, headers: { authorization: `Bearer ${key}` } }));
        expect(res.status).toBe(409);
        expect((await res.json()).field).toBe("items");
        expect(await status(unsent.id)).toBe("open");
      } finally {
        await setOptionAvailability(db.db, rid, fries, true, { actor: "manager", userId: null, deviceId: null } as never);
      }
    });
  });

  describe("7. a pinless display sees and changes its own station only", () => {
    it("regression: a pinless display enrolled for one station cannot open, stream or bump another station's tickets", async () => {
      const grill = await makeDevice(db.db, rid, "kds", { stationId: station.grill, pinless: true });
      const o = await apiPlace([lager()]);
      const get = (path: string) => t.app.handle(req(path, { headers: { cookie: grill.cookie } }));
      expect((await get(`/kds/${station.grill}`)).status).toBe(200);
      expect(await (await get(`/kds/${station.grill}`)).text()).not.toContain("kds-switch");
      for (const path of [`/kds/${station.bar}`, `/kds/${station.bar}/stream`, "/expo", "/expo/stream", "/board"]) expect((await get(path)).status).toBe(403);
      const bump = await post(`/kds/${station.bar}/orders/${o.id}/bump`, grill.cookie);
      expect(bump.status).toBe(403);
      expect(decodeURIComponent(bump.headers.get("x-refusal")!)).toContain("enrolled to show its own station");
      expect((await post(`/kds/${station.bar}/recall`, grill.cookie)).status).toBe(403);
      expect(await status(o.id)).toBe("sent");
      // Nor does it read the whole restaurant's feed through the integrations' event stream.
      expect((await t.app.handle(req("/api/v1/events", { headers: { cookie: grill.cookie, accept: "application/json" } }))).status).toBe(403);
    });

    it("keeps an expo screen on expo and a board on the board", async () => {
      const expo = await makeDevice(db.db, rid, "expo", { pinless: true });
      const board = await makeDevice(db.db, rid, "board", { pinless: true });
      const get = (path: string, cookie: string) => t.app.handle(req(path, { headers: { cookie } }));
      expect((await get("/expo", expo.cookie)).status).toBe(200);
      expect((await get(`/kds/${station.grill}`, expo.cookie)).status).toBe(403);
      expect((await get("/board", expo.cookie)).status).toBe(403);
      expect((await get("/kds", expo.cookie)).headers.get("location")).toBe("/expo");
      expect((await get("/board", board.cookie)).status).toBe(200);
      expect((await get("/expo", board.cookie)).status).toBe(403);
    });

    it("lets a person signed on by PIN at that display switch stations as their role allows", async () => {
      const grill = await makeDevice(db.db, rid, "kds", { stationId: station.grill, pinless: true });
      const cook = rowsOf<{ id: string }>(await db.db.execute(sql`select user_id as id from memberships where restaurant_id = ${rid} and role = 'kitchen' limit 1`))[0]!.id;
      const { token } = await startSession(db.db, { userId: cook, restaurantId: rid, kind: "pin", deviceId: grill.device.id });
      const cookie = `${grill.cookie}; ${SESSION_COOKIE}=${await signCookieToken(token)}`;
      const html = await page(`/kds/${station.bar}`, cookie);
      expect(html).toContain("kds-switch");
      const o = await apiPlace([lager()]);
      expect((await post(`/kds/${station.bar}/orders/${o.id}/bump`, cookie)).status).toBe(200);
    });
  });
});
