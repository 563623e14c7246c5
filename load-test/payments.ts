/**
 * Paying checks through the JSON API (issue 11): real Postgres, 50 demo restaurants, the real server as
 * a child process. 500 orders are placed first (not measured); then 500 clients pay them all at once,
 * each check in one to three cash tenders, every tender sent twice with the same Idempotency-Key (a
 * retry racing the original) and, on the last tender, a rival tender for the same balance under another
 * key (a second till paying the same check). Prints payments/s, latency percentiles and statuses, and
 * checks the money: no check paid more than its total (0 double charges), every 201 is one payment row
 * and every payment row was answered (0 lost tenders), every check paid in full.
 *
 *   bun load-test/payments.ts
 *   CHECKS=500 RESTAURANTS=50 DB_POOL_SIZE=20 bun load-test/payments.ts
 */
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf } from "../src/db/client";
import { withSystem } from "../src/db/tenant";
import {
  createBenchDatabase, ensureFetchConcurrency, envInt, ms, orderBody, percentile, printTable, processCpu, rng, seedRestaurants, startServer,
} from "./harness";

const CHECKS = envInt("CHECKS", 500);
const RESTAURANTS = envInt("RESTAURANTS", 50);
const POOL = envInt("DB_POOL_SIZE", 20);

await ensureFetchConcurrency(CHECKS * 2);

type Tally = { latencies: number[]; statuses: Map<string, number>; answered: Set<string> };
const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

