import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { apiKeys, devices, memberships, restaurants, sessions, users } from "../db/schema";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../db/tenant";
import { memberWithPin } from "./people";

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

/** Each revoke returns the sessions it ended, so the caller can tell their restaurants' live streams. */
export type EndedSession = { id: string; restaurantId: string | null };

export async function revokeSessionById(tx: Tx, id: string): Promise<EndedSession[]> {
  return tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, restaurantId: sessions.restaurantId });
}

export async function revokeSessionsOfUser(tx: Tx, userId: string): Promise<EndedSession[]> {
  return tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, restaurantId: sessions.restaurantId });
}

export async function setSessionRestaurant(tx: Tx, id: string, restaurantId: string) {
  await tx.update(sessions).set({ restaurantId }).where(eq(sessions.id, id));
}

export async function findLiveDevice(tx: Tx, tokenHash: string) {
  const [row] = await tx.select().from(devices).where(and(eq(devices.tokenHash, tokenHash), isNull(devices.revokedAt)));
  return row ?? null;
}

/** Marks a station as seen, at most once a minute so a busy screen does not write on every request. */
export async function touchDevice(tx: Tx, id: string) {
  await tx.update(devices).set({ lastSeenAt: sql`now()` })
    .where(and(eq(devices.id, id), or(isNull(devices.lastSeenAt), lt(devices.lastSeenAt, sql`now() - interval '1 minute'`))));
}

export async function findLiveApiKey(tx: Tx, keyHash: string) {
  const [row] = await tx.select().from(apiKeys).where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

/** Marks an API key as used, at most once a minute (admin shows "last used"). */
export async function touchApiKey(tx: Tx, restaurantId: string, id: string) {
  await tx.update(apiKeys).set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.restaurantId, restaurantId), eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
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

// ---- Invitations: memberships waiting for their person's consent (see staff/service.ts createStaff).

const inviter = alias(users, "inviter");

/** The invitations waiting for this person, with the restaurant and who invited them. */
export async function listInvitationsOfUser(tx: Tx, userId: string) {
  return tx.select({ membershipId: memberships.id, restaurantId: memberships.restaurantId, restaurantName: restaurants.name, role: memberships.role, invitedBy: inviter.name, invitedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(restaurants, eq(restaurants.id, memberships.restaurantId))
    .leftJoin(inviter, eq(inviter.id, memberships.invitedBy))
    .where(and(eq(memberships.userId, userId), eq(memberships.invitationPending, true)))
    .orderBy(memberships.createdAt);
}

/** Turns this person's own invitation into a membership; null if it is not theirs or not pending. */
export async function acceptInvitation(tx: Tx, userId: string, membershipId: string) {
  const [row] = await tx.update(memberships).set({ active: true, invitationPending: false, invitedName: null, updatedAt: sql`now()` })
    .where(and(eq(memberships.id, membershipId), eq(memberships.userId, userId), eq(memberships.invitationPending, true)))
    .returning({ restaurantId: memberships.restaurantId, role: memberships.role });
  return row ?? null;
}

/** Removes this person's own invitation; null if it is not theirs or not pending. */
export async function declineInvitation(tx: Tx, userId: string, membershipId: string) {
  const [row] = await tx.delete(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.userId, userId), eq(memberships.invitationPending, true)))
    .returning({ restaurantId: memberships.restaurantId, invitedName: memberships.invitedName });
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

export async function findSessionById(tx: Tx, id: string) {
  const [row] = await tx.select().from(sessions).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
  return row ?? null;
}

/** Records the TOTP step a code was accepted for; false if that step (or a later one) was already used. */
export async function claimTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
  const rows = await tx.update(users).set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return rows.length === 1;
}

/** Removes one recovery code if the user still has it; false if not (wrong, or already spent). */
export async function spendRecoveryCode(tx: Tx, userId: string, digest: string): Promise<boolean> {
  const rows = await tx.update(users).set({ recoveryCodes: sql`${users.recoveryCodes} - ${digest}::text` })
    .where(and(eq(users.id, userId), sql`jsonb_exists(${users.recoveryCodes}, ${digest}::text)`))
    .returning({ id: users.id });
  return rows.length === 1;
}

export async function updateUser(tx: Tx, id: string, values: Partial<typeof users.$inferInsert>) {
  await tx.update(users).set(values).where(eq(users.id, id));
}

/** Revokes a user's sessions in one restaurant (others they belong to are not this restaurant's to end). */
export async function revokeSessionsInRestaurant(tx: Tx, restaurantId: string, userId: string, kind?: "pin" | "password"): Promise<EndedSession[]> {
  return tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(
    eq(sessions.userId, userId), eq(sessions.restaurantId, restaurantId), isNull(sessions.revokedAt), kind ? eq(sessions.kind, kind) : undefined,
  )).returning({ id: sessions.id, restaurantId: sessions.restaurantId });
}

