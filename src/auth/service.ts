import type { Db } from "../db/client";
import { appendEvent } from "../realtime/events";
import { withSystem, withTenant, type Tx } from "../db/tenant";
import type { devices, restaurants } from "../db/schema";
import { generateToken, sha256, verifyPassword } from "./secrets";
import type { Actor, Role } from "./permissions";
import * as q from "./queries";

export type Restaurant = typeof restaurants.$inferSelect;
export type Device = typeof devices.$inferSelect;

/** Who is asking, resolved once per request from the session cookie, the device cookie or the API key. */
export type Principal = {
  restaurant: Restaurant;
  actor: Actor;
  user: { id: string; name: string; email: string | null; role: Role; membershipId: string; mustChangePassword: boolean } | null;
  device: Device | null;
  sessionId: string | null;
  /** "pin": signed on at a station; "password": signed in at the sign-in page; null for a device or an API key. */
  sessionKind: "password" | "pin" | null;
  via: "session" | "device" | "api_key";
  /** The API key a request came with (via "api_key"): revoking it ends that key's open streams. */
  apiKeyId?: string | null;
};

/** A signed-in person who has not chosen a restaurant yet (or is between password and TOTP). */
export type PendingSession = { sessionId: string; userId: string; totpPending: boolean };

export type Credentials = { sessionToken?: string | null; deviceToken?: string | null; bearer?: string | null };

export type Resolution = { principal: Principal | null; pending: PendingSession | null; device: Device | null };

const EMPTY: Resolution = { principal: null, pending: null, device: null };

/** Idle expiry: a session unused for longer than this is gone. */
export function sessionExpired(lastSeenAt: Date, idleHours: number, now = Date.now()): boolean {
  return now - lastSeenAt.getTime() > idleHours * 3_600_000;
}

export async function resolvePrincipal(db: Db, creds: Credentials, idleHours: number): Promise<Resolution> {
  if (creds.bearer) return resolveApiKey(db, creds.bearer);
  return withSystem(db, async (tx) => {
    const device = creds.deviceToken ? await q.findLiveDevice(tx, sha256(creds.deviceToken)) : null;
    if (device) await q.touchDevice(tx, device.id);
    if (creds.sessionToken) {
      const session = await q.findLiveSession(tx, sha256(creds.sessionToken));
      const usable = session && !sessionExpired(session.lastSeenAt, idleHours)
        // A PIN session belongs to its station: it dies with the device's enrolment.
        && (session.kind !== "pin" || (device && device.id === session.deviceId));
      if (session && usable) {
        if (session.totpPending || !session.restaurantId) {
          return { principal: null, pending: { sessionId: session.id, userId: session.userId, totpPending: session.totpPending }, device };
        }
        const principal = await sessionPrincipal(tx, session, device);
        if (principal) {
          await q.touchSession(tx, session.id);
          return { principal, pending: null, device };
        }
      }
    }
    // Without a PIN a device may act only if the manager made it pinless; otherwise it can just ask for a PIN.
    if (device) return { principal: device.pinless ? await devicePrincipal(tx, device) : null, pending: null, device };
    return EMPTY;
  });
}

async function sessionPrincipal(tx: Parameters<Parameters<typeof withSystem>[1]>[0], session: NonNullable<Awaited<ReturnType<typeof q.findLiveSession>>>, device: Device | null): Promise<Principal | null> {
  const restaurantId = session.restaurantId!;
  const [restaurant, user, membership] = await Promise.all([
    q.findRestaurant(tx, restaurantId), q.findUserById(tx, session.userId), q.findActiveMembership(tx, restaurantId, session.userId),
  ]);
  if (!restaurant || !user || !membership) return null;
  // A device of another restaurant never lends its station to this session.
  const sameDevice = device && device.restaurantId === restaurantId ? device : null;
  return {
    restaurant,
    actor: membership.role,
    user: { id: user.id, name: user.name, email: user.email, role: membership.role, membershipId: membership.id, mustChangePassword: user.mustChangePassword },
    device: sameDevice,
    sessionId: session.id,
    sessionKind: session.kind,
    via: "session",
  };
}

async function devicePrincipal(tx: Parameters<Parameters<typeof withSystem>[1]>[0], device: Device): Promise<Principal | null> {
  const restaurant = await q.findRestaurant(tx, device.restaurantId);
  if (!restaurant) return null;
  return { restaurant, actor: "device", user: null, device, sessionId: null, sessionKind: null, via: "device" };
}

