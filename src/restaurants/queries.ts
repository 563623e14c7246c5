import { eq, sql } from "drizzle-orm";
import { apiKeys, restaurants } from "../db/schema";
import type { Tx } from "../db/tenant";

export async function findRestaurantBySlug(tx: Tx, slug: string) {
  const [row] = await tx.select().from(restaurants).where(eq(restaurants.slug, slug));
  return row ?? null;
}

export async function findRestaurantById(tx: Tx, id: string) {
  const [row] = await tx.select().from(restaurants).where(eq(restaurants.id, id));
  return row ?? null;
}

export async function countRestaurants(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(restaurants);
  return Number(row?.n ?? 0);
}

export async function insertRestaurant(tx: Tx, values: typeof restaurants.$inferInsert) {
  const [row] = await tx.insert(restaurants).values(values).returning();
  return row!;
}




export async function insertApiKey(tx: Tx, values: typeof apiKeys.$inferInsert) {
  const [row] = await tx.insert(apiKeys).values(values).returning();
  return row!;
}

/** The settings a manager may change after creation (name, time zone, business day, tax, ticket ageing). */
export type RestaurantSettings = Pick<typeof restaurants.$inferSelect, "name" | "timeZone" | "dayStartsAtHour" | "taxRateBps" | "taxInclusive" | "ageThresholds">;

export async function updateRestaurantSettings(tx: Tx, restaurantId: string, values: RestaurantSettings) {
  await tx.update(restaurants).set(values).where(eq(restaurants.id, restaurantId));
}
