import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { seedDemo } from "../../src/restaurants/demo";
import { setItemAvailability } from "../../src/menu/service";
import { rowsOf } from "../../src/db/client";

describe("orders JSON API", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let key: string;
  let otherKey: string;
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let n = 0;

  const api = (path: string, init: { method?: string; json?: unknown; key?: string; idem?: string | null; body?: string } = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${init.key ?? key}` };
    if (init.idem !== null) headers["idempotency-key"] = init.idem ?? `test-key-${++n}-${Math.random()}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    return app.handle(req(path, { method: init.method ?? (init.json !== undefined || init.body !== undefined ? "POST" : "GET"), json: init.json, body: init.body, headers }));
  };
  const countOrders = async () => Number(rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from orders`))[0]!.n);
  const burger = () => ({
    menuItemId: m.item("Classic Burger").id, quantity: 2,
    modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Cheddar"), m.option("Classic Burger", "Fries")],
    note: "no pickles", seat: 1,
  });

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "api");
    rid = demo.restaurant.id;
    key = demo.apiKey;
    otherKey = (await seedDemo(db.db, testConfig().pinPepper, "other")).apiKey;
    m = await demoMenu(db.db, rid);
  });
  afterAll(() => db.drop());

  it("creates an order priced on the server, fired to the right stations, with a human number", async () => {
    const res = await api("/api/v1/orders", { json: { type: "dine_in", table: "12", guests: 2, items: [burger(), { menuItemId: m.item("Cola").id, quantity: 1, modifierOptionIds: [m.option("Cola", "Large")] }] } });
    expect(res.status).toBe(201);
    const o = await res.json();
    expect(o.number).toBeGreaterThanOrEqual(1);
    expect(o.status).toBe("sent");
    // Burger 12.95 + cheddar 1.50, twice = 28.90; cola 3.00 + large 1.50 = 4.50.
    expect(o.subtotalCents).toBe(2890 + 450);
    expect(o.taxCents).toBe(Math.floor((2890 * 875 + 5000) / 10000) + Math.floor((450 * 875 + 5000) / 10000)); // same rate: 292 in one rounding
    expect(o.totalCents).toBe(o.subtotalCents + o.taxCents);
    expect(o.items[0].modifiers.map((x: { name: string }) => x.name)).toEqual(["Medium", "Cheddar", "Fries"]);
    // The burger goes to the grill and, for its fries, to the fry station.
    expect(o.items[0].stations).toHaveLength(2);
    expect(o.items[1].stations).toHaveLength(1);
    const second = await (await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] } })).json();
    expect(second.number).toBe(o.number + 1);
  });

  it("returns the same order for a repeated submit and never makes a second one", async () => {
    const body = { type: "takeout", items: [burger()] };
    const before = await countOrders();
    const first = await api("/api/v1/orders", { json: body, idem: "repeat-me-123" });
    const again = await api("/api/v1/orders", { json: body, idem: "repeat-me-123" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json()).id).toBe((await first.json()).id);
    expect(await countOrders()).toBe(before + 1);
  });

  it("makes exactly one order from 20 concurrent duplicate submits", async () => {
    const body = { type: "takeout", items: [burger()] };
    const before = await countOrders();
    const results = await Promise.all(Array.from({ length: 20 }, () => api("/api/v1/orders", { json: body, idem: "double-tap-xyz" })));
    const ids = new Set(await Promise.all(results.map(async (r) => { expect(r.status).toBe(201); return (await r.json()).id; })));
    expect(ids.size).toBe(1);
    expect(await countOrders()).toBe(before + 1);
  });

  it("refuses the same key with a different body (422) and writes nothing", async () => {
    await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] }, idem: "reused-key-1" });
    const before = await countOrders();
    const res = await api("/api/v1/orders", { json: { type: "delivery", items: [burger()] }, idem: "reused-key-1" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: "unprocessable", field: "idempotencyKey" });
    expect(await countOrders()).toBe(before);
  });

  it("refuses every bad input with a clear 4xx and writes nothing", async () => {
    await setItemAvailability(db.db, rid, m.item("Onion Rings").id, false, { userId: null, deviceId: null });
    const item = (over: Record<string, unknown>) => ({ type: "takeout", items: [{ ...burger(), ...over }] });
    const cases: [string, Parameters<typeof api>[1], number, string | undefined][] = [
      ["missing idempotency key", { json: item({}), idem: null }, 400, "Idempotency-Key"],
      ["malformed idempotency key", { json: item({}), idem: "x" }, 400, "Idempotency-Key"],
      ["malformed JSON", { body: "{not json" }, 400, undefined],
      ["not an object", { json: [1, 2] }, 400, undefined],
      ["unknown type", { json: { type: "drive_thru", items: [burger()] } }, 400, "type"],
      ["no items", { json: { type: "takeout", items: [] } }, 400, "items"],
      ["dine-in without a table", { json: { type: "dine_in", items: [burger()] } }, 400, "table"],
      ["unknown item", { json: item({ menuItemId: crypto.randomUUID() }) }, 422, "items[0].menuItemId"],
      ["item id not a uuid", { json: item({ menuItemId: "burger" }) }, 400, "items[0].menuItemId"],
      ["86'd item", { json: { type: "takeout", items: [{ menuItemId: m.item("Onion Rings").id, quantity: 1 }] } }, 409, "items[0].menuItemId"],
      ["quantity 0", { json: item({ quantity: 0 }) }, 400, "items[0].quantity"],
      ["negative quantity", { json: item({ quantity: -2 }) }, 400, "items[0].quantity"],
      ["huge quantity", { json: item({ quantity: 100000 }) }, 400, "items[0].quantity"],
      ["fractional quantity", { json: item({ quantity: 1.5 }) }, 400, "items[0].quantity"],
      ["required group missing", { json: item({ modifierOptionIds: [m.option("Classic Burger", "Fries")] }) }, 422, "items[0].modifierOptionIds"],
      ["too many in a group", { json: item({ modifierOptionIds: [m.option("Classic Burger", "Rare"), m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] }) }, 422, "items[0].modifierOptionIds"],
      ["option of another item's group", { json: item({ modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries"), m.option("Cola", "Large")] }) }, 422, "items[0].modifierOptionIds"],
      ["same option twice", { json: item({ modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] }) }, 400, "items[0].modifierOptionIds"],
      ["note of 10,000 characters", { json: item({ note: "x".repeat(10_000) }) }, 400, "items[0].note"],
      ["note that is not text", { json: item({ note: { evil: true } }) }, 400, "items[0].note"],
      ["seat 0", { json: item({ seat: 0 }) }, 400, "items[0].seat"],
    ];
    const before = await countOrders();
    for (const [name, init, status, field] of cases) {
      const res = await api("/api/v1/orders", init);
      const problem = await res.json();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(problem.message.length).toBeGreaterThan(5);
      if (field) expect({ name, field: problem.field }).toEqual({ name, field });
    }
    expect(await countOrders()).toBe(before);
  });

  it("refuses a request without a key or with a revoked or foreign one", async () => {
    const noKey = await app.handle(req("/api/v1/orders", { json: { type: "takeout", items: [burger()] }, headers: { "idempotency-key": "abcdefgh1" } }));
    expect(noKey.status).toBe(401);
    const bogus = await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] }, key: "ros_key_bogus" });
    expect(bogus.status).toBe(401);
    // Another restaurant's key: its menu does not have our items.
    const foreign = await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] }, key: otherKey });
    expect(foreign.status).toBe(422);
  });

  it("never shows or changes an order to another restaurant's key", async () => {
    const o = await (await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] } })).json();
    expect((await api(`/api/v1/orders/${o.id}`, { key: otherKey })).status).toBe(404);
    expect((await api(`/api/v1/orders/${o.id}/transitions`, { json: { to: "cancelled" }, key: otherKey })).status).toBe(404);
    const list = await (await api("/api/v1/orders", { key: otherKey })).json();
    expect(list.orders.map((x: { id: string }) => x.id)).not.toContain(o.id);
    expect((await (await api(`/api/v1/orders/${o.id}`)).json()).status).toBe("sent");
  });

  it("walks an order through its states and refuses skips, final states and stale versions", async () => {
    const o = await (await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] } })).json();
    const move = (to: string, extra: Record<string, unknown> = {}) => api(`/api/v1/orders/${o.id}/transitions`, { json: { to, ...extra } });
    expect((await move("open")).status).toBe(409);
    expect((await move("teleported")).status).toBe(400);
    const preparing = await (await move("preparing", { version: o.version })).json();
    expect(preparing.status).toBe("preparing");
    const stale = await move("ready", { version: o.version });
    expect(stale.status).toBe(409);
    expect((await stale.json()).field).toBe("version");
    expect((await move("ready")).status).toBe(200);
    // Completing settles the check: it is refused while the order owes money (src/payments/).
    expect((await move("completed")).status).toBe(409);
    expect((await api(`/api/v1/orders/${o.id}/payments`, { json: { tender: "cash", amountCents: o.totalCents } })).status).toBe(201);
    expect((await move("completed")).status).toBe(200);
    const final = await move("cancelled");
    expect(final.status).toBe(409);
    expect((await final.json()).message).toContain("completed; it cannot change");
  });

  it("lets one of two concurrent edits with the same version win and tells the other 409", async () => {
    const o = await (await api("/api/v1/orders", { json: { type: "takeout", items: [burger()] } })).json();
    const [a, b] = await Promise.all([
      api(`/api/v1/orders/${o.id}/transitions`, { json: { to: "preparing", version: o.version } }),
      // (Not "cancelled": an API key may not cancel an order the kitchen has seen.)
      api(`/api/v1/orders/${o.id}/transitions`, { json: { to: "ready", version: o.version } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it("lists orders by status and refuses an unknown status", async () => {
    const list = await (await api("/api/v1/orders?status=sent")).json();
    expect(list.orders.length).toBeGreaterThan(0);
    expect(list.orders.every((o: { status: string }) => o.status === "sent")).toBe(true);
    expect((await api("/api/v1/orders?status=sideways")).status).toBe(400);
    expect((await api("/api/v1/orders/not-a-uuid")).status).toBe(400);
    expect((await api(`/api/v1/orders/${crypto.randomUUID()}`)).status).toBe(404);
  });
});
