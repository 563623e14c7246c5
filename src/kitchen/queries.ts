import { and, asc, eq } from "drizzle-orm";
import { stations } from "../db/schema";
import type { Tx } from "../db/tenant";

export async function findStation(tx: Tx, restaurantId: string, stationId: string) {
  const [row] = await tx.select().from(stations).where(and(eq(stations.restaurantId, restaurantId), eq(stations.id, stationId)));
  return row ?? null;
}

export async function listActiveStations(tx: Tx, restaurantId: string) {
  return tx.select().from(stations).where(and(eq(stations.restaurantId, restaurantId), eq(stations.active, true))).orderBy(asc(stations.name));
}
