import { timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { appliedMigrationCount, expectedMigrationCount } from "../db/migrate";
import { DatabaseUnavailable, RETRY_AFTER_SECONDS } from "../db/health";

/** A load balancer's check must get an answer, not a hang: past this the database counts as unreachable. */
export const READY_TIMEOUT_MS = 800;

async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DatabaseUnavailable(`no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
import { HttpError } from "../http/errors";
import { registry } from "./metrics";

/** Compares in constant time, so the token cannot be guessed a byte at a time from response times. */
function bearerMatches(header: string | null, token: string): boolean {
  if (!header?.startsWith("Bearer ")) return false;
  const given = new Bun.CryptoHasher("sha256").update(header.slice(7).trim()).digest();
  const wanted = new Bun.CryptoHasher("sha256").update(token).digest();
  return timingSafeEqual(given, wanted);
}

/** Liveness and readiness: /healthz says the process answers; /readyz that it can serve orders; /metrics for Prometheus. */
export function opsRoutes(ctx: AppContext) {
  const expected = expectedMigrationCount();
  return new Elysia({ name: "ops" })
    .get("/healthz", () => ({ status: "ok" }))
    .get("/readyz", async ({ set }) => {
      const checks: Record<string, string> = {};
      try {
        // Known down (the health probe is failing): say so at once instead of queueing behind the pool.
        if (!ctx.database.health.isUp()) throw new DatabaseUnavailable("the health probe is failing");
        const applied = await withinDeadline((async () => {
          await ctx.database.db.execute(sql`select 1`);
          return appliedMigrationCount(ctx.database);
        })(), READY_TIMEOUT_MS);
        checks.database = "ok";
        checks.migrations = applied >= expected ? "ok" : `behind: ${applied} of ${expected} applied`;
      } catch (error) {
        checks.database = `unreachable: ${(error as Error).message}`;
      }
      if (ctx.isShuttingDown()) checks.process = "shutting down";
      const ok = Object.values(checks).every((v) => v === "ok");
      set.status = ok ? 200 : 503;
      if (!ok) set.headers["retry-after"] = String(RETRY_AFTER_SECONDS);
      return { status: ok ? "ready" : "not ready", checks };
    })
    .get("/metrics", async ({ request }) => {
      // No token configured: there is nothing here, as far as anyone can tell.
      if (!ctx.config.metricsToken) throw new HttpError(404, "not_found", "There is nothing at this address.");
      if (!bearerMatches(request.headers.get("authorization"), ctx.config.metricsToken)) {
        // A plain 401 for the scraper, not the sign-in redirect a person at a page would get.
        return new Response("Metrics need Authorization: Bearer <METRICS_TOKEN>.\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain" } });
      }
      return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
    });
}
