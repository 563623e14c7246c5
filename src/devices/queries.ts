import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { devices, stations, users } from "../db/schema";
import type { Tx } from "../db/tenant";

// Tenant-scoped: every function takes the restaurant and filters every statement on it (RLS is the second wall).

export async function listStations(tx: Tx, restaurantId: string) {
  return tx.select().from(stations).where(eq(stations.restaurantId, restaurantId)).orderBy(asc(stations.name));
}

export async function findStation(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.select().from(stations).where(and(eq(stations.restaurantId, restaurantId), eq(stations.id, id)));
  return row ?? null;
}

export async function insertStation(tx: Tx, values: typeof stations.$inferInsert) {
  const [row] = await tx.insert(stations).values(values).returning();
  return row!;
}

export async function setStationActive(tx: Tx, restaurantId: string, id: string, active: boolean) {
  const [row] = await tx.update(stations).set({ active }).where(and(eq(stations.restaurantId, restaurantId), eq(stations.id, id))).returning();
  return row ?? null;
}

const enroller = alias(users, "enroller");

/** Every device ever enrolled here, live ones first, with its station and who enrolled it. */
export async function listDevices(tx: Tx, restaurantId: string) {
  return tx.select({
    id: devices.id, name: devices.name, kind: devices.kind, pinless: devices.pinless, lastSeenAt: devices.lastSeenAt,
    revokedAt: devices.revokedAt, createdAt: devices.createdAt, stationName: stations.name, enrolledBy: enroller.name,
  }).from(devices)
    .leftJoin(stations, and(eq(stations.restaurantId, devices.restaurantId), eq(stations.id, devices.stationId)))
    .leftJoin(enroller, eq(enroller.id, devices.enrolledBy))
    .where(eq(devices.restaurantId, restaurantId))
    .orderBy(sql`${devices.revokedAt} is not null`, desc(devices.createdAt));
}

export async function findDevice(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.select().from(devices).where(and(eq(devices.restaurantId, restaurantId), eq(devices.id, id)));
  return row ?? null;
}

export async function insertDevice(tx: Tx, values: typeof devices.$inferInsert) {
  const [row] = await tx.insert(devices).values(values).returning();
  return row!;
}

/** Revokes a live device; null if it is not here or already revoked. */
export async function revokeDevice(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.update(devices).set({ revokedAt: sql`now()` })
    .where(and(eq(devices.restaurantId, restaurantId), eq(devices.id, id), isNull(devices.revokedAt))).returning();
  return row ?? null;
}

export async function renameStation(tx: Tx, restaurantId: string, id: string, name: string) {
  await tx.update(stations).set({ name }).where(and(eq(stations.restaurantId, restaurantId), eq(stations.id, id)));
}
