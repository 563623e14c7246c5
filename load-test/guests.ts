/**
 * Guests ordering from their phones (issue 13): real Postgres, the real server as a child process, 500
 * phones at the tables of several demo restaurants for a bounded time. Each phone, again and again: loads
 * its table's menu (the page token comes with it), thinks, sends a round (1-4 items with their required
 * options), and loads its live order page. Two phones share each table, so rounds race onto one check.
 * Prints latency per step, statuses, and checks that every 201 is exactly one guest round and that each
 * table has exactly one check.
 *
 *   bun load-test/guests.ts
 *   DURATION_S=20 PHONES=500 RESTAURANTS=10 THINK_MS=20000 bun load-test/guests.ts
 *
 * THINK_MS: each phone pauses 0..2×THINK_MS between steps (reading the menu, eating); 20 s by default.
 *
 * Phones reach the server through a trusted proxy (X-Forwarded-For), one address per restaurant as its
 * Wi-Fi would give, so the guests' own per-IP and per-table limits apply as in a restaurant.
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf } from "../src/db/client";
import { withSystem } from "../src/db/tenant";
import { guestTables } from "../src/db/schema";
import { newTableToken } from "../src/guest/tokens";
import {
  createBenchDatabase, ensureFetchConcurrency, envInt, ms, orderBody, percentile, printTable, processCpu, rng, seedRestaurants, startServer,
} from "./harness";

const DURATION_S = envInt("DURATION_S", 20);
const PHONES = envInt("PHONES", 500);
const RESTAURANTS = envInt("RESTAURANTS", 10);
const THINK_MS = envInt("THINK_MS", 20000);
const PHONES_PER_TABLE = 2;

await ensureFetchConcurrency(PHONES);

type Step = "menu" | "order" | "status";
const latencies: Record<Step, number[]> = { menu: [], order: [], status: [] };
const statuses = new Map<string, number>();
let created = 0;
const bump = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

const bench = await createBenchDatabase("ros_load_guests");
let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  const restaurants = await seedRestaurants(bench.database, RESTAURANTS);
  const tablesPer = Math.ceil(PHONES / PHONES_PER_TABLE / RESTAURANTS);
  const tables = await withSystem(bench.database.db, (tx) => tx.insert(guestTables).values(restaurants.flatMap((r) =>
    Array.from({ length: tablesPer }, (_, i) => ({ restaurantId: r.id, label: `G${i + 1}`, token: newTableToken() })))).returning());
  console.log(`seeded ${RESTAURANTS} restaurants with ${tablesPer} QR tables each`);
  server = await startServer(bench.url, { TRUSTED_PROXIES: "127.0.0.1" });
  const base = server.baseUrl;

  async function step<T>(name: Step, fn: () => Promise<Response>, read: (res: Response) => Promise<T>): Promise<{ status: number; value: T | null }> {
    const started = performance.now();
    try {
      const res = await fn();
      const value = await read(res);
      latencies[name].push(performance.now() - started);
      bump(`${name} ${res.status}`);
      return { status: res.status, value };
    } catch (error) {
      bump(`${name} network: ${(error as { code?: string }).code ?? (error as Error).name}`);
      return { status: 0, value: null };
    }
  }

  /** One phone at one table: menu, think, round, order page, until the deadline. */
  async function phone(index: number, until: number) {
    const table = tables[Math.floor(index / PHONES_PER_TABLE) % tables.length]!;
    const r = restaurants.find((x) => x.id === table.restaurantId)!;
    const random = rng(index + 1);
    const ip = `10.0.${restaurants.indexOf(r)}.1`;
    const headers = { "x-forwarded-for": ip };
    const think = () => Bun.sleep(Math.max(0, Math.min(random() * 2 * THINK_MS, until - performance.now())));
    await think();
    let round = 0;
    while (performance.now() < until) {
      const menu = await step("menu", () => fetch(`${base}/guest/t/${table.token}`, { headers }), (res) => res.text());
      const pageToken = /data-page-token="([^"]+)"/.exec(menu.value ?? "")?.[1];
      if (!pageToken) { await think(); continue; }
      await think();
      if (performance.now() >= until) break;
      const items = orderBody(r.items, random).items.map(({ seat: _seat, ...line }) => line);
      const body = JSON.stringify({ items, pageToken, idempotencyKey: `load-${process.pid}-${index}-${++round}` });
      const placed = await step("order", () => fetch(`${base}/guest/t/${table.token}/order`, {
        method: "POST", headers: { ...headers, "content-type": "application/json", accept: "application/json", origin: base }, body,
      }), (res) => res.json() as Promise<{ url?: string }>);
      if (placed.status === 201) created++;
      if (placed.value?.url) await step("status", () => fetch(`${base}${placed.value!.url}`, { headers }), (res) => res.arrayBuffer());
      await think();
    }
  }

  const cpuBefore = processCpu(server.pid);
  const loadBefore = loadavg()[0]!;
  const began = performance.now();
  const until = began + DURATION_S * 1000;
  await Promise.all(Array.from({ length: PHONES }, (_, i) => phone(i, until)));
  const elapsed = (performance.now() - began) / 1000;
  const serverCpu = (processCpu(server.pid) - cpuBefore) / elapsed;
  const rss = server.rssKb();

  const check = rowsOf<{ rounds: number; sent: number; checks: number; tables_used: number }>(await withSystem(bench.database.db, (tx) => tx.execute(sql`
    select (select count(*) from guest_orders)::int as rounds,
           (select count(*) from guest_orders where state = 'sent')::int as sent,
           (select count(*) from orders where type = 'dine_in')::int as checks,
           (select count(distinct (restaurant_id, table_id)) from guest_orders)::int as tables_used`)))[0]!;
  const exitCode = await server.stop();
  server = null;

  const row = (name: Step): [string, string] => {
    const sorted = latencies[name].sort((a, b) => a - b);
    return [`${name}: n / p50 / p95 / p99`, `${sorted.length} / ${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 95))} / ${ms(percentile(sorted, 99))}`];
  };
  const bad = [...statuses].filter(([k]) => !/ (200|201)$/.test(k));
  printTable(`Guests at tables: ${PHONES} phones, ${RESTAURANTS} restaurants, ${tables.length} tables, ${DURATION_S} s, think 0-${2 * THINK_MS} ms`, [
    row("menu"), row("order"), row("status"),
    ["rounds placed (201)", created],
    ["rounds/s", (created / elapsed).toFixed(1)],
    ["statuses", [...statuses].map(([k, n]) => `${n} × ${k}`).join(", ")],
    ["guest rounds in DB = 201s", `${check.rounds} = ${created} ${check.rounds === created ? "✓" : "✗ MISMATCH"}`],
    ["rounds sent to the kitchen = rounds placed", `${check.sent} = ${check.rounds} ${check.sent === check.rounds ? "✓" : "✗"}`],
    ["checks = tables that ordered (one check per table)", `${check.checks} = ${check.tables_used} ${check.checks === check.tables_used ? "✓" : "✗"}`],
    ["server CPU (cores busy)", serverCpu.toFixed(2)],
    ["load average (1 min) before / after", `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`],
    ["server RSS", `${(rss / 1024).toFixed(0)} MB`],
    ["server exit on SIGTERM", exitCode],
  ]);
  if (check.rounds !== created || check.sent !== check.rounds || check.checks !== check.tables_used || bad.length) process.exitCode = 1;
} finally {
  if (server) await server.stop();
  await bench.drop();
}
