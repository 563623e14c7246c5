import { and, eq, isNull, sql } from "drizzle-orm";
import { apiKeys, devices, memberships, restaurants, sessions, users } from "../db/schema";
import type { Tx } from "../db/tenant";

// Resolution runs before the restaurant is known, so these use the owner connection (withSystem)
// and look rows up by the hash of an unguessable token, never by a guessable id.

export async function findLiveSession(tx: Tx, tokenHash: string) {
  const [row] = await tx.select().from(sessions).where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
  return row ?? null;
}

export async function touchSession(tx: Tx, id: string) {
  await tx.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
}

export async function insertSession(tx: Tx, values: typeof sessions.$inferInsert) {
  const [row] = await tx.insert(sessions).values(values).returning();
  return row!;
}

export async function revokeSessionById(tx: Tx, id: string) {
  await tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

export async function revokeSessionsOfUser(tx: Tx, userId: string) {
  await tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

export async function setSessionRestaurant(tx: Tx, id: string, restaurantId: string) {
  await tx.update(sessions).set({ restaurantId }).where(eq(sessions.id, id));
}

export async function findLiveDevice(tx: Tx, tokenHash: string) {
  const [row] = await tx.select().from(devices).where(and(eq(devices.tokenHash, tokenHash), isNull(devices.revokedAt)));
  return row ?? null;
}

export async function findLiveApiKey(tx: Tx, keyHash: string) {
  const [row] = await tx.select().from(apiKeys).where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

export async function findUserById(tx: Tx, id: string) {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findUserByEmail(tx: Tx, email: string) {
  const [row] = await tx.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row ?? null;
}

export async function findActiveMembership(tx: Tx, restaurantId: string, userId: string) {
  const [row] = await tx.select().from(memberships)
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.userId, userId), eq(memberships.active, true)));
  return row ?? null;
}

/** The restaurants a user may choose from after signing in. */
export async function listMembershipsOfUser(tx: Tx, userId: string) {
  return tx.select({ restaurantId: restaurants.id, name: restaurants.name, slug: restaurants.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(restaurants, eq(restaurants.id, memberships.restaurantId))
    .where(and(eq(memberships.userId, userId), eq(memberships.active, true)))
    .orderBy(restaurants.name);
}

export async function findRestaurant(tx: Tx, id: string) {
  const [row] = await tx.select().from(restaurants).where(eq(restaurants.id, id));
  return row ?? null;
}
