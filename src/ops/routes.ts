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

/** Liveness and readiness: /healthz says the process answers; /readyz that it can serve orders. */
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
    });
}
