import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openPostgres, rowsOf, type Database } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { createEmptyPgDatabase } from "../helpers/db";

/**
 * Two postgres.js 3.4.9 bugs met when Postgres stops under load, fixed by patches/postgres@3.4.9.patch
 * (applied by bun install). Both are about a connection whose backend went away mid-query.
 */
describe("postgres.js after a backend dies mid-query (patched)", () => {
  let empty: Awaited<ReturnType<typeof createEmptyPgDatabase>>;
  let admin: postgres.Sql;

  beforeAll(async () => {
    empty = await createEmptyPgDatabase();
    admin = postgres(empty.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin.end();
    await empty.drop();
  });

  const kill = (pid: number) => admin`select pg_terminate_backend(${pid})`;

  it("serves the next transaction, not with the killed query's stale 57P01 error", async () => {
    const database: Database = await openPostgres(empty.url, 1);
    try {
      const pid = rowsOf<{ pid: number }>(await withSystem(database.db, (tx) => tx.execute(sql`select pg_backend_pid() as pid`)))[0]!.pid;
      const running = withSystem(database.db, (tx) => tx.execute(sql`select pg_sleep(5)`)).then(() => null, (e: unknown) => e);
      await Bun.sleep(200);
      await kill(pid);
      expect(await running).toBeInstanceOf(Error);
      await Bun.sleep(400);
      // Before the patch this one failed with "terminating connection due to administrator command".
      const [row] = rowsOf<{ one: number }>(await withSystem(database.db, (tx) => tx.execute(sql`select 1 as one`)));
      expect(row!.one).toBe(1);
    } finally {
      await database.close();
    }
  });

  it("rejects a query on a connection whose backend died instead of crashing the process", async () => {
    // Upstream porsager/postgres#1208: before the patch the second query threw from a setImmediate,
    // an uncaught exception that ended the whole process (and this test run).
    const client = postgres(empty.url, { max: 2, onnotice: () => {} });
    try {
      const reserved = await client.reserve();
      const pid = (await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
      await kill(pid);
      await Bun.sleep(200);
      const first = await reserved`select 1`.then(() => null, (e: unknown) => e);
      const second = await reserved`select 1`.then(() => null, (e: unknown) => e);
      expect(first).toBeInstanceOf(Error);
      expect(second).toBeInstanceOf(Error);
      reserved.release();
    } finally {
      await client.end({ timeout: 1 });
    }
  });
});
