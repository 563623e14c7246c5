import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { apiKeys, users } from "../db/schema";
import type { Tx } from "../db/tenant";

// Tenant-scoped: every statement filters on the restaurant (RLS is the second wall).

/** Every key of the restaurant, live ones first, with who made it; never the hash. */
export async function listKeys(tx: Tx, restaurantId: string) {
  return tx.select({
    id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt,
    revokedAt: apiKeys.revokedAt, createdBy: users.name,
  }).from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.restaurantId, restaurantId))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt));
}

export async function findKey(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt })
    .from(apiKeys).where(and(eq(apiKeys.restaurantId, restaurantId), eq(apiKeys.id, id)));
  return row ?? null;
}

export async function insertKey(tx: Tx, values: typeof apiKeys.$inferInsert) {
  const [row] = await tx.insert(apiKeys).values(values).returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  return row!;
}

/** Revokes a live key; null if it is not here or already revoked. */
export async function revokeKey(tx: Tx, restaurantId: string, id: string) {
  const [row] = await tx.update(apiKeys).set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.restaurantId, restaurantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  return row ?? null;
}
