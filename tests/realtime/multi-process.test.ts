import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openTestDatabase, PG_ADMIN_URL, type TestDatabase } from "../helpers/db";
import { testConfig } from "../helpers/app";
import { makeDevice } from "../helpers/auth";
import { demoMenu } from "../helpers/menu";
import { sseReader } from "../helpers/sse";
import { freePort, ROOT } from "../helpers/proc";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { waitUntil } from "./helpers";

// Two real server processes, restarts and a killed listener on a shared 2-core machine.
setDefaultTimeout(30_000);

type ServerProcess = { name: string; port: number; base: string; proc: ReturnType<typeof Bun.spawn>; log: string[] };

/**
 * Two `bun src/server.ts` processes on one Postgres database, as behind a load balancer: orders go in
 * through A, a kitchen screen watches B. Each process names its connections (PGAPPNAME) so the test
 * can kill exactly B's LISTEN connection.
 */
describe("two server processes on one database", () => {
  let db: TestDatabase;
  let dbName: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let apiKey: string;
  let grill: string;
  let kdsCookie: string;
  let burger: () => unknown;
  let placed = 0;
  const servers: ServerProcess[] = [];

  async function start(name: string, port?: number): Promise<ServerProcess> {
    const config = testConfig();
    const chosen = port ?? (await freePort());
    const proc = Bun.spawn(["bun", "src/server.ts"], {
      cwd: ROOT,
      env: {
        ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", DATABASE_URL: db.url!, PORT: String(chosen), HOST: "127.0.0.1",
        DB_POOL_SIZE: "5", PGAPPNAME: name, SESSION_SECRET: config.sessionSecret, PIN_PEPPER: config.pinPepper,
      },
      stdout: "pipe",
      stderr: "inherit",
    });
    const server: ServerProcess = { name, port: chosen, base: `http://127.0.0.1:${chosen}`, proc, log: [] };
    // pino writes JSON lines to stdout; keep the messages so a test can see what the process did.
    void (async () => {
      const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let rest = "";
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        const lines = (rest + decoder.decode(chunk.value, { stream: true })).split("\n");
        rest = lines.pop()!;
        for (const line of lines) {
          try { server.log.push((JSON.parse(line) as { msg: string }).msg); } catch { server.log.push(line); }
        }
      }
    })();
    servers.push(server);
    await waitUntil(async () => {
      if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode} while starting`);
      return fetch(`${server.base}/readyz`).then((r) => r.ok, () => false);
    }, 20_000, `${name} to be ready`);
    return server;
  }

  /** SIGTERM, and how long the process took to exit, with its code. */
  async function stop(server: ServerProcess): Promise<{ code: number; ms: number }> {
    const began = performance.now();
    server.proc.kill("SIGTERM");
    const code = await Promise.race([server.proc.exited, Bun.sleep(10_000).then(() => -1)]);
    if (code === -1) server.proc.kill("SIGKILL");
    return { code, ms: performance.now() - began };
  }

  const place = async (through: ServerProcess): Promise<string> => {
    const res = await fetch(`${through.base}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `multi-process-${++placed}-${Date.now()}` },
      body: JSON.stringify({ type: "takeout", items: [burger()] }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  const openKds = async (on: ServerProcess, lastEventId?: string) => {
    const headers: Record<string, string> = { cookie: kdsCookie, accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const res = await fetch(`${on.base}/kds/${grill}/stream`, { headers });
    expect(res.status).toBe(200);
    return sseReader(res);
  };

  /** What a screen shows after applying these messages: the rail replaces everything, fragments add or remove tickets. */
  const screenState = (messages: { data: string }[]): Set<string> => {
    const shown = new Set<string>();
    for (const { data } of messages) {
      if (data.includes('id="tickets"')) shown.clear();
      for (const [, id, rest] of data.matchAll(/<(?:article|div) id="ticket-([0-9a-f-]{36})"([^>]*)>/g)) {
        if (rest!.includes("data-remove")) shown.delete(id!);
        else shown.add(id!);
      }
    }
    return shown;
  };
  const tickets = (messages: { data: string }[]) => new Set(messages.flatMap((m) => [...m.data.matchAll(/id="ticket-([0-9a-f-]{36})"/g)].map((x) => x[1]!)));

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    dbName = new URL(db.url!).pathname.slice(1);
    const demo = await seedDemo(db.db, testConfig().pinPepper, "multi-process");
    apiKey = demo.apiKey;
    const rid = demo.restaurant.id;
    grill = rowsOf<{ id: string }>(await db.db.execute(sql`select id from stations where restaurant_id = ${rid} and slug = 'grill'`))[0]!.id;
    kdsCookie = (await makeDevice(db.db, rid, "kds", { stationId: grill, pinless: true })).cookie;
    const m = await demoMenu(db.db, rid);
    burger = () => ({ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] });
    [a, b] = await Promise.all([start("ros-a"), start("ros-b")]);
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) if (server.proc.exitCode === null) server.proc.kill("SIGKILL");
    await Promise.all(servers.map((s) => s.proc.exited));
    await db?.drop();
  });

  it("shows on a KDS connected to B an order placed through A", async () => {
    const kds = await openKds(b);
    await kds.next((m) => m.event === "swap");
    const id = await place(a);
    await kds.next((m) => m.data.includes(`ticket-${id}`), 5_000);
    kds.cancel();
  });

  it("loses no ticket while B's LISTEN connection is killed and held down", async () => {
    const kds = await openKds(b);
    await kds.next((m) => m.event === "swap");
    const before = await place(a);
    await kds.next((m) => m.data.includes(`ticket-${before}`), 5_000);

    // Refusing new connections keeps B's listener from reconnecting, so the doorbells rung meanwhile
    // are lost for certain; connections already open (A's pool, B's pool) keep working.
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    const during: string[] = [];
    try {
      await admin.unsafe(`alter database ${dbName} allow_connections false`);
      const killed = await admin`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = ${dbName} and application_name = 'ros-b' and query ilike 'LISTEN%'`;
      expect(killed.length).toBe(1);
      await waitUntil(async () => (await admin`select 1 from pg_stat_activity where datname = ${dbName} and application_name = 'ros-b' and query ilike 'LISTEN%'`).length === 0,
        5_000, "B's listener backend to exit");
      for (let i = 0; i < 5; i++) during.push(await place(a));
    } finally {
      await admin.unsafe(`alter database ${dbName} allow_connections true`);
      await admin.end();
    }

    // Listener catch-up (or the safety net) must deliver every ticket placed during the outage.
    await waitUntil(() => during.every((id) => tickets(kds.messages).has(id)), 15_000, "the tickets placed during the outage");
    await waitUntil(() => b.log.includes("realtime: listener reconnected, catching up"), 5_000, "B's listener to reconnect");
    const after = await place(a);
    await kds.next((m) => m.data.includes(`ticket-${after}`), 5_000);
    const shown = screenState(kds.messages);
    for (const id of [before, ...during, after]) expect(shown.has(id)).toBe(true);
    kds.cancel();
  });

  it("restarts B while orders flow through A: the reconnecting screen resumes from Last-Event-ID with every ticket", async () => {
    const kds = await openKds(b);
    await kds.next((m) => m.event === "swap");
    const placedIds: string[] = [await place(a)];
    await kds.next((m) => m.data.includes(`ticket-${placedIds[0]}`), 5_000);

    // Orders keep coming through A for the whole restart.
    let flowing = true;
    let bUp = true;
    let placedWhileDown = 0;
    const flow = (async () => {
      while (flowing) {
        const wasDown = !bUp;
        placedIds.push(await place(a));
        if (wasDown && !bUp) placedWhileDown++;
        await Bun.sleep(50);
      }
    })();
    await Bun.sleep(200);

    const lastSeen = kds.messages.filter((m) => m.id).at(-1)!.id!;
    bUp = false;
    const stopped = await stop(b);
    expect(stopped.code).toBe(0);
    expect(await kds.waitClosed(5_000)).toBe(true);
    await Bun.sleep(300);
    b = await start("ros-b", b.port);
    bUp = true;
    await Bun.sleep(200);

    const resumed = await openKds(b, lastSeen);
    await Bun.sleep(300);
    flowing = false;
    await flow;
    const last = placedIds.at(-1)!;
    await resumed.next((m) => m.data.includes(`ticket-${last}`), 5_000);

    // The screen's state: what it showed before the restart, then what the resumed stream brought.
    const shown = screenState([...kds.messages, ...resumed.messages]);
    const lost = placedIds.filter((id) => !shown.has(id));
    expect(lost).toEqual([]);
    expect(placedWhileDown).toBeGreaterThan(0);
    resumed.cancel();
  });

  it("ends open streams and exits 0 within a few seconds on SIGTERM", async () => {
    const streams = await Promise.all([openKds(a), openKds(a), openKds(a)]);
    await Promise.all(streams.map((s) => s.next((m) => m.event === "swap")));
    const { code, ms } = await stop(a);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    for (const s of streams) expect(await s.waitClosed(2_000)).toBe(true);
  });
});
