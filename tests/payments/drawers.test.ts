import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { makeDevice } from "../helpers/auth";
import { seedDemo } from "../../src/restaurants/demo";
import { apiClient, atPos } from "./setup";

setDefaultTimeout(30_000);

describe("cash drawers", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let api: ReturnType<typeof apiClient>;
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let cashier: Awaited<ReturnType<typeof atPos>>;
  let manager: string;
  let shiftDrawerId = "";
  let shiftPaymentId = "";

  const place = async () => (await (await api("/api/v1/orders", { json: { type: "takeout", items: [{ menuItemId: m.item("Onion Rings").id, quantity: 2 }] } })).json()) as { id: string; totalCents: number };
  const problem = async (res: Response, status: number, field?: string) => {
    const body = await res.json();
    expect({ status: res.status, field: body.field }).toEqual({ status, field });
    return body as { message: string };
  };
  const open = (cookie: string, floatCents: unknown) => api("/api/v1/drawers", { json: { floatCents }, cookie });

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "drawers");
    rid = demo.restaurant.id;
    api = apiClient(app, { key: demo.apiKey });
    m = await demoMenu(db.db, rid);
    cashier = await atPos(db.db, rid, "cashier");
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
  }, 60_000);
  afterAll(() => db.drop());

  it("balances a whole shift: float, cash with tips and change, pay-in, pay-out, no sale, a refund, then over/short at close", async () => {
    const opened = await open(cashier.cookie, 10000);
    expect(opened.status).toBe(201);
    const drawer = await opened.json();
    shiftDrawerId = drawer.id;
    expect(drawer).toMatchObject({ status: "open", floatCents: 10000, expectedCents: 10000 });
    const o = await place(); // 11.96
    const pay = await api(`/api/v1/orders/${o.id}/payments`, { json: { tender: "cash", amountCents: o.totalCents, tipCents: 200, tenderedCents: 2000 }, cookie: cashier.cookie });
    expect(pay.status).toBe(201);
    const p = await pay.json();
    // A second check paid exactly at this till.
    const second = await place();
    shiftPaymentId = (await (await api(`/api/v1/orders/${second.id}/payments`, { json: { tender: "cash", amountCents: second.totalCents }, cookie: cashier.cookie })).json()).id;
    expect(p.changeCents).toBe(2000 - o.totalCents - 200);
    // Cash taken through an API key is reported apart: it never lands in a drawer.
    const viaKey = await place();
    await api(`/api/v1/orders/${viaKey.id}/payments`, { json: { tender: "cash", amountCents: viaKey.totalCents } });
    expect((await api("/api/v1/drawer/movements", { json: { kind: "pay_in", amountCents: 500, reason: "change from the bank" }, cookie: cashier.cookie })).status).toBe(201);
    expect((await api("/api/v1/drawer/movements", { json: { kind: "pay_out", amountCents: 300, reason: "milk" }, cookie: cashier.cookie })).status).toBe(201);
    expect((await api("/api/v1/drawer/movements", { json: { kind: "no_sale" }, cookie: cashier.cookie })).status).toBe(201);
    // A manager signed on at this till refunds 1.00: it comes out of this drawer.
    const managerHere = await atPos(db.db, rid, "manager", cashier.device);
    expect((await api(`/api/v1/payments/${p.id}/refunds`, { json: { amountCents: 100, reason: "short a ring" }, cookie: managerHere.cookie })).status).toBe(201);
    const now = await (await api("/api/v1/drawer", { cookie: cashier.cookie })).json();
    const expected = 10000 + o.totalCents * 2 + 200 + 500 - 300 - 100;
    expect(now).toMatchObject({ cashTakenCents: o.totalCents * 2 + 200, cashRefundedCents: 100, payInsCents: 500, payOutsCents: 300, noSales: 1, expectedCents: expected });
    const closed = await api(`/api/v1/drawers/${drawer.id}/close`, { json: { countedCents: expected - 25 }, cookie: cashier.cookie });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ status: "closed", expectedCents: expected, countedCents: expected - 25, overShortCents: -25 });
  });

  it("keeps a closed drawer as it was: a second close, a movement or cash at that till are refused", async () => {
    const list = await (await api("/api/v1/drawers", { cookie: manager })).json();
    expect(list.drawers.map((d: { id: string }) => d.id)).toContain(shiftDrawerId);
    const review = await (await api(`/api/v1/drawers/${shiftDrawerId}`, { cookie: manager })).json();
    await problem(await api(`/api/v1/drawers/${review.id}/close`, { json: { countedCents: 1 }, cookie: cashier.cookie }), 409, "drawer");
    await problem(await api("/api/v1/drawer/movements", { json: { kind: "pay_in", amountCents: 1, reason: "x" }, cookie: cashier.cookie }), 409, "drawer");
    const o = await place();
    const refused = await problem(await api(`/api/v1/orders/${o.id}/payments`, { json: { tender: "cash", amountCents: 100 }, cookie: cashier.cookie }), 409, "drawer");
    expect(refused.message).toContain("Open the cash drawer");
    // The cash of a closed drawer cannot be voided out of it (a refund from an open drawer is the way).
    const taken = review.cashTakenCents;
    const voidRes = await api(`/api/v1/payments/${shiftPaymentId}/void`, { json: { reason: "mistake" }, cookie: manager });
    expect((await problem(voidRes, 409, "paymentId")).message).toContain("drawer this cash went into is closed");
    expect((await (await api("/api/v1/drawers/" + review.id, { cookie: manager })).json()).cashTakenCents).toBe(taken);
    expect(await (await api("/api/v1/drawers/" + review.id, { cookie: manager })).json()).toEqual(review);
  });

  it("counts by denomination at close", async () => {
    const till = await atPos(db.db, rid, "cashier");
    const d = await (await open(till.cookie, 5000)).json();
    const closed = await api(`/api/v1/drawers/${d.id}/close`, { json: { denominations: { "2000": 2, "500": 2, "25": 4 } }, cookie: till.cookie });
    expect(await closed.json()).toMatchObject({ countedCents: 5100, expectedCents: 5000, overShortCents: 100, denominations: { "2000": 2, "500": 2, "25": 4 } });
  });

  it("allows one open drawer per POS, even when five opens race", async () => {
    const till = await atPos(db.db, rid, "cashier");
    const results = await Promise.all(Array.from({ length: 5 }, () => open(till.cookie, 1000)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it("refuses a drawer on another device, and lets only a manager review it", async () => {
    const a = await atPos(db.db, rid, "cashier");
    const b = await atPos(db.db, rid, "cashier");
    const d = await (await open(a.cookie, 1000)).json();
    expect((await problem(await api(`/api/v1/drawers/${d.id}/close`, { json: { countedCents: 1000 }, cookie: b.cookie }), 403)).message).toContain("another POS");
    expect((await api(`/api/v1/drawers/${d.id}`, { cookie: b.cookie })).status).toBe(403);
    expect((await (await api(`/api/v1/drawers/${d.id}`, { cookie: manager })).json()).status).toBe("open");
  });

  it("refuses a drawer without a POS device: a cash drawer lives in a till", async () => {
    await problem(await open(manager, 1000), 409, "drawer");
  });

  it("refuses bad amounts with the field named and opens nothing", async () => {
    const till = await atPos(db.db, rid, "cashier", await makeDevice(db.db, rid, "pos"));
    await problem(await open(till.cookie, -1), 400, "floatCents");
    await problem(await open(till.cookie, 10.5), 400, "floatCents");
    await problem(await open(till.cookie, "100"), 400, "floatCents");
    expect((await (await api("/api/v1/drawer", { cookie: till.cookie })).json()).status).toBe("none");
    const d = await (await open(till.cookie, 1000)).json();
    await problem(await api("/api/v1/drawer/movements", { json: { kind: "pay_out", amountCents: 100 }, cookie: till.cookie }), 400, "reason");
    await problem(await api("/api/v1/drawer/movements", { json: { kind: "pay_out", amountCents: 1001, reason: "too much" }, cookie: till.cookie }), 422, "amountCents");
    await problem(await api("/api/v1/drawer/movements", { json: { kind: "pay_in", amountCents: 0, reason: "x" }, cookie: till.cookie }), 400, "amountCents");
    await problem(await api("/api/v1/drawer/movements", { json: { kind: "steal", amountCents: 1, reason: "x" }, cookie: till.cookie }), 400, "kind");
    await problem(await api(`/api/v1/drawers/${d.id}/close`, { json: { countedCents: -5 }, cookie: till.cookie }), 400, "countedCents");
    await problem(await api(`/api/v1/drawers/${d.id}/close`, { json: { denominations: { "2000": 1.5 } }, cookie: till.cookie }), 400, "denominations.2000");
    expect((await (await api("/api/v1/drawer", { cookie: till.cookie })).json()).status).toBe("open");
  });
});
