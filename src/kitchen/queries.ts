import { and, asc, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { orderItems, orderItemStations, stations } from "../db/schema";
import type { Tx } from "../db/tenant";

export async function findStation(tx: Tx, restaurantId: string, stationId: string) {
  const [row] = await tx.select().from(stations).where(and(eq(stations.restaurantId, restaurantId), eq(stations.id, stationId)));
  return row ?? null;
}

export async function listActiveStations(tx: Tx, restaurantId: string) {
  return tx.select().from(stations).where(and(eq(stations.restaurantId, restaurantId), eq(stations.active, true))).orderBy(asc(stations.name));
}

/**
 * The orders a station still has something on: a live line there not ready, or a voided line whose VOID
 * no cook there has acknowledged yet (they may be cooking it).
 */
export async function activeOrderIdsAtStation(tx: Tx, restaurantId: string, stationId: string | null) {
  const rows = await tx.selectDistinct({ orderId: orderItemStations.orderId }).from(orderItemStations)
    .innerJoin(orderItems, and(eq(orderItems.restaurantId, orderItemStations.restaurantId), eq(orderItems.id, orderItemStations.orderItemId)))
    .where(and(
      eq(orderItemStations.restaurantId, restaurantId),
      stationId ? eq(orderItemStations.stationId, stationId) : undefined,
      or(
        and(sql`${orderItemStations.status} <> 'ready'`, isNull(orderItems.voidedAt)),
        and(isNotNull(orderItems.voidedAt), isNull(orderItemStations.voidAckedAt)),
      ),
    ));
  return rows.map((r) => r.orderId);
}

/** Recall reaches back this far: a ticket bumped yesterday is history, not a mistake to undo. */
export const RECALL_WINDOW_HOURS = 12;

/** The orders whose tickets this station bumped most recently (for recall), newest first, from recent ones only. */
export async function recentlyBumpedOrderIds(tx: Tx, restaurantId: string, stationId: string, limit: number) {
  const rows = await tx.select({ orderId: orderItemStations.orderId, at: sql<Date>`max(${orderItemStations.bumpedAt})` }).from(orderItemStations)
    .where(and(eq(orderItemStations.restaurantId, restaurantId), eq(orderItemStations.stationId, stationId), eq(orderItemStations.status, "ready"),
      sql`${orderItemStations.bumpedAt} > now() - make_interval(hours => ${RECALL_WINDOW_HOURS})`))
    .groupBy(orderItemStations.orderId)
    .orderBy(sql`max(${orderItemStations.bumpedAt}) desc`)
    .limit(limit);
  return rows.map((r) => r.orderId);
}

/** All-day counts: how many of each item are still waiting at a station (voided lines excluded). */
export async function allDayCounts(tx: Tx, restaurantId: string, stationId: string) {
  return tx.select({ name: sql<string>`coalesce(${orderItems.kitchenName}, ${orderItems.name})`, quantity: sql<number>`sum(${orderItems.quantity})::int` })
    .from(orderItemStations)
    .innerJoin(orderItems, and(eq(orderItems.restaurantId, orderItemStations.restaurantId), eq(orderItems.id, orderItemStations.orderItemId)))
    .where(and(eq(orderItemStations.restaurantId, restaurantId), eq(orderItemStations.stationId, stationId), sql`${orderItemStations.status} <> 'ready'`, isNull(orderItems.voidedAt)))
    .groupBy(sql`coalesce(${orderItems.kitchenName}, ${orderItems.name})`)
    .orderBy(sql`sum(${orderItems.quantity}) desc`, sql`coalesce(${orderItems.kitchenName}, ${orderItems.name})`);
}
