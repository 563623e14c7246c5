/**
 * Order-to-screen latency (issue 6): 2,000 KDS screens across 50 restaurants hold SSE streams to the real
 * server (a child process on a throw-away Postgres database) while orders flow through the JSON API at a
 * steady rate. For every order and every screen of a station the order routes to, latency is the time
 * from the POST's 201 arriving back at the client to the screen receiving a message carrying that
 * ticket. Also prints server memory per connected screen (VmRSS before and with the screens connected).
 *
 *   bun load-test/kds-latency.ts
 *   SCREENS=2000 RESTAURANTS=50 ORDER_RATE=20 DURATION_S=30 bun load-test/kds-latency.ts
 */
import { sql } from "drizzle-orm";
import { rowsOf } from "../src/db/client";
import { withSystem } from "../src/db/tenant";
import {
  createBenchDatabase, ensureOpenFiles, envInt, makeKdsDevices, ms, orderBody, percentile, printTable, processCpu, rng, seedRestaurants, startServer,
} from "./harness";
import { openSse, type SseSocket } from "./sse-client";

const SCREENS = envInt("SCREENS", 2000);
const RESTAURANTS = envInt("RESTAURANTS", 50);
const ORDER_RATE = envInt("ORDER_RATE", 20);
const DURATION_S = envInt("DURATION_S", 30);
const CONNECT_PARALLEL = envInt("CONNECT_PARALLEL", 50);
const POOL = envInt("DB_POOL_SIZE", 20);

// Screens, order connections, the database pool and the server's own sockets, with room to spare.
ensureOpenFiles(SCREENS * 2 + 1000);

type Screen = { restaurant: number; stationId: string; cookie: string; sse: SseSocket | null; messages: number };
type PlacedOrder = { id: string; sentAt: number; returnedAt: number; stations: Set<string> };