/** Revokes every session but one (after a password change, the browser that changed it stays in). */
export async function revokeOtherSessions(tx: Tx, userId: string, keepSessionId: string): Promise<EndedSession[]> {
  return tx.update(sessions).set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.id} <> ${keepSessionId}`))
    .returning({ id: sessions.id, restaurantId: sessions.restaurantId });
}

export async function revokeSessionsOfDevice(tx: Tx, restaurantId: string, deviceId: string): Promise<EndedSession[]> {
  return tx.update(sessions).set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.restaurantId, restaurantId), eq(sessions.deviceId, deviceId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, restaurantId: sessions.restaurantId });
}

// ---- PIN sign-on: tenant-scoped (withTenant), every statement filtered on the restaurant. The tenant
// role cannot read PIN digests (drizzle/0006): the database compares them and answers with an id or a yes/no.

const pinCandidate = {
  membershipId: memberships.id, userId: memberships.userId, role: memberships.role, name: users.name,
  lockedUntil: memberships.pinLockedUntil, locked: sql<boolean>`coalesce(${memberships.pinLockedUntil} > now(), false)`,
};

/** The active staff member holding this PIN digest. */
export async function findMemberByPinDigest(tx: Tx, restaurantId: string, digest: string) {
  const [row] = await tx.select(pinCandidate).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.restaurantId, restaurantId), memberWithPin(digest), eq(memberships.active, true)));
  return row ?? null;
}

/** An active staff member with a PIN, and whether this digest is theirs. */
export async function findPinMember(tx: Tx, restaurantId: string, membershipId: string, digest: string) {
  const [row] = await tx.select({ ...pinCandidate, pinMatches: sql<boolean>`membership_pin_matches(${memberships.id}, ${digest})` })
    .from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.id, membershipId), eq(memberships.active, true), eq(memberships.hasPin, true)));
  return row ?? null;
}

/** Staff who can sign on at a station: active, with a PIN. Their names are the tiles on the PIN pad. */
export async function listPinMembers(tx: Tx, restaurantId: string) {
  return tx.select({ membershipId: memberships.id, name: users.name, role: memberships.role }).from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.active, true), eq(memberships.hasPin, true)))
    .orderBy(users.name);
}

/**
 * One more wrong PIN for this person; the fifth in a row locks their PIN for 15 minutes. One statement,
 * so parallel wrong guesses cannot each read "4 failures" and slip past the lock.
 */
export async function recordPinFailure(tx: Tx, restaurantId: string, membershipId: string, maxFailures: number, lockMinutes: number) {
  const [row] = await tx.update(memberships).set({
    pinFailures: sql`case when ${memberships.pinFailures} + 1 >= ${maxFailures}::int then 0 else ${memberships.pinFailures} + 1 end`,
    pinLockedUntil: sql`case when ${memberships.pinFailures} + 1 >= ${maxFailures}::int then now() + make_interval(mins => ${lockMinutes}::int) else ${memberships.pinLockedUntil} end`,
  }).where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.id, membershipId)))
    .returning({ lockedUntil: memberships.pinLockedUntil, locked: sql<boolean>`coalesce(${memberships.pinLockedUntil} > now(), false)` });
  return row ?? null;
}

export async function clearPinFailures(tx: Tx, restaurantId: string, membershipId: string) {
  await tx.update(memberships).set({ pinFailures: 0, pinLockedUntil: null })
    .where(and(eq(memberships.restaurantId, restaurantId), eq(memberships.id, membershipId), or(sql`${memberships.pinFailures} > 0`, isNotNull(memberships.pinLockedUntil))));
}