const bench = await createBenchDatabase("ros_load_payments");
let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  const restaurants = await seedRestaurants(bench.database, RESTAURANTS);
  server = await startServer(bench.url, { DB_POOL_SIZE: String(POOL) });
  const base = server.baseUrl;
  const headersOf = (apiKey: string) => ({ authorization: `Bearer ${apiKey}`, "content-type": "application/json" });

  // Setup (not measured): one order per check, spread over the restaurants, placed 50 at a time.
  const orders: { id: string; totalCents: number; apiKey: string }[] = [];
  const placeStart = performance.now();
  for (let batch = 0; batch < CHECKS; batch += 50) {
    orders.push(...await Promise.all(Array.from({ length: Math.min(50, CHECKS - batch) }, async (_, j) => {
      const i = batch + j;
      const r = restaurants[i % restaurants.length]!;
      const res = await fetch(`${base}/api/v1/orders`, { method: "POST", headers: { ...headersOf(r.apiKey), "idempotency-key": `load-order-${process.pid}-${i}` }, body: JSON.stringify(orderBody(r.items, rng(i + 1))) });
      if (res.status !== 201) throw new Error(`placing order ${i}: ${res.status} ${await res.text()}`);
      const o = await res.json() as { id: string; totalCents: number };
      return { id: o.id, totalCents: o.totalCents, apiKey: r.apiKey };
    })));
  }
  console.log(`placed ${orders.length} orders across ${RESTAURANTS} restaurants in ${((performance.now() - placeStart) / 1000).toFixed(1)} s`);

  const tally: Tally = { latencies: [], statuses: new Map(), answered: new Set() };
  async function send(order: (typeof orders)[number], key: string, body: Record<string, unknown>) {
    const started = performance.now();
    try {
      const res = await fetch(`${base}/api/v1/orders/${order.id}/payments`, { method: "POST", headers: { ...headersOf(order.apiKey), "idempotency-key": key }, body: JSON.stringify(body) });
      const answer = await res.json() as { id?: string };
      tally.latencies.push(performance.now() - started);
      bump(tally.statuses, String(res.status));
      if (res.status === 201 && answer.id) tally.answered.add(answer.id);
      return { status: res.status, id: answer.id };
    } catch (error) {
      tally.latencies.push(performance.now() - started);
      bump(tally.statuses, `network: ${(error as { code?: string }).code ?? (error as Error).name}`);
      return { status: 0, id: undefined };
    }
  }

  let replayMismatches = 0;
  /** One check: one to three tenders; each sent twice at once with one key; a rival tender races the last. */
  async function payCheck(order: (typeof orders)[number], index: number) {
    const random = rng(10_000 + index);
    const parts = 1 + Math.floor(random() * 3);
    let left = order.totalCents;
    for (let part = 1; part <= parts && left > 0; part++) {
      const amountCents = part === parts ? left : Math.max(1, Math.floor(left / (parts - part + 1)));
      const body = { tender: "cash", amountCents, tipCents: part === parts ? Math.floor(random() * 300) : 0 };
      const key = `load-pay-${process.pid}-${index}-${part}`;
      const sends = [send(order, key, body), send(order, key, body)];
      if (part === parts) sends.push(send(order, `${key}-rival`, { tender: "cash", amountCents }));
      const [a, b, rival] = await Promise.all(sends);
      if (a!.id !== b!.id) replayMismatches++;
      // Whichever of the original and the rival won, the check is paid; the loser was refused.
      left -= amountCents;
      void rival;
    }
  }

  const backends = rowsOf<{ pid: number }>(await bench.database.db.execute(sql`select pid from pg_stat_activity where datname = current_database()`)).map((r) => r.pid);
  const cpuBefore = processCpu(server.pid);
  const pgBefore = backends.reduce((s, pid) => s + processCpu(pid), 0);
  const loadBefore = loadavg()[0]!;
  const began = performance.now();
  await Promise.all(orders.map((o, i) => payCheck(o, i)));
  const elapsed = (performance.now() - began) / 1000;
  const serverCpu = (processCpu(server.pid) - cpuBefore) / elapsed;
  const postgresCpu = (backends.reduce((s, pid) => s + processCpu(pid), 0) - pgBefore) / elapsed;

  // The money, read from the database.
  const rows = rowsOf<{ order_id: string; paid: number; n: number }>(await withSystem(bench.database.db, (tx) => tx.execute(sql`
    select order_id, sum(amount_cents)::int as paid, count(*)::int as n from payments where status = 'completed' group by order_id`)));
  const paid = new Map(rows.map((r) => [r.order_id, r.paid]));
  const overpaid = orders.filter((o) => (paid.get(o.id) ?? 0) > o.totalCents).length;
  const unpaid = orders.filter((o) => (paid.get(o.id) ?? 0) < o.totalCents).length;
  const paymentRows = rowsOf<{ id: string }>(await withSystem(bench.database.db, (tx) => tx.execute(sql`select id from payments`))).map((r) => r.id);
  const lost = [...tally.answered].filter((id) => !paymentRows.includes(id)).length + paymentRows.filter((id) => !tally.answered.has(id)).length;
  const exitCode = await server.stop();
  server = null;

  const sorted = tally.latencies.sort((a, b) => a - b);
  const unexpected = [...tally.statuses].filter(([status]) => !["201", "409", "422"].includes(status));
  printTable(`POST /api/v1/orders/:id/payments: ${CHECKS} checks paid at once across ${RESTAURANTS} restaurants, pool ${POOL}`, [
    ["requests (tenders, retries, rivals)", sorted.length],
    ["requests/s", (sorted.length / elapsed).toFixed(0)],
    ["payments taken (rows)", paymentRows.length],
    ["payments/s", (paymentRows.length / elapsed).toFixed(0)],
    ["statuses", [...tally.statuses].map(([s, n]) => `${n} × ${s}`).join(", ")],
    ["p50", ms(percentile(sorted, 50))],
    ["p95", ms(percentile(sorted, 95))],
    ["p99", ms(percentile(sorted, 99))],
    ["max", ms(sorted[sorted.length - 1] ?? NaN)],
    ["double charges (checks paid above total)", `${overpaid} ${overpaid === 0 ? "✓" : "✗"}`],
    ["lost tenders (201 without row, row without 201)", `${lost} ${lost === 0 ? "✓" : "✗"}`],
    ["retries answered with another payment", `${replayMismatches} ${replayMismatches === 0 ? "✓" : "✗"}`],
    ["checks not paid in full", `${unpaid} ${unpaid === 0 ? "✓" : "✗"}`],
    ["unexpected statuses", unexpected.length ? unexpected.map(([s, n]) => `${n} × ${s}`).join(", ") : "0"],
    ["server CPU (cores busy)", serverCpu.toFixed(2)],
    ["Postgres CPU (cores busy)", postgresCpu.toFixed(2)],
    ["load average (1 min) before / after", `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`],
    ["server exit on SIGTERM", exitCode],
  ]);
  if (overpaid || lost || unpaid || replayMismatches || unexpected.length) process.exitCode = 1;
} finally {
  if (server) await server.stop();
  await bench.drop();
}
