/**
 * Order creation through the JSON API (issue 5): real Postgres, 50 demo restaurants, the real server as a
 * child process, 500 concurrent keep-alive clients for a bounded time. Prints requests/s, latency
 * percentiles, errors by status, and checks that every 201 is exactly one order row.
 *
 *   bun load-test/orders.ts
 *   DURATION_S=20 CLIENTS=500 RESTAURANTS=50 DB_POOL_SIZE=20 THINK_MS=0 bun load-test/orders.ts
 *
 * THINK_MS > 0 makes each client pause (uniformly 0..2×THINK_MS) between orders, like a POS terminal,
 * instead of firing the next order the moment the last one returns.
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf } from "../src/db/client";
import { withSystem } from "../src/db/tenant";
import {
  createBenchDatabase, ensureFetchConcurrency, envInt, ms, orderBody, percentile, printTable, processCpu, rng, seedRestaurants, startServer,
} from "./harness";

const DURATION_S = envInt("DURATION_S", 20);
const WARMUP_S = envInt("WARMUP_S", 3);
const CLIENTS = envInt("CLIENTS", 500);
const RESTAURANTS = envInt("RESTAURANTS", 50);
const POOL = envInt("DB_POOL_SIZE", 20);
const THINK_MS = envInt("THINK_MS", 0);

await ensureFetchConcurrency(CLIENTS);

type Tally = { latencies: number[]; statuses: Map<string, number>; created: number };
const newTally = (): Tally => ({ latencies: [], statuses: new Map(), created: 0 });
const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

const bench = await createBenchDatabase("ros_load_orders");
let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  const seedStart = performance.now();
  const restaurants = await seedRestaurants(bench.database, RESTAURANTS);
  console.log(`seeded ${RESTAURANTS} restaurants in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  server = await startServer(bench.url, { DB_POOL_SIZE: String(POOL) });
  const base = server.baseUrl;
  let sequence = 0;

  /** One client: a POS or integration of one restaurant, placing orders back to back until the deadline. */
  async function client(index: number, until: number, tally: Tally) {
    const r = restaurants[index % restaurants.length]!;
    const random = rng(index + 1);
    const headers = { authorization: `Bearer ${r.apiKey}`, "content-type": "application/json" };
    // Paced clients start spread out, as terminals do, instead of all at the same instant.
    const think = () => Bun.sleep(Math.max(0, Math.min(random() * 2 * THINK_MS, until - performance.now())));
    if (THINK_MS) await think();
    while (performance.now() < until) {
      const body = JSON.stringify(orderBody(r.items, random));
      const key = `load-${process.pid}-${index}-${++sequence}`;
      const started = performance.now();
      try {
        const res = await fetch(`${base}/api/v1/orders`, { method: "POST", headers: { ...headers, "idempotency-key": key }, body });
        await res.arrayBuffer();
        tally.latencies.push(performance.now() - started);
        bump(tally.statuses, String(res.status));
        if (res.status === 201) tally.created++;
      } catch (error) {
        tally.latencies.push(performance.now() - started);
        bump(tally.statuses, `network: ${(error as { code?: string }).code ?? (error as Error).name}`);
      }
      if (THINK_MS) await think();
    }
  }

  const run = async (seconds: number) => {
    const tally = newTally();
    const until = performance.now() + seconds * 1000;
    const began = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i, until, tally)));
    return { tally, elapsed: (performance.now() - began) / 1000 };
  };

  // JIT, pool connections and Postgres caches warm up first; those orders count only in the DB check.
  let warmCreated = 0;
  if (WARMUP_S) {
    const warm = await run(WARMUP_S);
    warmCreated = warm.tally.created;
    console.log(`warm-up: ${warm.tally.created} orders in ${warm.elapsed.toFixed(1)} s (not in the figures)`);
  }
  const backends = await postgresBackends();
  const cpuBefore = processCpu(server.pid);
  const pgBefore = sumCpu(backends);
  const loadBefore = loadavg()[0]!;
  const { tally, elapsed } = await run(DURATION_S);
  const serverCpu = (processCpu(server.pid) - cpuBefore) / elapsed;
  const postgresCpu = (sumCpu(backends) - pgBefore) / elapsed;
  const rss = server.rssKb();

  const { orders, events } = rowsOf<{ orders: number; events: number }>(await withSystem(bench.database.db, (tx) =>
    tx.execute(sql`select (select count(*) from orders)::int as orders, (select count(*) from events)::int as events`)))[0]!;
  const allCreated = tally.created + warmCreated;
  const exitCode = await server.stop();
  server = null;

  const sorted = tally.latencies.sort((a, b) => a - b);
  const errors = [...tally.statuses].filter(([status]) => status !== "201");
  printTable(`POST /api/v1/orders: ${CLIENTS} clients, ${RESTAURANTS} restaurants, ${DURATION_S} s, pool ${POOL}${THINK_MS ? `, think ${THINK_MS} ms` : ""}`, [
    ["requests", sorted.length],
    ["requests/s", (sorted.length / elapsed).toFixed(0)],
    ["201 created", tally.created],
    ["p50", ms(percentile(sorted, 50))],
    ["p95", ms(percentile(sorted, 95))],
    ["p99", ms(percentile(sorted, 99))],
    ["max", ms(sorted[sorted.length - 1] ?? NaN)],
    ["errors", errors.length ? errors.map(([s, n]) => `${n} × ${s}`).join(", ") : "0"],
    ["orders in DB = 201s (incl. warm-up)", `${orders} = ${allCreated} ${orders === allCreated ? "✓" : "✗ MISMATCH"}`],
    ["events in DB", events],
    ["server CPU (cores busy)", serverCpu.toFixed(2)],
    ["Postgres CPU (cores busy)", postgresCpu.toFixed(2)],
    ["CPU per order (server + Postgres)", `${(((serverCpu + postgresCpu) * elapsed * 1000) / Math.max(1, sorted.length)).toFixed(1)} ms`],
    ["load average (1 min) before / after", `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`],
    ["server RSS", `${(rss / 1024).toFixed(0)} MB`],
    ["server exit on SIGTERM", exitCode],
  ]);
  if (orders !== allCreated || errors.length) process.exitCode = 1;
} finally {
  if (server) await server.stop();
  await bench.drop();
}

function sumCpu(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + processCpu(pid), 0);
}

/** The Postgres backends serving the bench database (the server's pool and listener; they stay for the run). */
async function postgresBackends(): Promise<number[]> {
  const rows = rowsOf<{ pid: number }>(await bench.database.db.execute(sql`select pid from pg_stat_activity where datname = current_database()`));
  return rows.map((r) => r.pid);
}
