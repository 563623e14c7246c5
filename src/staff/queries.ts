import { and, asc, desc, eq, sql } from "drizzle-orm";
import { memberships, users } from "../db/schema";
import type { Tx } from "../db/tenant";
import { memberWithPin } from "../auth/people";

// Memberships are tenant rows (withTenant, filtered on the restaurant); users are global rows that
// only the owner role may write, so creating a person runs in withSystem with explicit filters.

// Until an invitation is accepted the account is not this restaurant's to see: the row shows the name
// the manager typed and nothing the account itself holds (its name, two-step sign-in, password state).
const pending = memberships.invitationPending;
const staffColumns = {
  membershipId: memberships.id, userId: memberships.userId,
  name: sql<string>`case when ${pending} then ${memberships.invitedName} else ${users.name} end`, email: users.email, role: memberships.role,
  active: memberships.active, invitationPending: memberships.invitationPending, hasPin: memberships.hasPin,
  pinLocked: sql<boolean>`coalesce(${memberships.pinLockedUntil} > now(), false)`, pinLockedUntil: memberships.pinLockedUntil,
  totpEnabled: sql<boolean>`${users.totpEnabled} and not ${pending}`, mustChangePassword: sql<boolean>`${users.mustChangePassword} and not ${pending}`,
  createdAt: memberships.createdAt,
};

export async function listStaff(tx: Tx, restaurantId: string) {
  return tx.select(staffColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.restaurantId, restaurantId))
    .orderBy(desc(memberships.active), asc(staffColumns.name));
}

export async function findStaff(tx: Tx, restaurantId: string, membershipId: string) {
  const [row] = await tx.select(staffColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.id, membershipId)));
  return row ?? null;
}

export async function countActiveOwners(tx: Tx, restaurantId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberships)
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.role, "owner"), eq(memberships.active, true)));
  return Number(row?.n ?? 0);
}

export async function updateMembership(tx: Tx, restaurantId: string, id: string, values: Partial<typeof memberships.$inferInsert>) {
  const [row] = await tx.update(memberships).set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.id, id))).returning({ id: memberships.id });
  return row ?? null;
}

export async function pinTaken(tx: Tx, restaurantId: string, digest: string, exceptMembershipId?: string): Promise<boolean> {
  const rows = await tx.select({ id: memberships.id }).from(memberships)
    .where(and(eq(memberships.restaurantId, restaurantId), memberWithPin(digest)));
  return rows.some((r) => r.id !== exceptMembershipId);
}




/** Removes an invitation nobody accepted (nothing can point at it: it never granted anything). */
export async function deletePendingMembership(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(memberships).where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.id, id), eq(memberships.invitationPending, true)));
}

export async function isMember(tx: Tx, restaurantId: string, userId: string): Promise<boolean> {
  const rows = await tx.select({ id: memberships.id }).from(memberships)
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.userId, userId)));
  return rows.length > 0;
}

/** How many restaurants a person belongs to, invitations they have not accepted aside (run as owner: RLS would hide the others). */
export async function restaurantCountOfUser(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.invitationPending, false)));
  return Number(row?.n ?? 0);
}

export async function setUserPassword(tx: Tx, userId: string, passwordHash: string) {
  await tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, userId));
}
