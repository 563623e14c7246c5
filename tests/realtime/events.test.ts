import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { events, restaurants } from "../../src/db/schema";
import { withSystem, withTenant } from "../../src/db/tenant";
import { appendEvent, EVENTS_CHANNEL } from "../../src/realtime/events";
import { parseDoorbell } from "../../src/realtime/bus";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { addRestaurant, append, range, waitUntil } from "./helpers";

describe.each(DRIVERS)("event sequence on %s", (driver) => {
  let db: TestDatabase;
  let a: string;
  let b: string;
  const doorbells: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    a = await addRestaurant(db.db, "a");
    b = await addRestaurant(db.db, "b");
    await db.listen(EVENTS_CHANNEL, (payload) => doorbells.push(payload), () => {});
  });
  afterAll(() => db.drop());

  it("hands out 1..50 exactly once to 50 concurrent transactions, and rings the doorbells in seq order", async () => {
    doorbells.length = 0;
    const seqs = await Promise.all(range(1, 50).map((i) => append(db.db, a, "test", { i })));
    expect([...seqs].sort((x, y) => x - y)).toEqual(range(1, 50));

    const rows = await withTenant(db.db, a, (tx) => tx.select().from(events).where(eq(events.restaurantId, a)).orderBy(asc(events.seq)));
    expect(rows.map((row) => row.seq)).toEqual(range(1, 50));
    // Postgres delivers notifications in commit order, so ascending seqs prove seq order is commit order.
    await waitUntil(() => doorbells.length >= 50, 5_000, "50 doorbells");
    expect(doorbells.map((payload) => parseDoorbell(payload))).toEqual(range(1, 50).map((seq) => ({ restaurantId: a, seq })));
  });

  it("reuses the seq of a rolled-back transaction, leaving no gap", async () => {
    const before = await append(db.db, b);
    const failed = withTenant(db.db, b, async (tx) => {
      await appendEvent(tx, b, "station.created", { stationId: "doomed" });
      throw new Error("rollback");
    });
    await expect(failed).rejects.toThrow("rollback");
    expect(await append(db.db, b)).toBe(before + 1);
    const [row] = await withSystem(db.db, (tx) => tx.select({ seq: restaurants.eventSeq }).from(restaurants).where(eq(restaurants.id, b)));
    expect(row!.seq).toBe(before + 1);
  });

  it("refuses to append for another restaurant than the transaction's own", async () => {
    const attempt = withTenant(db.db, a, (tx) => appendEvent(tx, b, "station.created", { stationId: "sneaky" }));
    await expect(attempt).rejects.toThrow();
  });
});