async function resolveApiKey(db: Db, bearer: string): Promise<Resolution> {
  return withSystem(db, async (tx) => {
    const key = await q.findLiveApiKey(tx, sha256(bearer));
    if (!key) return EMPTY;
    await q.touchApiKey(tx, key.restaurantId, key.id);
    const restaurant = await q.findRestaurant(tx, key.restaurantId);
    if (!restaurant) return EMPTY;
    return { principal: { restaurant, actor: "integration", user: null, device: null, sessionId: null, sessionKind: null, via: "api_key", apiKeyId: key.id }, pending: null, device: null };
  });
}

/** Creates a server-side session row; the returned token goes into the signed cookie and nowhere else. */
export async function startSession(db: Db, input: { userId: string; restaurantId: string | null; kind: "password" | "pin"; deviceId?: string | null; totpPending?: boolean; userAgent?: string | null; ip?: string | null }) {
  const token = generateToken("ros_ses");
  const session = await withSystem(db, (tx) => q.insertSession(tx, {
    userId: input.userId, restaurantId: input.restaurantId, kind: input.kind, deviceId: input.deviceId ?? null,
    totpPending: input.totpPending ?? false, tokenHash: sha256(token), userAgent: input.userAgent?.slice(0, 300) ?? null, ip: input.ip ?? null,
  }));
  return { token, session };
}

/*
 * Every way a session ends goes through these, and each one tells the live streams of the restaurants
 * those sessions were in (a session.revoked event, which reaches the listener of every process), so a
 * screen or an events API stream never outlives the session that opened it.
 */
export const revokeSession = (db: Db, sessionId: string) => ending(db, (tx) => q.revokeSessionById(tx, sessionId));
export const revokeAllSessions = (db: Db, userId: string) => ending(db, (tx) => q.revokeSessionsOfUser(tx, userId));
/** Signs off everyone at a station (its enrolment was revoked or replaced). */
export const revokeDeviceSessions = (db: Db, restaurantId: string, deviceId: string) => ending(db, (tx) => q.revokeSessionsOfDevice(tx, restaurantId, deviceId));
/** Ends a person's sessions in one restaurant (deactivated there, or their PIN was reset). */
export const revokeSessionsInRestaurant = (db: Db, restaurantId: string, userId: string, kind?: "pin" | "password") =>
  ending(db, (tx) => q.revokeSessionsInRestaurant(tx, restaurantId, userId, kind));
/** Every session of a person but the one in use (after a password change). */
export const revokeOtherSessions = (db: Db, userId: string, keepSessionId: string) => ending(db, (tx) => q.revokeOtherSessions(tx, userId, keepSessionId));

async function ending(db: Db, revoke: (tx: Tx) => Promise<q.EndedSession[]>): Promise<q.EndedSession[]> {
  const ended = await withSystem(db, revoke);
  const byRestaurant = new Map<string, string[]>();
  for (const s of ended) if (s.restaurantId) byRestaurant.set(s.restaurantId, [...(byRestaurant.get(s.restaurantId) ?? []), s.id]);
  for (const [restaurantId, sessionIds] of byRestaurant) await announceSessionsEnded(db, [restaurantId], { sessionIds });
  return ended;
}

// A real argon2id hash of a random string: verifying against it costs the same as a real check, so
// "no such account" and "wrong password" take the same time.
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= Bun.password.hash(crypto.randomUUID(), { algorithm: "argon2id" }));

/**
 * Checks an email and password in the same time whether the account exists or not: one lookup and one
 * argon2id verification either way. `user` is set only when the password is right; `account` is the
 * account the email names, if any, so a failure can be audited (after answering, see sign-in.ts).
 */
export async function checkPassword(db: Db, email: string, password: string) {
  const account = await withSystem(db, (tx) => q.findUserByEmail(tx, email));
  const ok = await verifyPassword(password, account?.passwordHash ?? (await getDummyHash()));
  return { user: ok && account?.passwordHash ? account : null, account };
}

export const listRestaurantsOfUser = (db: Db, userId: string) => withSystem(db, (tx) => q.listMembershipsOfUser(tx, userId));

export async function chooseRestaurant(db: Db, sessionId: string, userId: string, restaurantId: string): Promise<boolean> {
  return withSystem(db, async (tx) => {
    if (!(await q.findActiveMembership(tx, restaurantId, userId))) return false;
    await q.setSessionRestaurant(tx, sessionId, restaurantId);
    return true;
  });
}

/**
 * Tells the live screens that sessions ended, so their streams close now rather than at the next
 * reconnect: one event per restaurant, carrying the session ids or the person whose sessions all ended.
 */
export async function announceSessionsEnded(db: Db, restaurantIds: string[], data: { sessionIds?: string[]; userId?: string }) {
  for (const restaurantId of new Set(restaurantIds)) {
    await withTenant(db, restaurantId, (tx) => appendEvent(tx, restaurantId, "session.revoked", data));
  }
}
