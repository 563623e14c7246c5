import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { makeStaff } from "../helpers/auth";
import { seedDemo } from "../../src/restaurants/demo";
import { setItemAvailability } from "../../src/menu/service";
import { applyDiscount, businessDate, fireOrder, placeOrder, removeLine, transitionOrder, type OrderActor } from "../../src/orders/service";
import { bumpAtStation, recallAtStation } from "../../src/kitchen/service";
import type { NewLine } from "../../src/orders/validation";

/**
 * One known business day, Saturday 2026-10-31 in New York, built through the real order engine and then
 * moved to fixed times. The day starts at 04:00 and US daylight saving ends during it (02:00 EDT becomes
 * 01:00 EST on Sunday 1 November), so the business day is 25 hours long and runs past midnight.
 * Every expected figure in figures.test.ts is worked out by hand from these orders.
 */
export const TZ = "America/New_York";
export const DAY = "2026-10-31";

export async function buildKnownDay(db: Db, slug: string) {
  const rid = (await seedDemo(db, testConfig().pinPepper, slug)).restaurant.id;
  const m = await demoMenu(db, rid);
  const server = await makeStaff(db, rid, "server");
  const manager = await makeStaff(db, rid, "manager");
  const S: OrderActor = { actor: "server", userId: server.user.id, deviceId: null };
  const M: OrderActor = { actor: "manager", userId: manager.user.id, deviceId: null };
  const api: OrderActor = { actor: "integration", userId: null, deviceId: null };
  const line = (name: string, quantity = 1, options: [string, string][] = []): NewLine => ({
    menuItemId: m.item(name).id, quantity, modifierOptionIds: options.map(([item, option]) => m.option(item, option)),
  });
  const place = async (who: OrderActor, type: "dine_in" | "takeout" | "kiosk", guests: number | null, items: NewLine[], fire = true) =>
    (await placeOrder(db, rid, { type, table: type === "dine_in" ? "7" : null, guests, note: null, items, fire, idempotencyKey: null }, who, null)).order;
  const stationId = async (slug: string) => (await withSystem(db, (tx) => tx.execute(sql`select id from stations where restaurant_id = ${rid} and slug = ${slug}`)) as unknown as { id: string }[] | { rows: { id: string }[] });
  const station = async (slug: string) => { const r = await stationId(slug); return (Array.isArray(r) ? r : r.rows)[0]!.id; };
  const exec = (q: ReturnType<typeof sql>) => withSystem(db, (tx) => tx.execute(q));

  /** Moves an order, its lines, their station rows and its audit entries to a fixed instant. */
  const at = async (orderId: string, iso: string) => {
    const when = new Date(iso);
    const bd = businessDate(when, TZ, 4);
    await exec(sql`update orders set created_at = ${iso}::timestamptz, updated_at = ${iso}::timestamptz, business_date = ${bd}::date where restaurant_id = ${rid} and id = ${orderId}`);
    await exec(sql`update order_items set created_at = ${iso}::timestamptz, business_date = ${bd}::date,
      fired_at = case when fired_at is not null then ${iso}::timestamptz end,
      voided_at = case when voided_at is not null then ${iso}::timestamptz + interval '10 minutes' end
      where restaurant_id = ${rid} and order_id = ${orderId}`);
    await exec(sql`update audit_log set created_at = ${iso}::timestamptz + interval '10 minutes' where restaurant_id = ${rid} and data->>'orderId' = ${orderId}`);
  };
  const bumped = async (orderId: string, slug: string, iso: string, minutes: number) => {
    const sid = await station(slug);
    await bumpAtStation(db, rid, sid, orderId, "all", M);
    await exec(sql`update order_item_stations set bumped_at = ${iso}::timestamptz + make_interval(mins => ${minutes}::int)
      where restaurant_id = ${rid} and order_id = ${orderId} and station_id = ${sid}`);
  };

  // O1 12:30 EDT, dine in, 2 guests: Classic Burger (medium, fries, bacon) 15.45 + 2 Draft Lager 14.00.
  const o1 = await place(S, "dine_in", 2, [line("Classic Burger", 1, [["Classic Burger", "Medium"], ["Classic Burger", "Fries"], ["Classic Burger", "Bacon"]]), line("Draft Lager", 2)]);
  // O2 23:50 EDT, 3 guests: Wings 11.50, 2 Onion Rings 11.00 (voided after firing), Apple Pie 6.50.
  const o2 = await place(S, "dine_in", 3, [line("Wings (8)"), line("Onion Rings", 2), line("Apple Pie")]);
  const rings = o2.lines.find((l) => l.name === "Onion Rings")!;
  await removeLine(db, rid, o2.id, rings.id, null, S, { reason: "Dropped", overrideBy: { userId: manager.user.id, actor: "manager" } });
  // O3 00:30 EDT (after midnight, same business day), takeout: Caesar 11.00, House Red 9.00, Brownie 7.50, 15% off.
  const o3 = await place(S, "takeout", null, [line("Caesar Salad"), line("House Red"), line("Brownie Sundae")]);
  await applyDiscount(db, rid, o3.id, null, { kind: "percent", bps: 1500 }, "Regular", M);
  // O4 01:30 EDT (the first 01:30), 1 guest: 2 small Colas.
  const o4 = await place(S, "dine_in", 1, [line("Cola", 2, [["Cola", "Small"]])]);
  // O5 01:30 EST (the second 01:30), through the API: large Fries.
  const o5 = await place(api, "takeout", null, [line("Fries", 1, [["Fries", "Large"]])]);
  // O6 03:59 EST, kiosk: Apple Pie.
  const o6 = await place(api, "kiosk", null, [line("Apple Pie")]);
  // O7 04:05 EST: the next business day. O8 03:59 EDT on Saturday: the day before.
  const o7 = await place(S, "dine_in", 1, [line("Brownie Sundae")]);
  const o8 = await place(S, "dine_in", 1, [line("Brownie Sundae")]);
  // O9 cancelled after sending; O10 an open ticket never sent.
  const o9 = await place(S, "dine_in", 2, [line("Wings (8)")]);
  await transitionOrder(db, rid, o9.id, "cancelled", null, S, { reason: "guest left", overrideBy: { userId: manager.user.id, actor: "manager" } });
  const o10 = await place(S, "dine_in", 2, [line("Onion Rings")], false);
  // A week before, same weekday: one Draft Lager.
  const o11 = await place(S, "dine_in", 1, [line("Draft Lager")]);

  // Kitchen: bump each ticket, then set its bump time (minutes after firing).
  await bumped(o1.id, "grill", "2026-10-31T16:30:00Z", 10);
  await bumped(o1.id, "fry", "2026-10-31T16:30:00Z", 6);
  await bumped(o1.id, "bar", "2026-10-31T16:30:00Z", 2);
  await bumped(o2.id, "fry", "2026-11-01T03:50:00Z", 15);
  await bumped(o2.id, "cold", "2026-11-01T03:50:00Z", 4);
  await bumped(o3.id, "cold", "2026-11-01T04:30:00Z", 5);
  await bumped(o3.id, "bar", "2026-11-01T04:30:00Z", 1);
  await bumpAtStation(db, rid, await station("bar"), o4.id, "all", M);
  await recallAtStation(db, rid, await station("bar"), o4.id, M);
  await bumped(o4.id, "bar", "2026-11-01T05:30:00Z", 3);
  await bumped(o5.id, "fry", "2026-11-01T06:30:00Z", 8);
  await bumped(o6.id, "cold", "2026-11-01T08:59:00Z", 13);

  const times: [string, string][] = [
    [o1.id, "2026-10-31T16:30:00Z"], [o2.id, "2026-11-01T03:50:00Z"], [o3.id, "2026-11-01T04:30:00Z"], [o4.id, "2026-11-01T05:30:00Z"],
    [o5.id, "2026-11-01T06:30:00Z"], [o6.id, "2026-11-01T08:59:00Z"], [o7.id, "2026-11-01T09:05:00Z"], [o8.id, "2026-10-31T07:59:00Z"],
    [o9.id, "2026-10-31T18:00:00Z"], [o10.id, "2026-10-31T19:00:00Z"], [o11.id, "2026-10-24T17:00:00Z"],
  ];
  for (const [id, iso] of times) await at(id, iso);
  // The recall of O4's bar ticket happened at 01:35 EDT.
  await exec(sql`update audit_log set created_at = '2026-11-01T05:35:00Z' where restaurant_id = ${rid} and action = 'kitchen.recall'`);

  // 86s: Apple Pie out 18:00-19:30 EDT; Brownie out since Friday evening, back 05:00 EDT; Cola out 03:00 EST to the end.
  const eightySix = async (name: string, available: boolean, iso: string) => {
    await setItemAvailability(db, rid, m.item(name).id, available, { userId: manager.user.id, deviceId: null });
    await exec(sql`update audit_log set created_at = ${iso}::timestamptz where restaurant_id = ${rid} and id = (
      select id from audit_log where restaurant_id = ${rid} and action like 'menu.item.%' order by created_at desc limit 1)`);
  };
  await eightySix("Brownie Sundae", false, "2026-10-30T20:00:00Z");
  await eightySix("Brownie Sundae", true, "2026-10-31T09:00:00Z");
  await eightySix("Apple Pie", false, "2026-10-31T22:00:00Z");
  await eightySix("Apple Pie", true, "2026-10-31T23:30:00Z");
  await eightySix("Cola", false, "2026-11-01T08:00:00Z");

  return { rid, server, manager, orders: { o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, o11 } };
}
