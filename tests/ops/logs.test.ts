import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { testConfig } from "../helpers/app";
import { cookieHeader, makeDevice, makeStaff, SESSION_COOKIE, DEVICE_COOKIE } from "../helpers/auth";
import { demoMenu } from "../helpers/menu";
import { jsonLines, startServer, type ServerProcess } from "../helpers/server";
import { seedDemo } from "../../src/restaurants/demo";

setDefaultTimeout(90_000);

/**
 * A real server logging at trace level is driven through every door a secret comes in by (password
 * sign-in, wrong passwords, a station PIN, API keys good and bad, the metrics token, a token in a query
 * string, a card number in an order note), then everything it wrote is searched for each secret.
 */
describe("request logs", () => {
  let db: TestDatabase;
  let server: ServerProcess;
  const METRICS_TOKEN = "metrics-secret-do-not-log-5b1e0c";
  const PIN = "907153";
  const CARD = "4111111111111111";
  const secrets: Record<string, string> = {};
  let rid: string;
  let managerEmail: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    const demo = await seedDemo(db.db, testConfig().pinPepper, "logs");
    rid = demo.restaurant.id;
    managerEmail = demo.managerEmail;
    Object.assign(secrets, {
      apiKey: demo.apiKey, managerPassword: demo.managerPassword, pin: PIN, card: CARD, metricsToken: METRICS_TOKEN,
      sessionSecret: testConfig().sessionSecret, pinPepper: testConfig().pinPepper, wrongPassword: "wrong-but-still-secret-91",
      forgedKey: "ros_key_forged_but_secret_7c1d", queryToken: "query-token-secret-33aa",
    });
    server = await startServer("ros-logs", { DATABASE_URL: db.url!, LOG_LEVEL: "trace", METRICS_TOKEN, RATE_LIMIT_IP_WRITES: "10000" });
  }, 120_000);
  afterAll(async () => { await server?.stop(); await db?.drop(); });

  it("writes one JSON line per request with request id, restaurant, actor, route, status and duration, and no secret anywhere", async () => {
    const base = server.base;
    let n = 0;
    const sent: string[] = [];
    const go = async (path: string, init: RequestInit & { form?: Record<string, string>; json?: unknown } = {}) => {
      const id = `logtest-${++n}`;
      sent.push(id);
      const headers = new Headers(init.headers);
      headers.set("x-request-id", id);
      let body = init.body;
      if (init.form) { headers.set("content-type", "application/x-www-form-urlencoded"); body = new URLSearchParams(init.form).toString(); }
      if (init.json !== undefined) { headers.set("content-type", "application/json"); body = JSON.stringify(init.json); }
      if (body) headers.set("origin", base);
      const res = await fetch(`${base}${path}`, { ...init, headers, body, method: init.method ?? (body ? "POST" : "GET"), redirect: "manual" });
      const text = await res.text();
      return Object.assign(res, { text: async () => text });
    };

    // Password sign-in, right and wrong.
    expect((await go("/sign-in", { form: { email: managerEmail, password: secrets.wrongPassword! } })).status).toBeGreaterThanOrEqual(400);
    const demoManager = await go("/sign-in", { form: { email: managerEmail, password: secrets.managerPassword! } });
    expect(demoManager.status).toBe(303);
    const session = cookieHeader(demoManager);
    secrets.sessionCookie = session.split("=").slice(1).join("=");
    expect((await go("/admin/menu", { headers: { cookie: session } })).status).toBe(200);

    // A station PIN.
    const device = await makeDevice(db.db, rid, "pos");
    secrets.deviceCookie = device.cookie.slice(`${DEVICE_COOKIE}=`.length);
    await makeStaff(db.db, rid, "server", { pin: PIN });
    const pinned = await go("/station/pin", { headers: { cookie: device.cookie }, form: { pin: PIN } });
    expect(pinned.status).toBe(303);
    expect((await go("/station/pin", { headers: { cookie: device.cookie }, form: { pin: "000000" } })).status).toBe(401);
    const pinSession = cookieHeader(pinned).split("; ").find((c) => c.startsWith(SESSION_COOKIE))!;
    secrets.pinSession = pinSession.slice(SESSION_COOKIE.length + 1);

    // API keys, good and forged; a card number in a note; a token in a query string; the metrics token.
    const m = await demoMenu(db.db, rid);
    const order = await go("/api/v1/orders", {
      headers: { authorization: `Bearer ${secrets.apiKey}`, "idempotency-key": "logs-test-order-1" },
      json: { type: "takeout", note: `card ${CARD}`, items: [{ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] }] },
    });
    expect({ status: order.status, body: order.status === 201 ? "" : await order.text() }).toEqual({ status: 201, body: "" });
    expect((await go("/api/v1/orders", { headers: { authorization: `Bearer ${secrets.forgedKey}` } })).status).toBe(401);
    expect((await go(`/api/v1/menu?token=${secrets.queryToken}`, { headers: { authorization: `Bearer ${secrets.apiKey}` } })).status).toBe(200);
    expect((await go("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    expect((await go("/no/such/page")).status).toBe(404);

    await Bun.sleep(300);
    const lines = jsonLines(server);
    for (const id of sent) {
      const mine = lines.filter((l) => l.requestId === id && l.msg === "request");
      expect(mine).toHaveLength(1);
      const line = mine[0]!;
      expect(typeof line.route).toBe("string");
      expect(typeof line.status).toBe("number");
      expect(typeof line.ms).toBe("number");
    }
    const orderLine = lines.find((l) => l.msg === "request" && l.route === "/api/v1/orders" && l.status === 201)!;
    expect(orderLine).toMatchObject({ restaurantId: rid, actor: "api_key", method: "POST" });
    const admin = lines.find((l) => l.msg === "request" && l.route === "/admin/menu")!;
    expect(admin).toMatchObject({ restaurantId: rid, actor: "manager", status: 200 });
    expect(lines.find((l) => l.msg === "request" && l.path === "/no/such/page")).toMatchObject({ route: "unmatched", status: 404 });

    const everything = server.lines.join("\n");
    expect(server.lines.length).toBeGreaterThan(sent.length);
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, found: everything.includes(secret) }).toEqual({ name, found: false });
    }
  });

});
