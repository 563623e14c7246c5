import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { apiClient, count } from "./setup";

setDefaultTimeout(30_000);

describe("payments JSON API", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let api: ReturnType<typeof apiClient>;
  let otherKey: string;
  let rid: string;
  let manager: string;
  let server: { cookie: string; userId: string };
  let m: Awaited<ReturnType<typeof demoMenu>>;

  const burger = (seat: number | null = null) => ({ menuItemId: m.item("Onion Rings").id, quantity: 1, seat });
  /** Onion rings 5.50 + 8.75% tax (0.48) = 5.98 each, unless told otherwise. */
  const place = async (items: Record<string, unknown>[] = [burger()], cookie?: string) => {
    const res = await api("/api/v1/orders", { json: { type: "dine_in", table: "4", items }, cookie });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; totalCents: number; subtotalCents: number; taxCents: number; version: number; items: { id: string }[] };
  };
  const pay = (orderId: string, body: Record<string, unknown>, init: { idem?: string; key?: string; cookie?: string } = {}) => api(`/api/v1/orders/${orderId}/payments`, { json: body, ...init });
  const get = async (orderId: string) => (await api(`/api/v1/orders/${orderId}`)).json();
  const problem = async (res: Response, status: number, field?: string) => {
    const body = await res.json();
    expect({ status: res.status, body }).toMatchObject({ status, body: field ? { field } : {} });
    expect(typeof body.message).toBe("string");
    return body as { error: string; message: string; field?: string };
  };
  /** Asserts that a refused request changed nothing: no payment rows, and the order's version as before. */
  const unchanged = async (orderId: string, work: () => Promise<unknown>) => {
    const [payments, before] = [await count(db.db, "payments"), (await get(orderId)).version];
    await work();
    expect(await count(db.db, "payments")).toBe(payments);
    expect((await get(orderId)).version).toBe(before);
  };

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "pay");
    rid = demo.restaurant.id;
    api = apiClient(app, { key: demo.apiKey });
    otherKey = (await seedDemo(db.db, testConfig().pinPepper, "pay-other")).apiKey;
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    server = await sessionCookieFor(db.db, rid, "server");
    m = await demoMenu(db.db, rid);
  }, 60_000);
  afterAll(() => db.drop());

  it("takes cash with change, and the order shows what was paid and what is due", async () => {
    const o = await place([burger(), burger()]);
    expect(o.totalCents).toBe(1100 + 96);
    const res = await pay(o.id, { tender: "cash", amountCents: 500, tenderedCents: 2000 });
    expect(res.status).toBe(201);
    const p = await res.json();
    expect(p).toMatchObject({ tender: "cash", status: "completed", amountCents: 500, tipCents: 0, changeCents: 1500 });
    const after = await get(o.id);
    expect(after).toMatchObject({ paidCents: 500, balanceDueCents: 696, paymentStatus: "partly_paid" });
    expect(after.payments.map((x: { id: string }) => x.id)).toEqual([p.id]);
    await pay(o.id, { tender: "cash", amountCents: 696 });
    expect(await get(o.id)).toMatchObject({ paidCents: 1196, balanceDueCents: 0, paymentStatus: "paid", status: "sent" });
  });

  it("appends an event with the order's id in the same transaction as the payment, so screens update live", async () => {
    const o = await place();
    const p = await (await pay(o.id, { tender: "cash", amountCents: 100 })).json();
    const [event] = rowsOf<{ type: string; data: { orderId: string; paymentId: string } }>(await withSystem(db.db, (tx) => tx.execute(sql`select type, data from events where restaurant_id = ${rid} order by seq desc limit 1`)));
    expect(event).toMatchObject({ type: "payment.taken", data: { orderId: o.id, paymentId: p.id } });
    expect((await get(o.id)).version).toBe(o.version + 1);
  });

  it("answers a replayed Idempotency-Key with the same payment and never takes money twice", async () => {
    const o = await place();
    const body = { tender: "cash", amountCents: 300 };
    const first = await pay(o.id, body, { idem: "till-3-tap-0001" });
    const before = await count(db.db, "payments");
    const again = await pay(o.id, body, { idem: "till-3-tap-0001" });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json()).id).toBe((await first.json()).id);
    expect(await count(db.db, "payments")).toBe(before);
  });

  it("refuses the same Idempotency-Key with another amount (422) and changes nothing", async () => {
    const o = await place();
    await pay(o.id, { tender: "cash", amountCents: 300 }, { idem: "till-3-tap-0002" });
    await unchanged(o.id, async () => problem(await pay(o.id, { tender: "cash", amountCents: 301 }, { idem: "till-3-tap-0002" }), 422, "idempotencyKey"));
  });

  it("makes one payment from 20 concurrent duplicate submits of one key", async () => {
    const o = await place();
    const before = await count(db.db, "payments");
    const results = await Promise.all(Array.from({ length: 20 }, () => pay(o.id, { tender: "cash", amountCents: 200 }, { idem: "double-tap-pay-xyz" })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(await Promise.all(results.map(async (r) => (await r.json()).id))).size).toBe(1);
    expect(await count(db.db, "payments")).toBe(before + 1);
  });

  it("cannot be overpaid by 20 concurrent tenders on one check", async () => {
    const o = await place([burger(), burger(), burger()]); // 17.94
    const results = await Promise.all(Array.from({ length: 20 }, () => pay(o.id, { tender: "cash", amountCents: 500 })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3); // 15.00 fits, a fourth 5.00 would not
    expect(statuses.every((s) => s === 201 || s === 422)).toBe(true);
    const after = await get(o.id);
    expect(after.paidCents).toBe(1500);
    expect(after.balanceDueCents).toBe(o.totalCents - 1500);
    const last = await pay(o.id, { tender: "cash", amountCents: after.balanceDueCents });
    expect(last.status).toBe(201);
    expect((await get(o.id)).paymentStatus).toBe("paid");
  });

  describe("refuses bad input with a clear message naming the field, and changes nothing", () => {
    let o: Awaited<ReturnType<typeof place>>;
    beforeAll(async () => { o = await place(); });

    for (const [name, body, status, field] of [
      ["a negative amount", { tender: "cash", amountCents: -100 }, 400, "amountCents"],
      ["a zero amount", { tender: "cash", amountCents: 0 }, 400, "amountCents"],
      ["an amount with more decimals than the currency has", { tender: "cash", amountCents: 12.5 }, 400, "amountCents"],
      ["an amount as text", { tender: "cash", amountCents: "5.00" }, 400, "amountCents"],
      ["a negative tip", { tender: "cash", amountCents: 100, tipCents: -1 }, 400, "tipCents"],
      ["a tip with decimals", { tender: "cash", amountCents: 100, tipCents: 0.5 }, 400, "tipCents"],
      ["a tip over the restaurant's cap", { tender: "cash", amountCents: 100, tipCents: 551 }, 422, "tipCents"],
      ["cash handed over that does not cover the amount and tip", { tender: "cash", amountCents: 500, tipCents: 100, tenderedCents: 550 }, 422, "tenderedCents"],
      ["an amount above the balance due", { tender: "cash", amountCents: 599 }, 422, "amountCents"],
      ["an unknown tender", { tender: "bitcoin", amountCents: 100 }, 400, "tender"],
      ["a card tender before card payments are set up", { tender: "card", amountCents: 100 }, 422, "tender"],
      ["no tender", { amountCents: 100 }, 400, "tender"],
      ["a check on an order that is not split", { tender: "cash", amountCents: 100, checkId: "00000000-0000-4000-8000-000000000000" }, 404, undefined],
    ] as const) {
      it(`refuses ${name}`, async () => {
        await unchanged(o.id, async () => problem(await pay(o.id, body as Record<string, unknown>), status, field));
      });
    }

    it("refuses a payment without an Idempotency-Key", async () => {
      await unchanged(o.id, async () => problem(await api(`/api/v1/orders/${o.id}/payments`, { json: { tender: "cash", amountCents: 100 }, idem: null }), 400, "Idempotency-Key"));
    });

    it("refuses to pay another restaurant's order and shows it nothing (404)", async () => {
      await unchanged(o.id, async () => problem(await pay(o.id, { tender: "cash", amountCents: 100 }, { key: otherKey }), 404));
      expect((await api(`/api/v1/orders/${o.id}`, { key: otherKey })).status).toBe(404);
    });

    it("takes cash over the balance as change: the amount is the balance, the rest goes back", async () => {
      const small = await place();
      const res = await pay(small.id, { tender: "cash", amountCents: small.totalCents, tenderedCents: 1000 });
      expect(res.status).toBe(201);
      expect((await res.json()).changeCents).toBe(1000 - small.totalCents);
    });

    it("refuses to pay a check that is already paid", async () => {
      const paid = await place();
      await pay(paid.id, { tender: "cash", amountCents: paid.totalCents });
      await unchanged(paid.id, async () => expect((await problem(await pay(paid.id, { tender: "cash", amountCents: 1 }), 409, "amountCents")).message).toContain("already paid"));
    });

    it("refuses to pay a cancelled order", async () => {
      const gone = await place();
      // Sent to the kitchen, so a cancel needs a manager and a reason (issue 18.3).
      expect((await api(`/api/v1/orders/${gone.id}/transitions`, { json: { to: "cancelled", reason: "guest left" }, cookie: manager })).status).toBe(200);
      await unchanged(gone.id, async () => expect((await problem(await pay(gone.id, { tender: "cash", amountCents: 100 }), 409)).message).toContain("cancelled"));
    });
  });

  describe("refunds", () => {
    it("refunds part then the rest of a cash payment, for a manager, with a reason, audited", async () => {
      const o = await place();
      const p = await (await pay(o.id, { tender: "cash", amountCents: o.totalCents, tipCents: 100 })).json();
      const part = await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 200, reason: "cold rings" }, cookie: manager });
      expect(part.status).toBe(201);
      expect((await part.json()).payment).toMatchObject({ status: "partly_refunded", refundedCents: 200 });
      expect(await get(o.id)).toMatchObject({ paidCents: o.totalCents - 200, balanceDueCents: 200, paymentStatus: "partly_paid" });
      const tooMuch = await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: o.totalCents + 100 - 200 + 1, reason: "x" }, cookie: manager });
      expect((await problem(tooMuch, 422, "amountCents")).message).toContain("At most");
      const rest = await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: o.totalCents + 100 - 200, reason: "walked out" }, cookie: manager });
      expect((await rest.json()).payment.status).toBe("refunded");
      expect(await get(o.id)).toMatchObject({ paidCents: 0, paymentStatus: "refunded" });
      const audits = rowsOf<{ n: number }>(await withSystem(db.db, (tx) => tx.execute(sql`select count(*)::int as n from audit_log where action = 'payment.refund' and data->>'paymentId' = ${p.id}`)));
      expect(audits[0]!.n).toBe(2);
      const again = await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 1, reason: "x" }, cookie: manager });
      expect((await problem(again, 409, "amountCents")).message).toContain("nothing left to refund");
    });

    it("voids a payment taken by mistake (manager, reason, audited): it counts nowhere, and a voided payment never changes again", async () => {
      const o = await place();
      const p = await (await pay(o.id, { tender: "cash", amountCents: 300 })).json();
      await problem(await api(`/api/v1/payments/${p.id}/void`, { json: { reason: "wrong check" }, cookie: server.cookie }), 403);
      await problem(await api(`/api/v1/payments/${p.id}/void`, { json: { reason: "" }, cookie: manager }), 400, "reason");
      const res = await api(`/api/v1/payments/${p.id}/void`, { json: { reason: "rung on the wrong check" }, cookie: manager });
      expect((await res.json()).status).toBe("voided");
      expect(await get(o.id)).toMatchObject({ paidCents: 0, paymentStatus: "unpaid" });
      expect((await problem(await api(`/api/v1/payments/${p.id}/void`, { json: { reason: "again" }, cookie: manager }), 409, "paymentId")).message).toContain("cannot change any more");
      expect((await problem(await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 1, reason: "x" }, cookie: manager }), 409, "amountCents")).message).toContain("voided");
    });

    it("lets an API key take payments but never refund", async () => {
      const o = await place();
      const p = await (await pay(o.id, { tender: "cash", amountCents: 100 })).json();
      const res = await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 100, reason: "x" } });
      await problem(res, 403);
      const byServer = await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 100, reason: "x" }, cookie: server.cookie });
      await problem(byServer, 403);
      expect((await get(o.id)).paidCents).toBe(100);
    });

    it("refuses a refund without a reason, of zero, or of another restaurant's payment", async () => {
      const o = await place();
      const p = await (await pay(o.id, { tender: "cash", amountCents: 100 })).json();
      await problem(await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 50, reason: " " }, cookie: manager }), 400, "reason");
      await problem(await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 0, reason: "x" }, cookie: manager }), 400, "amountCents");
      await problem(await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 5.5, reason: "x" }, cookie: manager }), 400, "amountCents");
      const outsider = await sessionCookieFor(db.db, (await withSystem(db.db, (tx) => tx.execute(sql`select id from restaurants where slug = 'pay-other'`)).then((r) => rowsOf<{ id: string }>(r)[0]!.id)), "manager");
      await problem(await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 50, reason: "x" }, cookie: outsider.cookie }), 404);
      expect((await get(o.id)).payments[0].refundedCents).toBe(0);
    });
  });

  describe("tips, comps, splits and closing", () => {
    it("credits the tip to the server who owns the check and never changes tax", async () => {
      const o = await place([burger()], server.cookie);
      const res = await pay(o.id, { tender: "cash", amountCents: o.totalCents, tipCents: 110, tenderedCents: 1000 });
      const p = await res.json();
      expect(p).toMatchObject({ tipCents: 110, changeCents: 1000 - o.totalCents - 110 });
      const after = await get(o.id);
      expect(after.taxCents).toBe(o.taxCents);
      expect(after.totalCents).toBe(o.totalCents);
      expect(after.payments[0].serverUserId).toBe(server.userId);
      expect(after.paymentStatus).toBe("paid");
    });

    it("comps a line for a manager with a reason: it stays on the ticket at zero and the total drops", async () => {
      const o = await place([burger(), burger()]);
      const res = await api(`/api/v1/orders/${o.id}/items/${o.items[0]!.id}/comp`, { json: { reason: "birthday" }, cookie: manager });
      expect(res.status).toBe(200);
      const after = await res.json();
      expect(after.items).toHaveLength(2);
      expect(after.items[0]).toMatchObject({ comped: true, compReason: "birthday", lineTotalCents: 0 });
      expect(after.totalCents).toBe(550 + 48);
      expect(after.discountCents).toBe(0);
      await problem(await api(`/api/v1/orders/${o.id}/items/${o.items[1]!.id}/comp`, { json: { reason: "x" }, cookie: server.cookie }), 403);
      await problem(await api(`/api/v1/orders/${o.id}/items/${o.items[1]!.id}/comp`, { json: { reason: "" }, cookie: manager }), 400, "reason");
      await problem(await api(`/api/v1/orders/${o.id}/items/${o.items[0]!.id}/comp`, { json: { reason: "again" }, cookie: manager }), 409, "lineId");
    });

    it("splits by seat, pays each check on its own, and needs the check named", async () => {
      const o = await place([burger(1), burger(2), { menuItemId: m.item("Cola").id, quantity: 1, seat: null, modifierOptionIds: [m.option("Cola", "Small")] }]);
      const split = await (await api(`/api/v1/orders/${o.id}/split`, { json: { kind: "seat" } })).json();
      expect(split.checks.map((c: { label: string }) => c.label)).toEqual(["Seat 1", "Seat 2"]);
      expect(split.checks.reduce((s: number, c: { totalCents: number }) => s + c.totalCents, 0)).toBe(o.totalCents);
      await problem(await pay(o.id, { tender: "cash", amountCents: 100 }), 422, "checkId");
      const [one, two] = split.checks as { id: string; totalCents: number }[];
      await problem(await pay(o.id, { tender: "cash", amountCents: one!.totalCents + 1, checkId: one!.id }), 422, "amountCents");
      expect((await pay(o.id, { tender: "cash", amountCents: one!.totalCents, checkId: one!.id })).status).toBe(201);
      await problem(await pay(o.id, { tender: "cash", amountCents: 1, checkId: one!.id }), 409, "amountCents");
      const mid = await get(o.id);
      expect(mid.checks[0].balanceDueCents).toBe(0);
      expect(mid.paymentStatus).toBe("partly_paid");
      // Splitting again once money is taken would move paid money between guests: refused.
      await problem(await api(`/api/v1/orders/${o.id}/split`, { json: { kind: "even", guests: 2 } }), 409, "split");
      expect((await pay(o.id, { tender: "cash", amountCents: two!.totalCents, checkId: two!.id })).status).toBe(201);
      expect((await get(o.id)).paymentStatus).toBe("paid");
    });

    it("refuses to complete an order that still owes money, and completes it once paid", async () => {
      const o = await place();
      for (const to of ["preparing", "ready"]) await api(`/api/v1/orders/${o.id}/transitions`, { json: { to } });
      const refused = await api(`/api/v1/orders/${o.id}/transitions`, { json: { to: "completed" } });
      expect((await problem(refused, 409, "to")).message).toContain("still owes");
      await pay(o.id, { tender: "cash", amountCents: o.totalCents });
      expect((await api(`/api/v1/orders/${o.id}/transitions`, { json: { to: "completed" } })).status).toBe(200);
    });

    it("completes an unpaid order only after a manager leaves it unpaid with a reason", async () => {
      const o = await place();
      for (const to of ["preparing", "ready"]) await api(`/api/v1/orders/${o.id}/transitions`, { json: { to } });
      await problem(await api(`/api/v1/orders/${o.id}/unpaid`, { json: { reason: "house account" }, cookie: server.cookie }), 403);
      await problem(await api(`/api/v1/orders/${o.id}/unpaid`, { json: { reason: "" }, cookie: manager }), 400, "reason");
      expect((await api(`/api/v1/orders/${o.id}/unpaid`, { json: { reason: "house account: Smith" }, cookie: manager })).status).toBe(200);
      expect((await api(`/api/v1/orders/${o.id}/transitions`, { json: { to: "completed" } })).status).toBe(200);
    });

    it("closes a paid check to new items, voids and discounts until a manager reopens it, and audits every change after payment", async () => {
      const o = await place();
      const addRings = (cookie: string) => app.handle(req(`/pos/orders/${o.id}/items`, { form: { itemId: m.item("Onion Rings").id, quantity: "1" }, headers: { cookie, accept: "application/json" } }));
      await pay(o.id, { tender: "cash", amountCents: 100 });
      // Partly paid: the check may still change, and the change is audited.
      expect((await addRings(server.cookie)).status).toBe(303);
      const after = await get(o.id);
      await pay(o.id, { tender: "cash", amountCents: after.balanceDueCents });
      const refused = await addRings(server.cookie);
      expect(refused.status).toBe(409);
      expect((await get(o.id)).items).toHaveLength(2);
      const discount = await app.handle(req(`/pos/orders/${o.id}/discount`, { form: { value: "1.00", reason: "x" }, headers: { cookie: manager, accept: "application/json" } }));
      expect(discount.status).toBe(409);
      expect((await api(`/api/v1/orders/${o.id}/reopen`, { json: { reason: "guest added a side" }, cookie: manager })).status).toBe(200);
      expect((await addRings(server.cookie)).status).toBe(303);
      const audits = rowsOf<{ action: string; change: string | null }>(await withSystem(db.db, (tx) => tx.execute(sql`select action, data->>'change' as change from audit_log where data->>'orderId' = ${o.id} order by created_at`)));
      expect(audits).toEqual([
        { action: "order.change_after_payment", change: "items added" },
        { action: "order.reopen", change: null },
        { action: "order.change_after_payment", change: "items added" },
      ]);
    });

    it("reopens a paid check for a manager with a reason, audited, and refuses to reopen an unpaid one", async () => {
      const o = await place();
      await problem(await api(`/api/v1/orders/${o.id}/reopen`, { json: { reason: "fix" }, cookie: manager }), 409, "orderId");
      await pay(o.id, { tender: "cash", amountCents: o.totalCents });
      // A paid check is closed to comps until it is reopened.
      await problem(await api(`/api/v1/orders/${o.id}/items/${o.items[0]!.id}/comp`, { json: { reason: "x" }, cookie: manager }), 409, "orderId");
      await problem(await api(`/api/v1/orders/${o.id}/reopen`, { json: { reason: "fix" }, cookie: server.cookie }), 403);
      expect((await api(`/api/v1/orders/${o.id}/reopen`, { json: { reason: "wrong item rung" }, cookie: manager })).status).toBe(200);
      expect((await api(`/api/v1/orders/${o.id}/items/${o.items[0]!.id}/comp`, { json: { reason: "sorry" }, cookie: manager })).status).toBe(200);
      const after = await get(o.id);
      expect(after.balanceDueCents).toBe(-o.totalCents); // the comp leaves money to hand back
      const audits = rowsOf<{ action: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select action from audit_log where data->>'orderId' = ${o.id} order by created_at`)));
      expect(audits.map((a) => a.action)).toEqual(["order.reopen", "order.comp"]);
    });
  });
});
