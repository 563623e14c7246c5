import { timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { appliedMigrationCount, expectedMigrationCount } from "../db/migrate";
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
        await ctx.database.db.execute(sql`select 1`);
        checks.database = "ok";
        const applied = await appliedMigrationCount(ctx.database);
        checks.migrations = applied >= expected ? "ok" : `behind: ${applied} of ${expected} applied`;
      } catch (error) {
        checks.database = `unreachable: ${(error as Error).message}`;
      }
      if (ctx.isShuttingDown()) checks.process = "shutting down";
      const ok = Object.values(checks).every((v) => v === "ok");
      set.status = ok ? 200 : 503;
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
