import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createApp } from "../../src/app";
import { openPostgres, type Database } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { createRateLimiter } from "../../src/ops/rate-limit";
import { createBus, type EventBus } from "../../src/realtime/bus";
import { createHub } from "../../src/realtime/hub";
import { seedDemo } from "../../src/restaurants/demo";
import { req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { createPgCluster, type PgCluster } from "../helpers/pg-cluster";
import { sessionCookieFor } from "../helpers/session";
import { sseReader } from "../helpers/sse";
import { collect, memoryLog, waitUntil } from "../realtime/helpers";

/**
 * Issue 18 point 20, a fault test: a real Postgres (a throw-away cluster, never the shared one) is
 * stopped for 3 s while requests keep coming, then started again. Before the fix requests hung up to
 * 18 s, some came back 500 "internal", /readyz hung, and LISTEN returned 10-15 s after Postgres did.
 * The whole scenario runs once (about 8 s); each test below checks one promise against what it recorded.
 */
const OUTAGE_MS = 3_000;
/**
 * Any request, at any moment of the outage: the acquire timeout (3 s) plus scheduling slack on a busy
 * machine. 3.8 s was seen exceeded once (3,965 ms) with the whole suite running beside another on 2 cores;
 * the promise under test is "bounded, not the 18-24 s it was", which 4.5 s still tells apart.
 */
const REQUEST_BOUND_MS = 4_500;
/** "Back within about a second" of Postgres accepting connections again. */
const RECOVERY_BOUND_MS = 1_500;

type Sample = { kind: "list" | "place"; start: number; end: number; status: number; retryAfter: string | null; error: string | null };

describe("when Postgres stops for 3 s under load", () => {
  let cluster: PgCluster | null = null;
  let database: Database | null = null;
  let bus: EventBus | null = null;
  const shutdown = new AbortController();
  const appLog = memoryLog();
  const busLog = memoryLog();
  const samples: Sample[] = [];
  /** Requests still unanswered: the scenario does not wait for them forever, the bound test counts them. */
  const inFlight = new Set<{ kind: Sample["kind"]; start: number }>();
  let endedAt = 0;
  const readyz: { ms: number; status: number; retryAfter: string | null }[] = [];
  let streamDuringOutage: { ms: number; status: number; retryAfter: string | null } | null = null;
  let stopAt = 0;
  let downAt = 0;
  let upAt = 0;
  let streamEndedAt = 0;
  let doorbellMs = Infinity;

  beforeAll(async () => {
    cluster = await createPgCluster();
    database = await openPostgres(cluster.url, 10, { log: appLog.log });
    await migrate(database);
    const db = database.db;
    const demo = await seedDemo(db, testConfig().pinPepper, "outage");
    const rid = demo.restaurant.id;
    const menu = await demoMenu(db, rid);
    const cola = { menuItemId: menu.item("Cola").id, quantity: 1, modifierOptionIds: [menu.option("Cola", "Large")] };
    const { cookie } = await sessionCookieFor(db, rid, "manager");
    // The safety net is off, so only LISTEN can deliver a doorbell in time.
    bus = createBus({ database, log: busLog.log, pollMs: 60_000 });
    await bus.ready;
    const app = createApp({
      config: testConfig(), database, log: appLog.log, isShuttingDown: () => false, rateLimiter: createRateLimiter(null),
      bus, hub: createHub(bus, appLog.log), shutdownSignal: shutdown.signal,
    });

    const auth = { authorization: `Bearer ${demo.apiKey}` };
    let n = 0;
    const call = async (kind: Sample["kind"]) => {
      const start = Date.now();
      const request = kind === "list"
        ? req("/api/v1/orders?limit=20", { headers: auth })
        : req("/api/v1/orders", { json: { type: "takeout", items: [cola] }, headers: { ...auth, "idempotency-key": `outage-${++n}-${start}` } });
      const pending = { kind, start };
      inFlight.add(pending);
      const res = await app.handle(request);
      const body = await res.text();
      const error = res.ok ? null : (JSON.parse(body) as { error: string }).error;
      inFlight.delete(pending);
      samples.push({ kind, start, end: Date.now(), status: res.status, retryAfter: res.headers.get("retry-after"), error });
    };
    let loading = true;
    // Six clients, each with a short pause between requests: load, without saturating a shared machine.
    const workers = Array.from({ length: 6 }, (_, i) => (async () => {
      while (loading) {
        await call(i % 2 ? "place" : "list");
        await Bun.sleep(20);
      }
    })());
    // One request, timed; a hung one is given up on after REQUEST_BOUND_MS (status 0) so the scenario goes on.
    const timed = async (path: string, headers: Record<string, string> = {}) => {
      const start = Date.now();
      const res = await Promise.race([app.handle(req(path, { headers })), Bun.sleep(REQUEST_BOUND_MS).then(() => null)]);
      await res?.body?.cancel();
      return { ms: Date.now() - start, status: res?.status ?? 0, retryAfter: res?.headers.get("retry-after") ?? null };
    };

    try {
      const stream = sseReader(await app.handle(req("/expo/stream", { headers: { cookie } })));
      await stream.next((m) => m.event === "swap");
      void stream.waitClosed(20_000).then((closed) => { if (closed) streamEndedAt = Date.now(); });
      await Bun.sleep(1_000);

      stopAt = Date.now();
      await cluster.stop();
      downAt = Date.now();
      readyz.push(await timed("/readyz"));
      await Bun.sleep(500);
      streamDuringOutage = await timed("/expo/stream", { cookie });
      await Bun.sleep(1_000);
      readyz.push(await timed("/readyz"));
      await Bun.sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
      await cluster.start();
      upAt = Date.now();

      const okAfterUp = (kind: Sample["kind"]) => samples.some((s) => s.kind === kind && s.start >= upAt && s.status < 300);
      await waitUntil(() => okAfterUp("list") && okAfterUp("place"), 10_000, "requests to succeed again").catch(() => {});
      await waitUntil(() => busLog.messages().some((m) => m.includes("listener reconnected")), 10_000, "LISTEN to come back").catch(() => {});
    } finally {
      loading = false;
      await Promise.race([Promise.all(workers), Bun.sleep(REQUEST_BOUND_MS)]);
      endedAt = Date.now();
    }

    // A doorbell, with the safety net off: delivered at once only if LISTEN really is back.
    const seen = collect(bus, rid, await bus.currentSeq(rid));
    await Bun.sleep(100);
    const ringAt = Date.now();
    await Promise.race([call("place"), Bun.sleep(REQUEST_BOUND_MS)]);
    await waitUntil(() => seen.seqs.length > 0, 3_000, "the doorbell").catch(() => {});
    if (seen.seqs.length) doorbellMs = Date.now() - ringAt;
    seen.unsubscribe();
  }, 45_000);

  afterAll(async () => {
    if (process.env.OUTAGE_DEBUG) {
      const firstOk = (kind: Sample["kind"]) => Math.min(...samples.filter((s) => s.kind === kind && s.start >= upAt && s.status < 300).map((s) => s.end)) - upAt;
      const reconnected = busLog.lines.find((line) => line.msg.includes("listener reconnected"));
      console.log({
        requests: samples.length, slowestMs: Math.max(...samples.map((s) => s.end - s.start)),
        slowestDuringOutageMs: Math.max(...during().map((s) => s.end - s.start)), refused: during().length,
        slow: samples.filter((s) => s.end - s.start > 200).map((s) => ({ ...s, start: s.start - downAt, end: s.end - downAt })), upAfterDownMs: upAt - downAt,
        firstListOkMs: firstOk("list"), firstPlaceOkMs: firstOk("place"), listenBackMs: Number(reconnected?.time) - upAt,
      });
      console.log({ stopAt, downAt, upAt, streamEndedAt, doorbellMs, readyz, streamDuringOutage });
      for (const s of samples.filter((x) => x.end > upAt - 100 && x.start < upAt + 4000 && x.status !== 503)) console.log(s.kind, s.start - upAt, s.end - upAt, s.status, s.error);
      console.log(appLog.lines.filter((l) => l.msg !== "request" && l.msg !== "database unavailable").map((l) => [Number(l.time) - upAt, l.msg, l.reason]));
    }
    shutdown.abort();
    await bus?.close();
    await database?.close();
    cluster?.destroy();
  });

  const during = () => samples.filter((s) => s.start >= downAt && s.end <= upAt);

  it("answers every request within a bounded time, never hanging for the length of the outage", () => {
    expect(samples.length).toBeGreaterThan(50);
    const slowest = Math.max(...samples.map((s) => s.end - s.start), ...[...inFlight].map((s) => endedAt - s.start));
    expect(slowest).toBeLessThan(REQUEST_BOUND_MS);
  });

  it("answers 503 with Retry-After while the database is unreachable, never a 500", () => {
    const outage = during();
    expect(outage.length).toBeGreaterThan(10);
    expect(outage.every((s) => s.status === 503)).toBe(true);
    expect(outage.every((s) => s.error === "unavailable" && Number(s.retryAfter) > 0)).toBe(true);
    expect(samples.filter((s) => s.status >= 500 && s.status !== 503)).toEqual([]);
  });

  it("logs no unhandled error for the outage, but says once that the database is unreachable", () => {
    expect(appLog.messages()).not.toContain("unhandled error");
    expect(appLog.messages().filter((m) => m.startsWith("database unreachable"))).toHaveLength(1);
    expect(appLog.lines.filter((l) => l.msg === "database unavailable" && l.level >= 40).length).toBeLessThan(20);
  });

  it("answers /readyz 503 within a second while Postgres is stopped", () => {
    expect(readyz).toHaveLength(2);
    for (const probe of readyz) {
      expect(probe.status).toBe(503);
      expect(Number(probe.retryAfter)).toBeGreaterThan(0);
      expect(probe.ms).toBeLessThan(1_000);
    }
  });

  it("ends live streams when the database goes away and refuses new ones with 503, so screens show they are not live", () => {
    expect(streamEndedAt).toBeGreaterThan(0);
    expect(streamEndedAt - stopAt).toBeLessThan(2_000);
    expect(streamDuringOutage?.status).toBe(503);
    expect(Number(streamDuringOutage?.retryAfter)).toBeGreaterThan(0);
    expect(streamDuringOutage!.ms).toBeLessThan(1_000);
  });

  it("serves reads and orders again within about a second of Postgres starting", () => {
    const firstOk = (kind: Sample["kind"]) => Math.min(...samples.filter((s) => s.kind === kind && s.start >= upAt && s.status < 300).map((s) => s.end));
    expect(firstOk("list") - upAt).toBeLessThan(RECOVERY_BOUND_MS);
    expect(firstOk("place") - upAt).toBeLessThan(RECOVERY_BOUND_MS);
  });

  it("has LISTEN back within about a second of Postgres starting, delivering doorbells without the safety net", () => {
    const reconnected = busLog.lines.find((line) => line.msg.includes("listener reconnected"));
    expect(reconnected).toBeDefined();
    expect(Number(reconnected!.time) - upAt).toBeLessThan(RECOVERY_BOUND_MS);
    expect(doorbellMs).toBeLessThan(1_000);
  });
});
