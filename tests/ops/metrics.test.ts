import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sseReader } from "../helpers/sse";
import { startServer, type ServerProcess } from "../helpers/server";
import { waitUntil } from "../helpers/redis";
import { seedDemo } from "../../src/restaurants/demo";
import { countPayment } from "../../src/ops/metrics";

setDefaultTimeout(60_000);

const TOKEN = "metrics-token-for-tests-0123456789";

/** The value of one series in Prometheus text: the metric name and every label given must match. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) {
      total += Number(match[3]);
      found = true;
    }
  }
  return found ? total : NaN;
}

let db: TestDatabase;
let apiKey: string;
let burger: () => unknown;

beforeAll(async () => {
  db = await openTestDatabase("postgres");
  const demo = await seedDemo(db.db, testConfig().pinPepper, "metrics");
  apiKey = demo.apiKey;
  const m = await demoMenu(db.db, demo.restaurant.id);
  burger = () => ({ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] });
}, 120_000);
afterAll(() => db.drop());

describe("GET /metrics", () => {
  it("answers 404 when METRICS_TOKEN is not set, as if there were nothing there", async () => {
    const { app, close } = makeTestApp(db);
    const res = await app.handle(req("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(res.status).toBe(404);
    await close();
  });

  it("answers only to Authorization: Bearer <METRICS_TOKEN> when it is set", async () => {
    const { app, close } = makeTestApp(db, { metricsToken: TOKEN });
    for (const headers of [{}, { authorization: "Bearer wrong-token-wrong-token" }, { authorization: `Basic ${btoa(`x:${TOKEN}`)}` }, { cookie: `token=${TOKEN}` }] as Record<string, string>[]) {
      const res = await app.handle(req("/metrics", { headers }));
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain("ros_http_requests_total");
    }
    const res = await app.handle(req("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(value(text, "ros_process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    expect(value(text, "ros_nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(value(text, "ros_nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    await close();
  });

  it("counts payment outcomes reported through countPayment", async () => {
    const { app, close } = makeTestApp(db, { metricsToken: TOKEN });
    const scrape = async () => (await app.handle(req("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }))).text();
    const before = value(await scrape(), "ros_payment_outcomes_total", { provider: "square", outcome: "declined" });
    countPayment("square", "declined");
    countPayment("square", "declined");
    countPayment("cash", "approved");
    const after = await scrape();
    expect(value(after, "ros_payment_outcomes_total", { provider: "square", outcome: "declined" })).toBe((Number.isNaN(before) ? 0 : before) + 2);
    expect(value(after, "ros_payment_outcomes_total", { provider: "cash", outcome: "approved" })).toBeGreaterThanOrEqual(1);
    await close();
  });
});

describe("a real server's figures move", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer("ros-metrics", { DATABASE_URL: db.url!, METRICS_TOKEN: TOKEN, RATE_LIMIT_KEY_READS: "6" });
  });
  afterAll(() => server?.stop());

  const scrape = async () => {
    const res = await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it("counts requests by route and status, orders placed, live streams, event delay, refusals and the pool", async () => {
    const before = await scrape();
    expect(value(before, "ros_db_pool_size")).toBe(5);
    expect(value(before, "ros_sse_streams_open", { kind: "api" }) || 0).toBe(0);

    const res = await fetch(`${server.base}/api/v1/events`, { headers: { authorization: `Bearer ${apiKey}`, accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    const stream = sseReader(res);
    const placed = await fetch(`${server.base}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `metrics-${Date.now()}` },
      body: JSON.stringify({ type: "takeout", items: [burger()] }),
    });
    expect(placed.status).toBe(201);
    await stream.next((m) => m.event === "order.fired", 5000);

    const during = await scrape();
    expect(value(during, "ros_sse_streams_open", { kind: "api" })).toBe(1);
    expect(value(during, "ros_orders_placed_total")).toBe((value(before, "ros_orders_placed_total") || 0) + 1);
    expect(value(during, "ros_http_requests_total", { route: "/api/v1/orders", method: "POST", status: "201" })).toBe(1);
    expect(value(during, "ros_http_request_duration_seconds_count", { route: "/api/v1/orders", status: "201" })).toBe(1);
    expect(value(during, "ros_event_delivery_delay_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(value(during, "ros_bus_seq_behind")).toBe(0);
    expect(value(during, "ros_db_pool_waits_total")).toBeGreaterThanOrEqual(0);
    expect(value(during, "ros_rate_limit_store_redis")).toBe(0);

    // Reads past the key's limit (6, set for this server) are refused and counted.
    let refused = 0;
    for (let i = 0; i < 8; i++) {
      const r = await fetch(`${server.base}/api/v1/menu`, { headers: { authorization: `Bearer ${apiKey}` } });
      if (r.status === 429) refused++;
      await r.text();
    }
    expect(refused).toBeGreaterThan(0);
    stream.cancel();
    await waitUntil(async () => value(await scrape(), "ros_sse_streams_open", { kind: "api" }) === 0, 5000);
    const after = await scrape();
    expect(value(after, "ros_rate_limit_refusals_total", { limit: "key-reads" })).toBe(refused);
    // Refused before routing (the limit is checked first, to spend nothing on a flood): no route pattern yet.
    expect(value(after, "ros_http_requests_total", { status: "429" })).toBe(refused);
  });
});
