import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { forbidden, notFound, type HttpError } from "../http/errors";
import type { Principal } from "../auth/service";
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
