import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { events, restaurants } from "../db/schema";
import type { Tx } from "../db/tenant";

export type EventRow = typeof events.$inferSelect;

/** Events of one restaurant after a seq, oldest first. */
export async function selectEventsAfter(tx: Tx, restaurantId: string, afterSeq: number, limit: number): Promise<EventRow[]> {
  return tx
    .select()
    .from(events)
    .where(and(eq(events.restaurantId, restaurantId), gt(events.seq, afterSeq)))
    .orderBy(asc(events.seq))
    .limit(limit);
}

/** The last seq handed out for a restaurant (0 before its first event, or when it is not visible). */
export async function selectEventSeq(tx: Tx, restaurantId: string): Promise<number> {
  const [row] = await tx.select({ seq: restaurants.eventSeq }).from(restaurants).where(eq(restaurants.id, restaurantId));
  return row?.seq ?? 0;
}

/**
 * Last seq of many restaurants in one statement, for the bus's safety net. One bind parameter per id:
 * fine far beyond the number of restaurants one process serves (Postgres allows 65535).
 */
export async function selectEventSeqs(tx: Tx, restaurantIds: string[]): Promise<{ id: string; seq: number }[]> {
  return tx.select({ id: restaurants.id, seq: restaurants.eventSeq }).from(restaurants).where(inArray(restaurants.id, restaurantIds));
}
