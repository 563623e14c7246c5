import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { seedDemo } from "../../src/restaurants/demo";
import { addItems, applyDiscount, businessDate, fireOrder, holdCourse, placeOrder, removeLine, getOrder, type OrderActor } from "../../src/orders/service";
import { rowsOf } from "../../src/db/client";
import type { NewLine } from "../../src/orders/validation";

describe("order engine", () => {
  let db: TestDatabase;
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  const server: OrderActor = { actor: "server", userId: null, deviceId: null };
  const manager: OrderActor = { actor: "manager", userId: null, deviceId: null };
  const kitchen: OrderActor = { actor: "kitchen", userId: null, deviceId: null };
  const fries = () => ({ menuItemId: m.item("Fries").id, quantity: 1, modifierOptionIds: [m.option("Fries", "Small")] });
  const salad = (course = 1) => ({ menuItemId: m.item("Caesar Salad").id, quantity: 1, course });
  const open = (items: NewLine[] = [fries()]) => placeOrder(db.db, rid, { type: "dine_in", table: "4", guests: 2, items, fire: false, idempotencyKey: null }, server, null);

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    rid = (await seedDemo(db.db, testConfig().pinPepper, "engine")).restaurant.id;
    m = await demoMenu(db.db, rid);
  });
  afterAll(() => db.drop());

  it("keeps an open order off the kitchen until it is sent", async () => {
    const { order } = await open();
    expect(order.status).toBe("open");
    expect(order.lines[0]!.stations).toEqual([]);
    const sent = await fireOrder(db.db, rid, order.id, order.version, server);
    expect(sent.status).toBe("sent");
    expect(sent.lines[0]!.stations.map((s) => s.status)).toEqual(["new"]);
    expect(sent.lines[0]!.fireRound).toBe(1);
  });

  it("holds a course and fires it later as its own round", async () => {
    const { order } = await open([salad(1), { ...fries(), course: 2 }]);
    const held = await holdCourse(db.db, rid, order.id, order.version, 2, true, server);
    const sent = await fireOrder(db.db, rid, order.id, held.version, server);
    expect(sent.lines.find((l) => l.course === 2)!.firedAt).toBeNull();
    const later = await fireOrder(db.db, rid, order.id, sent.version, server, { course: 2 });
    const main = later.lines.find((l) => l.course === 2)!;
    expect(main.firedAt).not.toBeNull();
    expect(main.fireRound).toBe(2);
    await expect(fireOrder(db.db, rid, order.id, later.version, server)).rejects.toThrow("Nothing is waiting to be sent");
  });

  it("adds items to a sent order and fires them as an addition", async () => {
    const { order } = await open();
    const sent = await fireOrder(db.db, rid, order.id, order.version, server);
    const added = await addItems(db.db, rid, order.id, sent.version, [salad()], server);
    expect(added.lines).toHaveLength(2);
    expect(added.subtotalCents).toBe(sent.subtotalCents + 1100);
    const fired = await fireOrder(db.db, rid, order.id, added.version, server);
    expect(fired.lines[1]!.fireRound).toBe(2);
  });

  it("refuses a stale version so two screens cannot overwrite each other", async () => {
    const { order } = await open();
    await addItems(db.db, rid, order.id, order.version, [salad()], server);
    await expect(addItems(db.db, rid, order.id, order.version, [salad()], server)).rejects.toThrow("Someone else changed this order");
    expect((await getOrder(db.db, rid, order.id)).lines).toHaveLength(2);
  });

  it("removes an unfired line for free", async () => {
    const { order } = await open([fries(), salad()]);
    const after = await removeLine(db.db, rid, order.id, order.lines[1]!.id, order.version, server);
    expect(after.lines).toHaveLength(1);
    expect(after.subtotalCents).toBe(order.subtotalCents - 1100);
  });

  it("refuses a server's void of a fired item, and accepts it with a manager's override and a reason", async () => {
    const { order } = await open([fries(), salad()]);
    const sent = await fireOrder(db.db, rid, order.id, order.version, server);
    const line = sent.lines[1]!;
    await expect(removeLine(db.db, rid, order.id, line.id, sent.version, server, { reason: "guest changed mind" })).rejects.toThrow("a manager must approve");
    await expect(removeLine(db.db, rid, order.id, line.id, sent.version, kitchen, { reason: "x" })).rejects.toThrow();
    await expect(removeLine(db.db, rid, order.id, line.id, sent.version, manager, { reason: "  " })).rejects.toThrow("Say why");
    const voided = await removeLine(db.db, rid, order.id, line.id, sent.version, server, { reason: "guest changed mind", overrideBy: { userId: null as unknown as string, actor: "manager" } });
    const v = voided.lines.find((l) => l.id === line.id)!;
    expect(v.voidedAt).not.toBeNull();
    expect(v.voidReason).toBe("guest changed mind");
    expect(voided.subtotalCents).toBe(sent.subtotalCents - 1100);
    const audit = rowsOf<{ action: string }>(await db.db.execute(sql`select action from audit_log where restaurant_id = ${rid} and data->>'lineId' = ${line.id}`));
    expect(audit.map((a) => a.action)).toEqual(["order.void_override"]);
    await expect(removeLine(db.db, rid, order.id, line.id, voided.version, manager, { reason: "again" })).rejects.toThrow("already void");
  });

  it("applies a discount only for a manager, with a reason, and re-prices tax", async () => {
    const { order } = await open([salad()]);
    await expect(applyDiscount(db.db, rid, order.id, order.version, { kind: "percent", bps: 1000 }, "regular", server)).rejects.toThrow("Discounts need a manager");
    await expect(applyDiscount(db.db, rid, order.id, order.version, { kind: "percent", bps: 1000 }, "", manager)).rejects.toThrow("Say why");
    await expect(applyDiscount(db.db, rid, order.id, order.version, { kind: "percent", bps: 20000 }, "x", manager)).rejects.toThrow("between");
    const d = await applyDiscount(db.db, rid, order.id, order.version, { kind: "percent", bps: 1000 }, "regular guest", manager);
    expect(d.discountCents).toBe(110);
    expect(d.taxCents).toBe(Math.floor(((1100 - 110) * 875 + 5000) / 10000));
    expect(d.totalCents).toBe(990 + d.taxCents);
  });

  it("writes an event with the next seq for every change", async () => {
    const before = rowsOf<{ s: number }>(await db.db.execute(sql`select event_seq::int as s from restaurants where id = ${rid}`))[0]!.s;
    const { order } = await open();
    await fireOrder(db.db, rid, order.id, order.version, server);
    const events = rowsOf<{ seq: number; type: string }>(await db.db.execute(sql`select seq::int, type from events where restaurant_id = ${rid} and seq > ${before} order by seq`));
    expect(events.map((e) => e.type)).toEqual(["order.created", "order.fired"]);
    expect(events.map((e) => e.seq)).toEqual([before + 1, before + 2]);
  });

  it("numbers orders per business day in the restaurant's time zone", () => {
    // 02:00 in New York on the 5th is still the 4th's business day when the day starts at 04:00.
    expect(businessDate(new Date("2026-03-05T07:00:00Z"), "America/New_York", 4)).toBe("2026-03-04");
    expect(businessDate(new Date("2026-03-05T10:00:00Z"), "America/New_York", 4)).toBe("2026-03-05");
  });
});
