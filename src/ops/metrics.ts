import client from "prom-client";

/**
 * The process's Prometheus figures (prom-client runs on Bun unchanged, default metrics included).
 * One registry per process: counters are process-wide, like the process memory and event-loop lag
 * they sit beside. Gauges that depend on live objects (the bus, the database pool) read them at
 * scrape time through the sources registered below.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "ros_" });

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const httpRequests = new client.Counter({
  name: "ros_http_requests_total", help: "HTTP requests answered, by method, route pattern and status.",
  labelNames: ["method", "route", "status"] as const, registers: [registry],
});
const httpDuration = new client.Histogram({
  name: "ros_http_request_duration_seconds", help: "Time from request to response (a stream: to its headers), by method, route pattern and status.",
  labelNames: ["method", "route", "status"] as const, buckets: BUCKETS, registers: [registry],
});
const ordersPlaced = new client.Counter({
  name: "ros_orders_placed_total", help: "Orders placed (idempotent replays not counted).", registers: [registry],
});
const eventDelay = new client.Histogram({
  name: "ros_event_delivery_delay_seconds",
  help: "From the start of the transaction that wrote an event (an order placed, bumped...) to this process's bus reading it for live screens.",
  buckets: BUCKETS, registers: [registry],
});
const sseOpen = new client.Gauge({
  name: "ros_sse_streams_open", help: "Live SSE streams open in this process, by kind of screen (kds, expo, board, pos, api).",
  labelNames: ["kind"] as const, registers: [registry],
});
const refusals = new client.Counter({
  name: "ros_rate_limit_refusals_total", help: "Requests refused with 429, by limit.", labelNames: ["limit"] as const, registers: [registry],
});
const payments = new client.Counter({
  name: "ros_payment_outcomes_total", help: "Payment attempts by provider (cash, square, ...) and outcome (approved, declined, failed, refunded, ...).",
  labelNames: ["provider", "outcome"] as const, registers: [registry],
});
new client.Gauge({
  name: "ros_rate_limit_store_redis", help: "1 while rate limits are counted in Redis, 0 while counted in this process (no Redis, or Redis down).",
  registers: [registry],
  collect() { this.set(sources.limiterOnRedis?.() ? 1 : 0); },
});
new client.Gauge({
  name: "ros_bus_seq_behind", help: "Events announced to this process but not yet handed to its live screens (sum over restaurants).",
  registers: [registry],
  collect() { this.set(sources.busBehind?.() ?? 0); },
});
new client.Gauge({
  name: "ros_db_pool_size", help: "Connections the pool may open (DB_POOL_SIZE; 1 for embedded PGlite).", registers: [registry],
  collect() { this.set(sources.pool?.().size ?? 0); },
});
new client.Gauge({
  name: "ros_db_pool_in_use", help: "Pool connections held by a transaction right now.", registers: [registry],
  collect() { const p = sources.pool?.(); this.set(p ? Math.min(p.active, p.size) : 0); },
});
new client.Gauge({
  name: "ros_db_pool_waiting", help: "Transactions waiting for a pool connection right now.", registers: [registry],
  collect() { const p = sources.pool?.(); this.set(p ? Math.max(0, p.active - p.size) : 0); },
});
const poolWaits = new client.Counter({
  name: "ros_db_pool_waits_total", help: "Transactions that began while every pool connection was taken.", registers: [registry],
});

/** Live objects a scrape reads; the server process sets them once it has built them. */
const sources: {
  busBehind?: () => number;
  pool?: () => { size: number; active: number };
  limiterOnRedis?: () => boolean;
} = {};

export function setMetricSources(next: Partial<typeof sources>): void {
  Object.assign(sources, next);
}

export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  const labels = { method, route, status: String(status) };
  httpRequests.inc(labels);
  httpDuration.observe(labels, seconds);
}

export function countOrderPlaced(): void {
  ordersPlaced.inc();
}

export function observeEventDelay(createdAt: Date): void {
  eventDelay.observe(Math.max(0, (Date.now() - createdAt.getTime()) / 1000));
}

export function countRefusal(limit: string): void {
  refusals.inc({ limit });
}

/**
 * For payment code: count one payment's outcome, e.g. countPayment("square", "approved").
 * Keep both values to a small fixed set (no order ids, no amounts): each pair is a time series.
 */
export function countPayment(provider: string, outcome: string): void {
  payments.inc({ provider, outcome });
}

/** The kind of a live screen, from its stream's path: /kds/:id/stream -> kds, /api/v1/events -> api. */
export function streamKind(request: Request): string {
  const first = new URL(request.url).pathname.split("/")[1] ?? "";
  return ["kds", "expo", "board", "pos", "api"].includes(first) ? first : "other";
}

export function streamOpened(kind: string): void {
  sseOpen.inc({ kind });
}

export function streamClosed(kind: string): void {
  sseOpen.dec({ kind });
}

/** Points the scrape-time gauges at this process's database, bus and rate limiter. Once per process. */
export function wireProcessMetrics(p: {
  database: { db: unknown; kind: "pglite" | "postgres" }; poolSize: number;
  bus: { behind: () => number }; rateLimiter: { store: { active: () => "redis" | "memory" } };
}): void {
  instrumentPool(p.database.db as Transactional, p.database.kind === "postgres" ? p.poolSize : 1);
  setMetricSources({ busBehind: p.bus.behind, limiterOnRedis: () => p.rateLimiter.store.active() === "redis" });
}

type Transactional = { transaction: (...args: never[]) => Promise<unknown> };

/**
 * Counts transactions in flight on a database handle. Nearly all work runs in transactions
 * (withTenant, withSystem), each holding one pool connection for its length, so "in flight beyond the
 * pool size" is the number waiting for a connection. postgres.js exposes no pool statistics itself.
 */
export function instrumentPool(db: Transactional, size: number): void {
  const original = db.transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  let active = 0;
  (db as { transaction: unknown }).transaction = async (...args: unknown[]) => {
    if (active >= size) poolWaits.inc();
    active++;
    try {
      return await original(...args);
    } finally {
      active--;
    }
  };
  setMetricSources({ pool: () => ({ size, active }) });
}
