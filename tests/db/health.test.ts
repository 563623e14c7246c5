import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openPostgres, rowsOf, type Database } from "../../src/db/client";
import { DatabaseUnavailable, isConnectionFailure } from "../../src/db/health";
import { withSystem } from "../../src/db/tenant";
import { createEmptyPgDatabase } from "../helpers/db";

/** The guard around every transaction (src/db/client.ts): bounded waits, and nothing runs after a refusal. */
describe("waiting for a database connection", () => {
  let empty: Awaited<ReturnType<typeof createEmptyPgDatabase>>;
  let database: Database;

  beforeAll(async () => {
    empty = await createEmptyPgDatabase();
    // One connection, so a second transaction has to wait for the first.
    database = await openPostgres(empty.url, 1, { acquireTimeoutMs: 300 });
    await database.exec("create table marks (label text not null)");
  });
  afterAll(async () => {
    await database.close();
    await empty.drop();
  });

  const marks = async () => rowsOf<{ label: string }>(await database.db.execute(sql`select label from marks order by label`)).map((r) => r.label);

  it("refuses a transaction that waits longer than the acquire timeout as unavailable, and never runs it later", async () => {
    const holder = withSystem(database.db, async (tx) => {
      await tx.execute(sql`select pg_sleep(0.8)`);
      await tx.execute(sql`insert into marks values ('holder')`);
    });
    await Bun.sleep(50);
    const started = performance.now();
    const waiter = withSystem(database.db, (tx) => tx.execute(sql`insert into marks values ('waiter')`));
    const error = await waiter.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect(isConnectionFailure(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(600);
    await holder;
    // The connection came free after the refusal: the refused body must not have run on it.
    await Bun.sleep(100);
    expect(await marks()).toEqual(["holder"]);
    expect(database.health.isUp()).toBe(true);
  });

  it("does not take a busy pool for an outage: the probe has a connection of its own", async () => {
    const changes: boolean[] = [];
    const stop = database.health.onChange((up) => changes.push(up));
    const holder = withSystem(database.db, (tx) => tx.execute(sql`select pg_sleep(1.6)`));
    await Bun.sleep(50);
    const refused = await withSystem(database.db, (tx) => tx.execute(sql`select 1`)).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseUnavailable);
    // The refusal started a probe; past its 1 s timeout the pool is still busy, the database is not down.
    await Bun.sleep(1_200);
    expect(database.health.isUp()).toBe(true);
    await holder;
    expect(changes).toEqual([]);
    stop();
  });

  it("tells query errors apart from connection failures", () => {
    expect(isConnectionFailure(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isConnectionFailure(new Error("wrapped", { cause: Object.assign(new Error("shutdown"), { code: "57P01" }) }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("broken pipe"), { code: "08006" }))).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error("duplicate"), { code: "23505" }))).toBe(false);
    expect(isConnectionFailure(Object.assign(new Error("serialization"), { code: "40001" }))).toBe(false);
    expect(isConnectionFailure(new Error("plain"))).toBe(false);
  });
});
