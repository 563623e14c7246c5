import type { AppContext } from "../context";
import { withSystem, withTenant } from "../db/tenant";
import { recordAudit, type AuditEntry } from "../audit/service";
import { HttpError, badRequest, forbidden, unauthorized } from "../http/errors";
import { RULES, type LimitKey } from "../ops/rate-limit";
import { EMAIL_PATTERN } from "../restaurants/service";
import { checkPassword, listRestaurantsOfUser, revokeSession, startSession } from "./service";
import { openSecret, recoveryCodeDigest } from "./secrets";
import { verifyTotp } from "./totp";
import { hasInvitations } from "./invitations";
import * as q from "./queries";
import { optionalText } from "../text";

export type Client = { ip: string | null; userAgent: string | null };

/** Where a freshly signed-in browser goes next. */
export type SignedIn = { token: string; next: "totp" | "invitations" | "choose-restaurant" | "change-password" | "home" };

export const WRONG_PASSWORD = "Email or password is not right";
export const WRONG_CODE = "That code is not right. Check the time on your phone, or use one of your recovery codes.";

/** Work that must not delay (or time) the answer; a failure is logged, never thrown at the user. */
export function afterResponse(ctx: AppContext, work: () => Promise<unknown>): void {
  setTimeout(() => void work().catch((error) => ctx.log.error({ err: error }, "deferred audit failed")), 0);
}

/** Writes one audit row in every restaurant the person belongs to: each of them may want to know. */
async function auditForUser(ctx: AppContext, userId: string, entry: Omit<AuditEntry, "restaurantId">) {
  for (const r of await listRestaurantsOfUser(ctx.database.db, userId)) {
    await withTenant(ctx.database.db, r.restaurantId, (tx) => recordAudit(tx, { ...entry, restaurantId: r.restaurantId, actorUserId: userId }));
  }
}

export const auditIn = (ctx: AppContext, entry: AuditEntry) => withTenant(ctx.database.db, entry.restaurantId, (tx) => recordAudit(tx, entry));

/**
 * Email and password. Refusals are HttpErrors with the message the form shows; the same message and
 * (through checkPassword) the same time whether the account exists or not.
 */
export async function signInWithPassword(ctx: AppContext, input: { email: string; password: string }, client: Client): Promise<SignedIn> {
  const db = ctx.database.db;
  const email = (optionalText(input.email, "email", { label: "Email", max: 254 }) ?? "").toLowerCase();
  if (!EMAIL_PATTERN.test(email)) throw badRequest("Enter a valid email address, like name@example.com", "email");
  if (!input.password) throw badRequest("Enter your password", "password");
  const limits: LimitKey[] = [[RULES.signInAccount, email], [RULES.signInIp, client.ip]];
  await ctx.rateLimiter.attempt(limits);
  const { user, account } = await checkPassword(db, email, input.password);
  if (!user) {
    // Audited after the answer is sent, so the answer takes the same time whether the account exists
    // or not. An unknown email has no restaurant to log in; the process log still sees it.
    if (account) afterResponse(ctx, () => auditForUser(ctx, account.id, { action: "signin.failed", ip: client.ip, data: { reason: "password" } }));
    else ctx.log.info({ ip: client.ip }, "sign-in with unknown email");
    throw unauthorized(WRONG_PASSWORD);
  }
  await ctx.rateLimiter.forgive(limits);
  const restaurants = await listRestaurantsOfUser(db, user.id);
  if (restaurants.length === 0 && !(await hasInvitations(db, user.id))) throw forbidden("Your account is not active in any restaurant. Ask an owner or manager to add you back.");
  const only = restaurants.length === 1 ? restaurants[0]!.restaurantId : null;
  const { token } = await startSession(db, { userId: user.id, restaurantId: only, kind: "password", totpPending: user.totpEnabled, ...client });
  if (user.totpEnabled) return { token, next: "totp" };
  if (only) await auditIn(ctx, { restaurantId: only, action: "signin.ok", actorUserId: user.id, ip: client.ip });
  return { token, next: await nextAfterSignIn(ctx, user.id, only, user.mustChangePassword) };
}

/** Invitations waiting for them come first: "at their next sign-in" is when they answer them. */
async function nextAfterSignIn(ctx: AppContext, userId: string, restaurantId: string | null, mustChangePassword: boolean): Promise<SignedIn["next"]> {
  if (await hasInvitations(ctx.database.db, userId)) return "invitations";
  return !restaurantId ? "choose-restaurant" : mustChangePassword ? "change-password" : "home";
}

/**
 * The second step: a 6-digit code from the authenticator app, or a one-time recovery code. On success
 * the half-signed-in session is replaced by a new one (a new token, so a token seen before the second
 * factor is worth nothing).
 */
export async function completeTotp(ctx: AppContext, pending: { sessionId: string; userId: string }, rawCode: string, client: Client): Promise<SignedIn> {
  const db = ctx.database.db;
  const code = rawCode.trim().replace(/\s/g, "");
  if (!code) throw badRequest("Enter the 6-digit code from your authenticator app", "code");
  await ctx.rateLimiter.attempt([[RULES.totpAccount, pending.userId]]);
  const user = await withSystem(db, (tx) => q.findUserById(tx, pending.userId));
  const session = await withSystem(db, (tx) => q.findSessionById(tx, pending.sessionId));
  if (!user || !session || !user.totpEnabled || !user.totpSecret) throw unauthorized("Please sign in again");
  const method = /^\d{6}$/.test(code) ? await acceptTotp(ctx, user, code) : await acceptRecoveryCode(ctx, user.id, code);
  if (!method) {
    await auditForUser(ctx, user.id, { action: "signin.failed", ip: client.ip, data: { reason: "second factor" } });
    throw new HttpError(401, "wrong_code", WRONG_CODE, "code");
  }
  await ctx.rateLimiter.forgive([[RULES.totpAccount, pending.userId]]);
  await revokeSession(db, session.id);
  const { token } = await startSession(db, { userId: user.id, restaurantId: session.restaurantId, kind: "password", ...client });
  if (session.restaurantId) {
    await auditIn(ctx, { restaurantId: session.restaurantId, action: "signin.ok", actorUserId: user.id, ip: client.ip, data: { secondFactor: method } });
  }
  if (method === "recovery code") await auditForUser(ctx, user.id, { action: "totp.recovery_code_used", ip: client.ip });
  return { token, next: await nextAfterSignIn(ctx, user.id, session.restaurantId, user.mustChangePassword) };
}

type UserRow = NonNullable<Awaited<ReturnType<typeof q.findUserById>>>;

async function acceptTotp(ctx: AppContext, user: UserRow, code: string): Promise<"code" | null> {
  const secret = openSecret(ctx.config.pinPepper, user.totpSecret!);
  if (!secret) return null;
  const step = verifyTotp(secret, code, user.totpLastStep);
  // The conditional update makes a code single-use even when two requests race with it.
  if (step === null || !(await withSystem(ctx.database.db, (tx) => q.claimTotpStep(tx, user.id, step)))) return null;
  return "code";
}

async function acceptRecoveryCode(ctx: AppContext, userId: string, code: string): Promise<"recovery code" | null> {
  const digest = recoveryCodeDigest(ctx.config.pinPepper, code);
  return (await withSystem(ctx.database.db, (tx) => q.spendRecoveryCode(tx, userId, digest))) ? "recovery code" : null;
}

/** After choosing a restaurant, the sign-in counts there. */
export async function auditSignInAt(ctx: AppContext, restaurantId: string, userId: string, ip: string | null) {
  await auditIn(ctx, { restaurantId, action: "signin.ok", actorUserId: userId, ip });
}
