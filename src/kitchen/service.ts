import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { conflict, forbidden, notFound, type HttpError } from "../http/errors";
import { allows } from "../auth/permissions";
import { recordAudit } from "../audit/service";
import { applyOrderChange, stationProgress, viewsByIds, type OrderActor, type OrderView } from "../orders/service";
import type { Principal } from "../auth/service";
import * as q from "./queries";
import { UUID } from "../ids";

export type Station = NonNullable<Awaited<ReturnType<typeof q.findStation>>>;


/** The station a KDS shows; another restaurant's station or an unknown id is simply not found. */
export async function getStation(db: Db, restaurantId: string, stationId: string): Promise<Station> {
  if (!UUID.test(stationId)) throw notFound("No such kitchen station");
  const station = await withTenant(db, restaurantId, (tx) => q.findStation(tx, restaurantId, stationId));
  if (!station) throw notFound("No such kitchen station");
  return station;
}

export const listStations = (db: Db, restaurantId: string) => withTenant(db, restaurantId, (tx) => q.listActiveStations(tx, restaurantId));

/** A screen of the kitchen side: one station's display, the pass, or the customers' board. */
export type KitchenScreen = { kind: "kds"; stationId: string } | { kind: "expo" } | { kind: "board" };

/**
 * A pinless screen with nobody signed on is its enrolment and nothing more: a kitchen display sees and
 * changes its own station only, an expo screen the pass, a board the board. A person signed on by PIN
 * at the same screen acts with their own role, and may switch stations as that role allows.
 */
export function screenRefusal(p: Principal, screen: KitchenScreen): HttpError | null {
  if (p.actor !== "device" || !p.device) return null;
  const device = p.device;
  if (device.kind === screen.kind && (screen.kind !== "kds" || device.stationId === screen.stationId)) return null;
  const own = device.kind === "kds" ? "its own station" : device.kind === "expo" ? "expo" : device.kind === "board" ? "the order-ready board" : "nothing on the kitchen side";
  return forbidden(`This screen is enrolled to show ${own}. Sign on with your PIN to use another station.`);
}

export function assertScreen(p: Principal, screen: KitchenScreen): void {
  const refusal = screenRefusal(p, screen);
  if (refusal) throw refusal;
}

/** Where a pinless screen belongs (null for a person, who chooses). */
export function homeOf(p: Principal): string | null {
  if (p.actor !== "device" || !p.device) return null;
  const d = p.device;
  return d.kind === "kds" && d.stationId ? `/kds/${d.stationId}` : d.kind === "expo" ? "/expo" : d.kind === "board" ? "/board" : null;
}

/**
 * A kitchen bump: lines of one order at one station become ready ("all" bumps the whole ticket). The
 * order's own status follows its lines. Bumping what is already ready or void is refused.
 */
export async function bumpAtStation(db: Db, restaurantId: string, stationId: string, orderId: string, lineIds: string[] | "all", who: OrderActor) {
  if (!allows(who.actor, "kitchen.bump")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, null, "kitchen.bumped", async (tx, order) => {
    const here = order.lines.filter((l) => l.stations.some((s) => s.stationId === stationId));
    if (!here.length) throw notFound("This order has nothing at this station");
    const wanted = lineIds === "all" ? here.filter((l) => !l.voidedAt) : here.filter((l) => lineIds.includes(l.id));
    if (lineIds !== "all" && wanted.length !== lineIds.length) throw notFound("No such item on this ticket");
    if (wanted.some((l) => l.voidedAt)) throw conflict("That item was voided; there is nothing to bump", "lineId");
    const changed = await stationProgress.set(tx, restaurantId, stationId, wanted.map((l) => l.id), "ready");
    if (!changed.length) throw conflict(lineIds === "all" ? "This ticket was already bumped" : "That item was already bumped", "lineId");
    await stationProgress.startRest(tx, restaurantId, stationId, order.id);
    return { event: { stationId, lineIds: changed } };
  });
}

/** Recall: the station's most recently bumped ticket comes back (or a named one), and it is audited. */
export async function recallAtStation(db: Db, restaurantId: string, stationId: string, orderId: string | null, who: OrderActor) {
  if (!allows(who.actor, "orders.recall")) throw forbidden();
  const target = orderId ?? (await withTenant(db, restaurantId, (tx) => q.recentlyBumpedOrderIds(tx, restaurantId, stationId, 1)))[0];
  if (!target) throw conflict("Nothing has been bumped at this station yet", "orderId");
  return applyOrderChange(db, restaurantId, target, null, "kitchen.recalled", async (tx, order) => {
    if (order.status === "completed" || order.status === "cancelled") throw conflict(`Order #${order.number} is ${order.status}; recall it at expo first`, "orderId");
    const lines = order.lines.filter((l) => !l.voidedAt && l.stations.some((s) => s.stationId === stationId && s.status === "ready"));
    if (!lines.length) throw conflict("That ticket is not bumped at this station", "orderId");
    await stationProgress.set(tx, restaurantId, stationId, lines.map((l) => l.id), "new");
    await recordAudit(tx, { restaurantId, action: "kitchen.recall", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data: { orderId: order.id, number: order.number, stationId } });
    return { event: { stationId, lineIds: lines.map((l) => l.id) } };
  });
}

/**
 * A cook at a station has seen the VOID on a ticket: its voided lines there leave the screen (and the
 * ticket with them, when nothing else is left to cook). Audited: who saw the void, and when.
 */
export async function acknowledgeVoids(db: Db, restaurantId: string, stationId: string, orderId: string, who: OrderActor) {
  if (!allows(who.actor, "kitchen.bump")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, null, "kitchen.void_acknowledged", async (tx, order) => {
    const voided = order.lines.filter((l) => l.voidedAt && l.stations.some((s) => s.stationId === stationId && !s.voidAcked));
    if (!voided.length) throw conflict("There is no unacknowledged VOID on this ticket here", "orderId");
    await stationProgress.acknowledgeVoids(tx, restaurantId, stationId, voided.map((l) => l.id));
    await recordAudit(tx, {
      restaurantId, action: "kitchen.void_acknowledged", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId: order.id, number: order.number, stationId, lineIds: voided.map((l) => l.id) },
    });
    return { event: { stationId, lineIds: voided.map((l) => l.id) } };
  });
}

/** Tickets with work left at a station (or anywhere, for expo), oldest first, with their lines. */
export async function loadKitchenOrders(db: Db, restaurantId: string, stationId: string | null): Promise<OrderView[]> {
  return withTenant(db, restaurantId, async (tx) => {
    const ids = await q.activeOrderIdsAtStation(tx, restaurantId, stationId);
    return viewsByIds(tx, restaurantId, ids);
  });
}

export type AllDay = { name: string; quantity: number }[];

export async function loadAllDay(db: Db, restaurantId: string, stationId: string): Promise<AllDay> {
  return withTenant(db, restaurantId, (tx) => q.allDayCounts(tx, restaurantId, stationId));
}
