import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { openPostgres, openTenantPool, tenantRolePassword } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { createEmptyPgDatabase } from "../helpers/db";

// Regression: two server processes starting at once both ran ALTER ROLE ros_app ... and one died with
// "tuple concurrently updated" (seen in the multi-process test). Before the fix 24 of 30 starts failed.
describe("the tenant role's login when several processes start at once", () => {
  let pg: Awaited<ReturnType<typeof createEmptyPgDatabase>>;
  beforeAll(async () => {
    pg = await createEmptyPgDatabase();
    const first = await openPostgres(pg.url, 2);
    await migrate(first);
    await first.close();
  });
  afterAll(() => pg.drop());

  it("logs every process in, however many start together", async () => {
    for (let round = 0; round < 3; round++) {
      const owners = await Promise.all(Array.from({ length: 6 }, () => openPostgres(pg.url, 2)));
      const started = await Promise.allSettled(owners.map((d) => openTenantPool(d, pg.url, tenantRolePassword("s".repeat(40)), 2)));
      await Promise.all(started.map((s, i) => (s.status === "fulfilled" ? s.value.close() : owners[i]!.close())));
      expect(started.filter((s) => s.status === "rejected").map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    }
  });
});
