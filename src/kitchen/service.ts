import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { notFound } from "../http/errors";
import * as q from "./queries";

export type Station = NonNullable<Awaited<ReturnType<typeof q.findStation>>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The station a KDS shows; another restaurant's station or an unknown id is simply not found. */
export async function getStation(db: Db, restaurantId: string, stationId: string): Promise<Station> {
  if (!UUID.test(stationId)) throw notFound("No such kitchen station");
  const station = await withTenant(db, restaurantId, (tx) => q.findStation(tx, restaurantId, stationId));
  if (!station) throw notFound("No such kitchen station");
  return station;
}

export const listStations = (db: Db, restaurantId: string) => withTenant(db, restaurantId, (tx) => q.listActiveStations(tx, restaurantId));
