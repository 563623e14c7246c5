import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { JSON_LIMITS } from "../../src/http/json-body";

// Issue 18, points 14 and 15: request bodies and query strings that answered 500.
describe("orders API refuses hostile bodies and queries with a 4xx", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let key: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;

  const post = (path: string, body: string, headers: Record<string, string> = {}) => app.handle(req(path, {
    method: "POST", body, headers: { authorization: `Bearer ${key}`, "idempotency-key": crypto.randomUUID(), "content-type": "application/json", ...headers },
  }));
  const count = async () => Number(rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from orders`))[0]!.n);
  /** A valid order with a deeply nested extra field: JSON.parse takes it, a recursive walk does not. */
  const deepOrder = (depth: number) => `{"type":"takeout","items":[{"menuItemId":"${m.item("Onion Rings").id}","quantity":1}],"extra":${"[".repeat(depth)}${"]".repeat(depth)}}`;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "hostile");
    key = demo.apiKey;
    m = await demoMenu(db.db, demo.restaurant.id);
  });
  afterAll(() => db.drop());

  it("refuses a deeply nested order body with a 400 naming the body, instead of overflowing the stack while hashing it", async () => {
    const before = await count();
    const res = await post("/api/v1/orders", deepOrder(20_000));
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem).toMatchObject({ error: "body_too_deep", field: "body" });
    expect(problem.message).toContain(`at most ${JSON_LIMITS.depth} levels`);
    expect(await count()).toBe(before);
  });

  it("still takes an honest order nested a few levels deep", async () => {
    const res = await post("/api/v1/orders", deepOrder(5));
    expect(res.status).toBe(201);
  });

  it("bounds the depth of every JSON route, public ones included, before anything walks the body", async () => {
    const deep = `${"{\"a\":".repeat(5_000)}1${"}".repeat(5_000)}`;
    for (const path of ["/api/v1/orders/00000000-0000-0000-0000-000000000000/transitions", "/sign-in", "/admin/stations"]) {
      const res = await post(path, deep);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(`nested at most ${JSON_LIMITS.depth} levels deep`);
    }
  });

  it("counts brackets inside strings as text, not nesting", async () => {
    const line = { menuItemId: m.item("Onion Rings").id, quantity: 1, note: "[[[[{{{{".repeat(20) };
    const res = await post("/api/v1/orders", JSON.stringify({ type: "takeout", items: [line] }));
    expect(res.status).toBe(201);
  });

  it("refuses a JSON body over the size limit with a 413, declared or streamed without a length", async () => {
    const before = await count();
    const big = JSON.stringify({ type: "takeout", items: [], pad: "x".repeat(JSON_LIMITS.bytes) });
    const declared = await post("/api/v1/orders", big);
    expect(declared.status).toBe(413);
    expect((await declared.json()).field).toBe("body");
    // A chunked body has no Content-Length: the reader stops at the limit all the same.
    const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
    const chunked = await app.handle(new Request("http://localhost/api/v1/orders", {
      method: "POST", body: stream, headers: { authorization: `Bearer ${key}`, "idempotency-key": crypto.randomUUID(), "content-type": "application/json" },
    }));
    expect(chunked.status).toBe(413);
    expect(await count()).toBe(before);
  });

  it("answers malformed JSON with a 400, as before", async () => {
    const res = await post("/api/v1/orders", "{\"type\":");
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("malformed_body");
  });

  it.each(["sent,,,", ",", "sent,", ",ready"])("answers GET /api/v1/orders?status=%s with a 400 naming status (an empty status reached the enum cast: 500)", async (status) => {
    const res = await app.handle(req(`/api/v1/orders?status=${encodeURIComponent(status)}`, { headers: { authorization: `Bearer ${key}` } }));
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.field).toBe("status");
    expect(problem.message).toContain("empty");
  });

  it("still lists orders by a list of statuses", async () => {
    const res = await app.handle(req("/api/v1/orders?status=sent,ready", { headers: { authorization: `Bearer ${key}` } }));
    expect(res.status).toBe(200);
  });
});
