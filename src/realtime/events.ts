import { eq, sql } from "drizzle-orm";
import { events, restaurants } from "../db/schema";
import type { Tx } from "../db/tenant";
import type { EventData, EventType } from "./catalogue";

export const EVENTS_CHANNEL = "ros_events";

/**
 * Appends one event inside the caller's transaction. The UPDATE's row lock on the restaurant makes seq
 * gap-free and in commit order per restaurant; NOTIFY is delivered only if the transaction commits.
 * The payload is `restaurantId:seq`, a doorbell: listeners read the rows themselves.
 */
export async function appendEvent<K extends EventType>(tx: Tx, restaurantId: string, type: K, data: EventData<K>): Promise<number> {
  const [row] = await tx
    .update(restaurants)
    .set({ eventSeq: sql`${restaurants.eventSeq} + 1` })
    .where(eq(restaurants.id, restaurantId))
    .returning({ seq: restaurants.eventSeq });
  if (!row) throw new Error(`appendEvent: restaurant ${restaurantId} not visible in this transaction`);
  await tx.insert(events).values({ restaurantId, seq: row.seq, type, data });
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${`${restaurantId}:${row.seq}`})`);
  return row.seq;
}
