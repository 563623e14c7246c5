import { afterAll, afterEach, beforeAll, describe, expect, it } from "bun:test";
import { eq, sql } from "drizzle-orm";
import type { Database, Db } from "../../src/db/client";
import { events, restaurants } from "../../src/db/schema";
import { withSystem } from "../../src/db/tenant";
import { createBus, parseDoorbell, type EventBus } from "../../src/realtime/bus";
import { EVENTS_CHANNEL } from "../../src/realtime/events";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { addRestaurant, append, appendMany, collect, memoryLog, range, waitUntil } from "./helpers";

/** Long enough that only doorbells (not the safety net) can deliver within a test. */
const NO_POLL = 60_000;

describe("parseDoorbell", () => {
  const id = "0b7e4c8a-1f2d-4e3a-9b8c-7d6e5f4a3b2c";

  it("reads restaurantId:seq", () => {
    expect(parseDoorbell(`${id}:42`)).toEqual({ restaurantId: id, seq: 42 });
    expect(parseDoorbell(`${id.toUpperCase()}:1`)).toEqual({ restaurantId: id, seq: 1 });
  });

  it("rejects anything else", () => {
    for (const payload of ["", "garbage", `${id}`, `${id}:`, `${id}:0`, `${id}:-1`, `${id}:1.5`, `${id}:1e3`, `${id}:12345678901234567`, `x${id}:1`, `${id}:1\n`, `not-a-uuid:1`]) {
      expect(parseDoorbell(payload)).toBeNull();
    }
  });
});

