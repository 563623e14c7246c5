import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import postgres from "postgres";
import { openPostgres, type Database } from "../../src/db/client";
import { createBus, type EventBus } from "../../src/realtime/bus";
import { openTestDatabase, PG_ADMIN_URL, type TestDatabase } from "../helpers/db";
import { addRestaurant, append, collect, memoryLog, range, waitUntil } from "./helpers";

/** Long enough that the safety net cannot be what delivers within a test. */
const NO_POLL = 60_000;

// Only a networked Postgres has separate processes and a listener connection that can drop.
describe("event bus across connections on postgres", () => {
  let db: TestDatabase;
  let a: string;
  const opened: Database[] = [];
  const buses: EventBus[] = [];

  async function openProcess() {
    const database = await openPostgres(db.url!, 2);
    opened.push(database);
    const capture = memoryLog();
    const bus = createBus({ database, log: capture.log, pollMs: NO_POLL });
    buses.push(bus);
    await bus.ready;
    return { database, bus, ...capture };
  }

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    a = await addRestaurant(db.db, "a");
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });
  afterAll(() => db.drop());

  it("reaches buses in two processes when a third connection appends", async () => {
    const one = await openProcess();
    const two = await openProcess();
    const start = await one.bus.currentSeq(a);
    const seenOne = collect(one.bus, a, start);
    const seenTwo = collect(two.bus, a, start);
    await append(db.db, a);
    await append(db.db, a);
    await waitUntil(() => seenOne.seqs.length === 2 && seenTwo.seqs.length === 2, 5_000, "both processes");
    expect(seenOne.seqs).toEqual([start + 1, start + 2]);
    expect(seenTwo.seqs).toEqual([start + 1, start + 2]);
  });

  it("delivers every event appended while its listener connection was killed, without gap or duplicate", async () => {
    const { bus, messages } = await openProcess();
    const writer = await openPostgres(db.url!, 1);
    opened.push(writer);
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    await append(writer.db, a);
    await waitUntil(() => seen.seqs.length === 1, 5_000, "the event before the kill");

    // Refusing new connections holds the listener down (postgres.js keeps retrying), so the doorbells
    // rung meanwhile are lost for certain; connections already open, like the writer's, keep working.
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    const database = new URL(db.url!).pathname.slice(1);
    try {
      await admin.unsafe(`alter database ${database} allow_connections false`);
      const killed = await admin`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'LISTEN%' and datname = ${database}`;
      expect(killed.length).toBe(1);
      await waitUntil(async () => (await admin`select 1 from pg_stat_activity where query ilike 'LISTEN%' and datname = ${database}`).length === 0, 5_000, "the listener backend to exit");
      await Promise.all(range(1, 10).map(() => append(writer.db, a)));
      await Bun.sleep(200);
      expect(seen.seqs).toEqual([start + 1]);
    } finally {
      await admin.unsafe(`alter database ${database} allow_connections true`);
      await admin.end();
    }

    // Nothing is appended from here on and the safety net is off: only the reconnect catch-up can deliver.
    await waitUntil(() => seen.seqs.length >= 11, 5_000, "the events appended during the outage");
    await Bun.sleep(100);
    expect(seen.seqs).toEqual(range(start + 1, start + 11));
    expect(messages()).toContain("realtime: listener reconnected, catching up");
  });
});