const bench = await createBenchDatabase("ros_load_kds");
let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  let t0 = performance.now();
  const restaurants = await seedRestaurants(bench.database, RESTAURANTS);
  // Screens spread evenly over every station of every restaurant (2,000 over 200 stations: 10 each).
  const stationSlots = restaurants.flatMap((r, ri) => Object.values(r.stations).map((stationId) => ({ ri, stationId })));
  const perRestaurant = new Map<number, string[]>();
  const slots = Array.from({ length: SCREENS }, (_, i) => stationSlots[i % stationSlots.length]!);
  for (const slot of slots) perRestaurant.set(slot.ri, [...(perRestaurant.get(slot.ri) ?? []), slot.stationId]);
  const screens: Screen[] = [];
  for (const [ri, stationIds] of perRestaurant) {
    const cookies = await makeKdsDevices(bench.database, restaurants[ri]!.id, stationIds);
    stationIds.forEach((stationId, i) => screens.push({ restaurant: ri, stationId, cookie: cookies[i]!, sse: null, messages: 0 }));
  }
  console.log(`seeded ${RESTAURANTS} restaurants and ${SCREENS} KDS devices in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  server = await startServer(bench.url, { DB_POOL_SIZE: String(POOL) });
  const base = server.baseUrl;
  const random = rng(7);
  let keyCounter = 0;
  const place = async (ri: number): Promise<PlacedOrder | { error: string }> => {
    const r = restaurants[ri]!;
    const body = JSON.stringify(orderBody(r.items, random));
    const sentAt = performance.now();
    try {
      const res = await fetch(`${base}/api/v1/orders`, {
        method: "POST", body,
        headers: { authorization: `Bearer ${r.apiKey}`, "content-type": "application/json", "idempotency-key": `kds-load-${process.pid}-${++keyCounter}` },
      });
      const returnedAt = performance.now();
      if (res.status !== 201) return { error: String(res.status) };
      const order = (await res.json()) as { id: string; items: { stations: { stationId: string }[] }[] };
      return { id: order.id, sentAt, returnedAt, stations: new Set(order.items.flatMap((i) => i.stations.map((s) => s.stationId))) };
    } catch (error) {
      return { error: `network: ${(error as { code?: string }).code ?? (error as Error).name}` };
    }
  };

  // Warm the order path and the server's JIT before the memory baseline, so screens are not charged for it.
  for (let round = 0; round < 2; round++) await Promise.all(restaurants.map((_, ri) => place(ri)));
  await Bun.sleep(2000);
  const rssBefore = server.rssKb();

  /** First arrival of each ticket at each screen: orderId -> screen index -> time. */
  const arrivals = new Map<string, Map<number, number>>();
  const TICKET = /id="ticket-([0-9a-f-]{36})"/g;
  const connectLatencies: number[] = [];
  const connectFailures = new Map<string, number>();
  t0 = performance.now();
  let nextScreen = 0;
  /** Connects screens up to (not including) index `until`, CONNECT_PARALLEL at a time. */
  const connectUpTo = (until: number) => Promise.all(Array.from({ length: CONNECT_PARALLEL }, async () => {
    while (nextScreen < until) {
      const index = nextScreen++;
      const screen = screens[index]!;
      const started = performance.now();
      let first!: () => void;
      const firstMessage = new Promise<void>((resolve) => { first = resolve; });
      screen.sse = openSse(server!.port, `/kds/${screen.stationId}/stream`, { cookie: screen.cookie }, (m) => {
        const at = performance.now();
        if (screen.messages++ === 0) first();
        for (const match of m.data.matchAll(TICKET)) {
          let seen = arrivals.get(match[1]!);
          if (!seen) arrivals.set(match[1]!, (seen = new Map()));
          if (!seen.has(index)) seen.set(index, at);
        }
      });
      try {
        const status = await screen.sse.opened;
        if (status !== 200) throw new Error(`HTTP ${status}`);
        // The stream opens with the station's whole rail: the screen is live once that has arrived.
        await Promise.race([firstMessage, screen.sse.closed.then(() => { throw new Error("closed"); }), Bun.sleep(30_000).then(() => { throw new Error("no snapshot in 30 s"); })]);
        connectLatencies.push(performance.now() - started);
      } catch (error) {
        connectFailures.set((error as Error).message, (connectFailures.get((error as Error).message) ?? 0) + 1);
      }
    }
  }));
  // Half, then all: the second half's growth is the marginal cost of a screen, without the one-time
  // growth (JIT, heap, pools) that the first connections bring.
  const half = Math.floor(screens.length / 2);
  await connectUpTo(half);
  await Bun.sleep(3000);
  const rssHalf = server.rssKb();
  await connectUpTo(screens.length);
  const connectSeconds = (performance.now() - t0) / 1000 - 3;
  const connected = screens.filter((s) => s.sse && !s.sse.isClosed()).length;
  console.log(`${connected}/${SCREENS} screens live in ${connectSeconds.toFixed(1)} s`);
  await Bun.sleep(3000);
  const rssConnected = server.rssKb();

  // Orders at a steady rate, round robin over the restaurants, for DURATION_S.
  const placed: PlacedOrder[] = [];
  const orderErrors = new Map<string, number>();
  const inFlight: Promise<void>[] = [];
  const interval = 1000 / ORDER_RATE;
  const flowStart = performance.now();
  const cpuBefore = processCpu(server.pid);
  for (let n = 0; performance.now() - flowStart < DURATION_S * 1000; n++) {
    const due = flowStart + n * interval;
    if (due > performance.now()) await Bun.sleep(due - performance.now());
    inFlight.push(place(n % restaurants.length).then((result) => {
      if ("error" in result) orderErrors.set(result.error, (orderErrors.get(result.error) ?? 0) + 1);
      else placed.push(result);
    }));
  }
  await Promise.all(inFlight);
  const flowSeconds = (performance.now() - flowStart) / 1000;
  const cpu = (processCpu(server.pid) - cpuBefore) / flowSeconds;

  // Every (order, screen at a station it routes to) pair should arrive; give stragglers up to 10 s.
  const screensAt = new Map<string, number[]>();
  screens.forEach((s, i) => { if (s.sse && !s.sse.isClosed()) screensAt.set(s.stationId, [...(screensAt.get(s.stationId) ?? []), i]); });
  const expectedPairs = () => placed.flatMap((o) => [...o.stations].flatMap((st) => (screensAt.get(st) ?? []).map((i) => [o, i] as const)));
  const missing = () => expectedPairs().filter(([o, i]) => !arrivals.get(o.id)?.has(i)).length;
  const waitUntil = performance.now() + 10_000;
  while (missing() > 0 && performance.now() < waitUntil) await Bun.sleep(100);
  const rssEnd = server.rssKb();

  const fromCommit: number[] = [];
  const fromSend: number[] = [];
  for (const [o, i] of expectedPairs()) {
    const at = arrivals.get(o.id)?.get(i);
    if (at === undefined) continue;
    fromCommit.push(at - o.returnedAt);
    fromSend.push(at - o.sentAt);
  }
  fromCommit.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  const postLatency = placed.map((o) => o.returnedAt - o.sentAt).sort((a, b) => a - b);
  const stillOpen = screens.filter((s) => s.sse && !s.sse.isClosed()).length;
  const { events } = rowsOf<{ events: number }>(await withSystem(bench.database.db, (tx) => tx.execute(sql`select count(*)::int as events from events`)))[0]!;

  // Shutdown with every stream open: the process should end them and exit 0 within seconds.
  const stopStart = performance.now();
  const exitCode = await server.stop();
  const stopSeconds = (performance.now() - stopStart) / 1000;
  server = null;
  await Promise.race([Promise.all(screens.map((s) => s.sse?.closed)), Bun.sleep(5000)]);
  const openAfterStop = screens.filter((s) => s.sse && !s.sse.isClosed()).length;
  for (const s of screens) s.sse?.close();

  const kb = (value: number) => `${(value / 1024).toFixed(0)} MB`;
  printTable(`Order to KDS screen: ${SCREENS} screens, ${RESTAURANTS} restaurants, ${ORDER_RATE} orders/s for ${DURATION_S} s, pool ${POOL}`, [
    ["screens live / asked", `${connected} / ${SCREENS}${connectFailures.size ? ` (failed: ${[...connectFailures].map(([e, n]) => `${n} × ${e}`).join(", ")})` : ""}`],
    ["time to connect all screens", `${connectSeconds.toFixed(1)} s (p95 per screen ${ms(percentile(connectLatencies.sort((a, b) => a - b), 95))})`],
    ["orders placed (201)", `${placed.length} (${(placed.length / flowSeconds).toFixed(1)}/s)`],
    ["order errors", orderErrors.size ? [...orderErrors].map(([e, n]) => `${n} × ${e}`).join(", ") : "0"],
    ["POST p50 / p95", `${ms(percentile(postLatency, 50))} / ${ms(percentile(postLatency, 95))}`],
    ["ticket deliveries measured", fromCommit.length],
    ["deliveries missing after 10 s", missing()],
    ["latency from 201: p50", ms(percentile(fromCommit, 50))],
    ["latency from 201: p95", ms(percentile(fromCommit, 95))],
    ["latency from 201: p99", ms(percentile(fromCommit, 99))],
    ["latency from 201: max", ms(fromCommit[fromCommit.length - 1] ?? NaN)],
    ["latency from POST sent: p50 / p99", `${ms(percentile(fromSend, 50))} / ${ms(percentile(fromSend, 99))}`],
    ["server RSS before screens", kb(rssBefore)],
    ["server RSS with half the screens", kb(rssHalf)],
    ["server RSS with screens (idle)", kb(rssConnected)],
    ["server RSS at the end", kb(rssEnd)],
    ["server memory per screen (idle)", `${((rssConnected - rssBefore) / Math.max(1, connected)).toFixed(1)} KB`],
    ["  marginal, second half of the screens", `${((rssConnected - rssHalf) / Math.max(1, connected - half)).toFixed(1)} KB`],
    ["server memory per screen (end)", `${((rssEnd - rssBefore) / Math.max(1, connected)).toFixed(1)} KB`],
    ["server CPU while orders flow (cores)", cpu.toFixed(2)],
    ["events in DB", events],
    ["screens open before shutdown", stillOpen],
    ["SIGTERM: exit code, seconds, streams left open", `${exitCode}, ${stopSeconds.toFixed(1)} s, ${openAfterStop}`],
  ]);
  if (missing() > 0 || orderErrors.size || connected < SCREENS || exitCode !== 0 || openAfterStop > 0) process.exitCode = 1;
} finally {
  if (server) await server.stop();
  await bench.drop();
}