describe.each(DRIVERS)("event bus on %s", (driver) => {
  let db: TestDatabase;
  let a: string;
  let b: string;
  const buses: EventBus[] = [];

  function openBus(options: { pollMs?: number; pageSize?: number; database?: Database } = {}) {
    const capture = memoryLog();
    const bus = createBus({ database: options.database ?? db, log: capture.log, pollMs: options.pollMs ?? NO_POLL, pageSize: options.pageSize });
    buses.push(bus);
    return { bus, ...capture };
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    a = await addRestaurant(db.db, "a");
    b = await addRestaurant(db.db, "b");
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(() => db.drop());

  it("delivers events appended after subscribing, in order, exactly once", async () => {
    const { bus } = openBus();
    await bus.ready;
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    await Promise.all(range(1, 20).map(() => append(db.db, a)));
    await appendMany(db.db, a, 5);
    await waitUntil(() => seen.seqs.length >= 25, 5_000, "25 events");
    await Bun.sleep(100);
    expect(seen.seqs).toEqual(range(start + 1, start + 25));
  });

  it("delivers the backlog after afterSeq first, then what comes next", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    await appendMany(db.db, a, 3);
    const seen = collect(bus, a, start + 1);
    await waitUntil(() => seen.seqs.length >= 2, 5_000, "backlog");
    expect(seen.seqs).toEqual([start + 2, start + 3]);
    await append(db.db, a);
    await waitUntil(() => seen.seqs.length >= 3, 5_000, "next event");
    expect(seen.seqs).toEqual([start + 2, start + 3, start + 4]);
  });

  it("reads a long backlog in pages without gaps", async () => {
    const { bus } = openBus({ pageSize: 7 });
    const start = await bus.currentSeq(a);
    await appendMany(db.db, a, 30);
    const seen = collect(bus, a, start);
    await waitUntil(() => seen.seqs.length >= 30, 5_000, "30 events");
    expect(seen.seqs).toEqual(range(start + 1, start + 30));
    expect(Math.max(...seen.batches.map((batch) => batch.length))).toBeLessThanOrEqual(7);
  });

  it("gives a late subscriber its own backlog while an earlier one keeps its place", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    const early = collect(bus, a, start);
    await appendMany(db.db, a, 4);
    await waitUntil(() => early.seqs.length >= 4, 5_000, "early subscriber");
    const late = collect(bus, a, start);
    await waitUntil(() => late.seqs.length >= 4, 5_000, "late subscriber's backlog");
    await append(db.db, a);
    await waitUntil(() => early.seqs.length >= 5 && late.seqs.length >= 5, 5_000, "both");
    await Bun.sleep(50);
    expect(early.seqs).toEqual(range(start + 1, start + 5));
    expect(late.seqs).toEqual(range(start + 1, start + 5));
  });

  it("delivers nothing more after unsubscribe", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    const other = collect(bus, a, start);
    await append(db.db, a);
    await waitUntil(() => seen.seqs.length === 1 && other.seqs.length === 1, 5_000, "first event");
    seen.unsubscribe();
    await append(db.db, a);
    await waitUntil(() => other.seqs.length === 2, 5_000, "second event to the one still subscribed");
    await Bun.sleep(50);
    expect(seen.seqs).toEqual([start + 1]);
  });

  it("never shows one restaurant's events to another's subscribers", async () => {
    const { bus } = openBus();
    const [startA, startB] = [await bus.currentSeq(a), await bus.currentSeq(b)];
    const seenA = collect(bus, a, startA);
    const seenB = collect(bus, b, startB);
    await Promise.all([append(db.db, a, "for-a"), append(db.db, b, "for-b"), append(db.db, a, "for-a")]);
    await waitUntil(() => seenA.seqs.length === 2 && seenB.seqs.length === 1, 5_000, "both restaurants");
    await Bun.sleep(50);
    expect(seenA.batches.flat().map((e) => [e.restaurantId, e.type])).toEqual([[a, "for-a"], [a, "for-a"]]);
    expect(seenB.batches.flat().map((e) => [e.restaurantId, e.type])).toEqual([[b, "for-b"]]);
  });

  it("ignores garbage doorbells and logs them at debug", async () => {
    const { bus, lines } = openBus();
    await bus.ready;
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    for (const payload of ["garbage", `${a}:`, `${a}:-5`, `${b}:x`, "💥".repeat(50)]) {
      await db.db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`);
    }
    await append(db.db, a);
    await waitUntil(() => seen.seqs.length === 1, 5_000, "the real event");
    expect(seen.seqs).toEqual([start + 1]);
    const ignored = lines.filter((line) => line.msg === "realtime: ignored a malformed doorbell");
    expect(ignored).toHaveLength(5);
    expect(ignored.every((line) => line.level === 20)).toBe(true);
  });

  it("ignores a doorbell for a seq already delivered", async () => {
    const { bus } = openBus();
    await bus.ready;
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    await append(db.db, a);
    await waitUntil(() => seen.seqs.length === 1, 5_000, "event");
    await db.db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${`${a}:${start + 1}`})`);
    await Bun.sleep(100);
    expect(seen.seqs).toEqual([start + 1]);
  });

  it("catches up through the safety net when a doorbell is lost", async () => {
    const { bus } = openBus({ pollMs: 100 });
    await bus.ready;
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    await appendSilently(db.db, a, start + 1);
    await appendSilently(db.db, a, start + 2);
    await waitUntil(() => seen.seqs.length === 2, 3_000, "the safety net");
    expect(seen.seqs).toEqual([start + 1, start + 2]);
  });

  it("leaves a lost doorbell undelivered while the safety net is off, so the test above measures the net", async () => {
    const { bus } = openBus();
    await bus.ready;
    const start = await bus.currentSeq(a);
    const seen = collect(bus, a, start);
    await Bun.sleep(50);
    await appendSilently(db.db, a, start + 1);
    await Bun.sleep(300);
    expect(seen.seqs).toEqual([]);
  });

  it("serves every subscriber of a restaurant with one read, and reads at most once more while one is in flight", async () => {
    const gate = Promise.withResolvers<void>();
    const counted = countingDatabase(db);
    const { bus } = openBus({ database: counted.database });
    await bus.ready;
    const start = await bus.currentSeq(a);
    counted.reads = 0;
    counted.gate = gate.promise;
    const subscribers = range(1, 10).map(() => collect(bus, a, start));
    await waitUntil(() => counted.reads === 1, 5_000, "the first read");
    await appendMany(db.db, a, 5);
    await Bun.sleep(100);
    expect(counted.reads).toBe(1);
    gate.resolve();
    await waitUntil(() => subscribers.every((s) => s.seqs.length === 5), 5_000, "all subscribers");
    await Bun.sleep(100);
    expect(counted.reads).toBeLessThanOrEqual(2);
    for (const subscriber of subscribers) expect(subscriber.seqs).toEqual(range(start + 1, start + 5));
  });

  it("keeps delivering to the others when one subscriber throws", async () => {
    const { bus, messages } = openBus();
    const start = await bus.currentSeq(a);
    bus.subscribe(a, start, () => { throw new Error("broken screen"); });
    const seen = collect(bus, a, start);
    await appendMany(db.db, a, 2);
    await waitUntil(() => seen.seqs.length === 2, 5_000, "events");
    expect(messages()).toContain("realtime: a subscriber threw; it keeps its place");
  });

  it("ends a subscription whose next event no longer exists instead of skipping it", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    await appendMany(db.db, a, 3);
    await withSystem(db.db, (tx) => tx.delete(events).where(sql`${events.restaurantId} = ${a} and ${events.seq} = ${start + 1}`));
    const seen = collect(bus, a, start);
    await waitUntil(() => seen.closed === 1, 5_000, "onClose");
    expect(seen.seqs).toEqual([]);
  });

  it("stops at a hole in the middle of a batch instead of handing over the events after it", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    await appendMany(db.db, a, 3);
    await withSystem(db.db, (tx) => tx.delete(events).where(sql`${events.restaurantId} = ${a} and ${events.seq} = ${start + 2}`));
    const seen = collect(bus, a, start);
    await waitUntil(() => seen.closed === 1, 5_000, "onClose");
    expect(seen.seqs).toEqual([start + 1]);
  });

  it("replays since a seq, and says when the client is too far behind", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    await appendMany(db.db, a, 5);
    expect(await bus.currentSeq(a)).toBe(start + 5);

    const replay = await bus.readSince(a, start + 2, 3);
    expect(replay.tooFarBehind).toBe(false);
    expect(replay.events.map((e) => e.seq)).toEqual([start + 3, start + 4, start + 5]);
    expect(replay.events.every((e) => e.restaurantId === a && e.type === "test")).toBe(true);

    expect(await bus.readSince(a, start + 1, 3)).toEqual({ events: [], tooFarBehind: true });
    expect(await bus.readSince(a, start + 5, 3)).toEqual({ events: [], tooFarBehind: false });
  });

  it("calls it too far behind when the events to replay are gone", async () => {
    const { bus } = openBus();
    const start = await bus.currentSeq(a);
    await appendMany(db.db, a, 3);
    await withSystem(db.db, (tx) => tx.delete(events).where(sql`${events.restaurantId} = ${a} and ${events.seq} = ${start + 1}`));
    expect((await bus.readSince(a, start, 10)).tooFarBehind).toBe(true);
    expect((await bus.readSince(a, start + 1, 10)).events.map((e) => e.seq)).toEqual([start + 2, start + 3]);
  });

  it("reads each restaurant's seq under its own tenancy", async () => {
    const { bus } = openBus();
    const seqA = await bus.currentSeq(a);
    await append(db.db, b);
    expect(await bus.currentSeq(a)).toBe(seqA);
    expect(await bus.currentSeq("7f0c2f63-3c39-4a8e-8f7e-3f1a9d6b2e11")).toBe(0);
  });

  it("refuses a malformed restaurant id or seq instead of failing in the database later", () => {
    const { bus } = openBus();
    expect(() => bus.subscribe("a'; drop table events", 0, () => {})).toThrow(TypeError);
    expect(() => bus.subscribe(a, -1, () => {})).toThrow(TypeError);
    expect(() => bus.subscribe(a, 1.5, () => {})).toThrow(TypeError);
  });

  it("on close ends every subscription and delivers nothing more", async () => {
    const { bus } = openBus({ pollMs: 50 });
    const start = await bus.currentSeq(a);
    const seenA = collect(bus, a, start);
    const seenB = collect(bus, b, await bus.currentSeq(b));
    await bus.close();
    expect([seenA.closed, seenB.closed]).toEqual([1, 1]);
    await append(db.db, a);
    await Bun.sleep(200);
    expect(seenA.seqs).toEqual([]);
    const late = collect(bus, a, start);
    await Bun.sleep(10);
    expect(late.closed).toBe(1);
  });
});

/** A lost doorbell: the event row and the seq bump, committed without NOTIFY. */
async function appendSilently(db: Db, restaurantId: string, seq: number): Promise<void> {
  await withSystem(db, async (tx) => {
    await tx.update(restaurants).set({ eventSeq: seq }).where(eq(restaurants.id, restaurantId));
    await tx.insert(events).values({ restaurantId, seq, type: "silent", data: {} });
  });
}

/** The same database, with its transactions counted and (once a gate is set) held: real queries, observed. */
function countingDatabase(database: Database) {
  const counter = { reads: 0, gate: Promise.resolve(), database };
  const db = new Proxy(database.db, {
    get(target, key, receiver) {
      if (key !== "transaction") return Reflect.get(target, key, receiver);
      return async (...args: Parameters<Db["transaction"]>) => {
        counter.reads++;
        await counter.gate;
        return target.transaction(...args);
      };
    },
  });
  counter.database = { ...database, db };
  return counter;
}
