import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { testConfig } from "../helpers/app";
import { makeDevice } from "../helpers/auth";
import { demoMenu } from "../helpers/menu";
import { sseReader } from "../helpers/sse";
import { jsonLines, startServer, type ServerProcess } from "../helpers/server";
import { startNginx } from "../helpers/nginx";
import { startRedis, waitUntil } from "../helpers/redis";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";

setDefaultTimeout(90_000);

/**
 * The documented deployment, on loopback: nginx (Debian's, with deploy/nginx.conf) in front of two
 * `bun src/server.ts` processes on one Postgres database and one Redis. nginx connects to the servers
 * from 127.0.0.2 (proxy_bind, the one line added for the test), the only trusted proxy; the test's
 * requests come from 127.0.0.1, an ordinary client.
 */
describe("two servers behind nginx", () => {
  let db: TestDatabase;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let nginx: Awaited<ReturnType<typeof startNginx>>;
  const servers: ServerProcess[] = [];
  let apiKey: string;
  let grill: string;
  let kdsCookie: string;
  let burger: () => unknown;
  let placed = 0;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    redis = await startRedis();
    const demo = await seedDemo(db.db, testConfig().pinPepper, "nginx");
    apiKey = demo.apiKey;
    const rid = demo.restaurant.id;
    grill = rowsOf<{ id: string }>(await db.db.execute(sql`select id from stations where restaurant_id = ${rid} and slug = 'grill'`))[0]!.id;
    kdsCookie = (await makeDevice(db.db, rid, "kds", { stationId: grill, pinless: true })).cookie;
    const m = await demoMenu(db.db, rid);
    burger = () => ({ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] });
    const env = { DATABASE_URL: db.url!, REDIS_URL: redis.url, TRUSTED_PROXIES: "127.0.0.2" };
    servers.push(...(await Promise.all([startServer("ros-a", env), startServer("ros-b", env)])));
    nginx = await startNginx(servers.map((s) => s.port), { proxyBind: "127.0.0.2" });
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(servers.map((s) => s.stop("SIGKILL")));
    await redis?.stop();
    await db?.drop();
  });

  /** Which server answered a request: nginx's request id is the servers' request id. */
  const servedBy = (requestId: string | null) => servers.find((s) => jsonLines(s).some((l) => l.requestId === requestId))?.name;

  const place = async (): Promise<string> => {
    const res = await fetch(`${nginx.base}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `nginx-order-${++placed}-${Date.now()}` },
      body: JSON.stringify({ type: "takeout", items: [burger()] }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  /** A KDS screen through nginx that, like EventSource, reconnects with Last-Event-ID when its stream ends. */
  async function openScreen() {
    const screen = { messages: [] as { id?: string; event?: string; data: string }[], servers: [] as (string | undefined)[], reconnects: 0, closed: false };
    const connect = async () => {
      const last = [...screen.messages].reverse().find((m) => m.id)?.id;
      const res = await fetch(`${nginx.base}/kds/${grill}/stream`, { headers: { cookie: kdsCookie, accept: "text/event-stream", ...(last ? { "last-event-id": last } : {}) } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/event-stream");
      const requestId = res.headers.get("x-request-id");
      const reader = sseReader(res);
      return { reader, requestId };
    };
    let current = await connect();
    screen.servers.push(servedBy(current.requestId));
    // Copy messages over and reconnect whenever the stream ends (a browser waits `retry:`; we do not).
    void (async () => {
      let copied = 0;
      while (!screen.closed) {
        while (copied < current.reader.messages.length) screen.messages.push(current.reader.messages[copied++]!);
        if (current.reader.done) {
          try {
            const next = await connect();
            screen.reconnects++;
            current = next;
            copied = 0;
            screen.servers.push(servedBy(current.requestId));
          } catch {
            await Bun.sleep(200); // nginx had no live server for a moment: try again, as a browser would
          }
        }
        await Bun.sleep(10);
      }
      current.reader.cancel();
    })();
    return screen;
  }

  /** The tickets a screen shows after applying its messages: the rail replaces all, fragments add or remove. */
  const shown = (messages: { data: string }[]): Set<string> => {
    const tickets = new Set<string>();
    for (const { data } of messages) {
      if (data.includes('id="tickets"')) tickets.clear();
      for (const [, id, rest] of data.matchAll(/<(?:article|div) id="ticket-([0-9a-f-]{36})"([^>]*)>/g)) {
        if (rest!.includes("data-remove")) tickets.delete(id!);
        else tickets.add(id!);
      }
    }
    return tickets;
  };

  it("takes the client's address from X-Forwarded-For only as the trusted proxy reports it", async () => {
    const res = await fetch(`${nginx.base}/healthz`, { headers: { "x-forwarded-for": "6.6.6.6" } });
    expect(res.status).toBe(200);
    const id = res.headers.get("x-request-id");
    await Bun.sleep(200);
    const line = servers.flatMap((s) => jsonLines(s)).find((l) => l.requestId === id && l.msg === "request");
    // nginx appended the real peer (127.0.0.1) after the forged value; the servers believe only that.
    expect(line?.ip).toBe("127.0.0.1");
    // Straight to a server (not through the proxy), the header is not believed at all.
    const direct = await fetch(`${servers[0]!.base}/healthz`, { headers: { "x-forwarded-for": "6.6.6.6" } });
    const directId = direct.headers.get("x-request-id");
    await Bun.sleep(200);
    expect(jsonLines(servers[0]!).find((l) => l.requestId === directId && l.msg === "request")?.ip).toBe("127.0.0.1");
  });

  it("streams orders to screens through nginx at once, then loses nothing when a server is killed", async () => {
    const screens = await Promise.all([openScreen(), openScreen(), openScreen(), openScreen()]);
    await waitUntil(() => screens.every((s) => s.messages.some((m) => m.event === "swap")), 10_000);
    const on = screens.map((s) => s.servers[0]);
    expect(new Set(on)).toEqual(new Set(["ros-a", "ros-b"]));

    const before = [await place(), await place()];
    // Unbuffered: each ticket reaches every screen well inside a second, without waiting for more bytes.
    const started = performance.now();
    await waitUntil(() => screens.every((s) => before.every((id) => shown(s.messages).has(id))), 5_000);
    console.log(`both tickets on all 4 screens through nginx after ${Math.round(performance.now() - started)} ms`);

    const victim = servers.find((s) => s.name === "ros-a")!;
    await victim.stop("SIGKILL");
    // Orders keep going in through nginx while the screens on the dead server reconnect.
    const during = [];
    for (let i = 0; i < 4; i++) during.push(await place());
    await waitUntil(() => screens.every((s) => s.servers.length === 1 + s.reconnects && (s.servers[0] !== "ros-a" || s.reconnects > 0)), 10_000);
    const after = [await place(), await place()];
    const all = [...before, ...during, ...after];
    await waitUntil(() => screens.every((s) => all.every((id) => shown(s.messages).has(id))), 10_000).catch(() => {});
    for (const [i, s] of screens.entries()) {
      const missing = all.filter((id) => !shown(s.messages).has(id));
      expect({ screen: i, missing }).toEqual({ screen: i, missing: [] });
      // A screen that was on the killed server now streams from the other one.
      if (s.servers[0] === "ros-a") expect(s.servers.slice(1)).toEqual(Array(s.reconnects).fill("ros-b"));
      else expect(s.reconnects).toBe(0);
      s.closed = true;
    }
    const inDb = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from orders`))[0]!.n;
    expect(inDb).toBe(all.length);
  });
});
