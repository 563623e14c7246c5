import { loadConfig, type Config } from "../../src/config";
import { createApp } from "../../src/app";
import { createLogger } from "../../src/ops/logger";
import type { Database } from "../../src/db/client";
import { createRateLimiter, type RateLimiter } from "../../src/ops/rate-limit";
import { createBus } from "../../src/realtime/bus";
import { createHub } from "../../src/realtime/hub";

export const TEST_ORIGIN = "http://localhost";

/**
 * Request rate limits (per API key and IP) are off in in-process tests: a test file makes hundreds of
 * requests with one key in a second, which is not what it tests. tests/ops/rate-limits.test.ts turns them
 * on with the real defaults (REQUEST_LIMIT_DEFAULTS); sign-in, PIN and TOTP limits stay on everywhere.
 */
export const REQUEST_LIMIT_DEFAULTS = loadConfig({ NODE_ENV: "test" }).rateLimits;
const NO_REQUEST_LIMITS = { ...REQUEST_LIMIT_DEFAULTS, key: { reads: 0, writes: 0, heavy: 0 }, ip: { reads: 0, writes: 0, heavy: 0 } };

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: "test", LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" }), rateLimits: NO_REQUEST_LIMITS, ...overrides };
}

export function makeTestApp(database: Database, overrides: Partial<Config> = {}, rateLimiter?: RateLimiter) {
  const config = testConfig(overrides);
  const log = createLogger(config);
  const limiter = rateLimiter ?? createRateLimiter(null);
  // One LISTEN per app, as in a real process; closing the test database ends it.
  const bus = createBus({ database, log, pollMs: 1000 });
  const shutdown = new AbortController();
  const app = createApp({ config, database, log, isShuttingDown: () => false, rateLimiter: limiter, bus, hub: createHub(bus, log), shutdownSignal: shutdown.signal });
  return { app, config, log, rateLimiter: limiter, bus, close: async () => { shutdown.abort(); await bus.close(); } };
}

type Init = RequestInit & { json?: unknown; form?: Record<string, string | string[]> };

/** Builds a request the way a same-origin browser would send it. */
export function req(path: string, init: Init = {}): Request {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(init.form)) for (const one of [v].flat()) params.append(k, one);
    body = params.toString();
  }
  // A form or JSON body means POST even when it is empty.
  const method = init.method ?? (body || init.form || init.json !== undefined ? "POST" : "GET");
  if (method !== "GET" && !headers.has("origin")) headers.set("origin", TEST_ORIGIN);
  return new Request(`${TEST_ORIGIN}${path}`, { ...init, method, headers, body });
}
