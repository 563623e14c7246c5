import { eq, sql } from "drizzle-orm";
import { memberships, users } from "../db/schema";
import type { Tx } from "../db/tenant";

// People and their memberships are the identity feature's. Creating a restaurant (its owner) and
// adding staff both go through these, inside their own transaction, so a person is written one way.

/** The person with this email, compared case-insensitively (emails are stored lower-case). */
export async function findUserByEmail(tx: Tx, email: string) {
  const [row] = await tx.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row ?? null;
}

export async function insertUser(tx: Tx, values: typeof users.$inferInsert) {
  const [row] = await tx.insert(users).values(values).returning();
  return row!;
}

/**
 * "This membership of the current restaurant holds this PIN digest", as a condition. The tenant role
 * cannot read digests (drizzle/0006); the database compares them (at most one match: a unique index).
 */
export const memberWithPin = (digest: string) => sql`${memberships.id} = membership_with_pin(${digest})`;

export async function insertMembership(tx: Tx, values: typeof memberships.$inferInsert) {
  const [row] = await tx.insert(memberships).values(values).returning();
  return row!;
}
