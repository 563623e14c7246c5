import { Elysia } from "elysia";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { appliedMigrationCount, expectedMigrationCount } from "../db/migrate";

/** Liveness and readiness: /healthz says the process answers; /readyz that it can serve orders. */
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
    });
}
