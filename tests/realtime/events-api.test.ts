import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sseReader } from "../helpers/sse";
import { seedDemo } from "../../src/restaurants/demo";

describe("GET /api/v1/events", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let m: Awaited<ReturnType<typeof demoMenu>>;

  const stream = async (key: string, headers: Record<string, string> = {}, qs = "") =>
    sseReader(await t.app.handle(req(`/api/v1/events${qs}`, { headers: { authorization: `Bearer ${key}`, ...headers } })));
  const order = (key: string) => t.app.handle(req("/api/v1/orders", {
    json: { type: "takeout", items: [{ menuItemId: m.item("Draft Lager").id, quantity: 1 }] },
    headers: { authorization: `Bearer ${key}`, "idempotency-key": crypto.randomUUID() },
  }));

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    const da = await seedDemo(db.db, testConfig().pinPepper, "ev-a");
    const dbb = await seedDemo(db.db, testConfig().pinPepper, "ev-b");
    a = { id: da.restaurant.id, key: da.apiKey };
    b = { id: dbb.restaurant.id, key: dbb.apiKey };
    m = await demoMenu(db.db, a.id);
  });
  afterAll(async () => { await t.close(); await db.drop(); });

  it("streams new events live with the seq as the SSE id, and nothing of another restaurant", async () => {
    const mine = await stream(a.key, {}, `?since=${await t.bus.currentSeq(a.id)}`);
    const theirs = await stream(b.key, {}, `?since=${await t.bus.currentSeq(b.id)}`);
    await Bun.sleep(100);
    const placed = await (await order(a.key)).json();
    const msg = await mine.next((x) => x.event === "order.fired");
    expect(JSON.parse(msg.data).data.orderId).toBe(placed.id);
    expect(Number(msg.id)).toBe(JSON.parse(msg.data).seq);
    await Bun.sleep(200);
    expect(theirs.messages.filter((x) => x.event !== "refresh")).toHaveLength(0);
    mine.cancel();
    theirs.cancel();
  });

  it("replays exactly what was missed after Last-Event-ID, in order", async () => {
    const from = await t.bus.currentSeq(a.id);
    await order(a.key);
    await order(a.key);
    const s = await stream(a.key, { "last-event-id": String(from) });
    const first = await s.next();
    await s.next((x) => Number(x.id) === from + 2);
    expect(Number(first.id)).toBe(from + 1);
    expect(s.messages.map((x) => Number(x.id))).toEqual([from + 1, from + 2]);
    s.cancel();
  });

  it.each([["garbage", "unknown"], ["999999999", "future"], ["-1", "unknown"]])("asks a client with Last-Event-ID %p to refresh", async (lastId, reason) => {
    const s = await stream(a.key, { "last-event-id": lastId });
    const msg = await s.next();
    expect(msg.event).toBe("refresh");
    expect(JSON.parse(msg.data).reason).toBe(reason);
    s.cancel();
  });

  it("refuses a request without a valid key", async () => {
    const res = await t.app.handle(req("/api/v1/events", { headers: { authorization: "Bearer nope" } }));
    expect(res.status).toBe(401);
  });
});
