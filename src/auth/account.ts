import type { AppContext } from "../context";
import { withSystem } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { HttpError, badRequest, forbidden } from "../http/errors";
import { RULES } from "../ops/rate-limit";
import { passwordProblem } from "./passwords";
import { revokeOtherSessions, type Principal } from "./service";
import { generateRecoveryCodes, hashPassword, openSecret, recoveryCodeDigest, sealSecret, verifyPassword } from "./secrets";
import { generateTotpSecret, otpauthUri, verifyTotp } from "./totp";
import * as q from "./queries";

type Signed = Principal & { user: NonNullable<Principal["user"]> };

// Account changes touch the users row, which is global and writable only by the owner role, so they
// run in withSystem; the audit row names the restaurant the person was working in.
const auditRow = (p: Signed, action: string, ip: string | null, data: Record<string, unknown> = {}) => ({
  restaurantId: p.restaurant.id, action, actorUserId: p.user.id, deviceId: p.device?.id ?? null, ip, data,
});

async function loadUser(ctx: AppContext, userId: string) {
  const user = await withSystem(ctx.database.db, (tx) => q.findUserById(tx, userId));
  if (!user) throw forbidden();
  return user;
}

/** Changes one's own password; every other session of the person ends (a leaked password stops working everywhere). */
export async function changePassword(ctx: AppContext, p: Signed, input: { current: string; next: string; confirm: string }, ip: string | null) {
  const user = await loadUser(ctx, p.user.id);
  await ctx.rateLimiter.attempt([[RULES.signInAccount, user.email ?? user.id]]);
  if (!user.passwordHash || !(await verifyPassword(input.current, user.passwordHash))) {
    throw new HttpError(401, "wrong_password", "Your current password is not right.", "current");
  }
  await ctx.rateLimiter.forgive([[RULES.signInAccount, user.email ?? user.id]]);
  const problem = passwordProblem(input.next, user);
  if (problem) throw badRequest(problem, "next");
  if (input.next !== input.confirm) throw badRequest("The two new passwords are not the same.", "confirm");
  if (await verifyPassword(input.next, user.passwordHash)) throw badRequest("Choose a password different from the current one.", "next");
  const passwordHash = await hashPassword(input.next);
  await withSystem(ctx.database.db, async (tx) => {
    await q.updateUser(tx, user.id, { passwordHash, mustChangePassword: false });
    await recordAudit(tx, auditRow(p, "password.changed", ip));
  });
  if (p.sessionId) await revokeOtherSessions(ctx.database.db, user.id, p.sessionId);
}

/** Two-step sign-in is for the people who can change how the restaurant runs. */
export function mayUseTotp(p: Principal): boolean {
  return p.user?.role === "owner" || p.user?.role === "manager";
}

function requireTotpRole(p: Principal) {
  if (!mayUseTotp(p)) throw forbidden("Two-step sign-in is for owners and managers.");
}

export type TotpState =
  | { state: "off" }
  | { state: "pending"; secret: string; uri: string }
  | { state: "on"; recoveryCodesLeft: number };

export async function totpState(ctx: AppContext, p: Signed): Promise<TotpState> {
  const user = await loadUser(ctx, p.user.id);
  if (user.totpEnabled) return { state: "on", recoveryCodesLeft: user.recoveryCodes.length };
  const secret = user.totpSecret ? openSecret(ctx.config.pinPepper, user.totpSecret) : null;
  if (!secret) return { state: "off" };
  return { state: "pending", secret, uri: otpauthUri("Restaurant OS", user.email ?? user.name, secret) };
}

/** Starts enrolment: a new secret, stored sealed, not yet required at sign-in. */
export async function startTotp(ctx: AppContext, p: Signed) {
  requireTotpRole(p);
  const user = await loadUser(ctx, p.user.id);
  if (user.totpEnabled) throw new HttpError(409, "conflict", "Two-step sign-in is already on.");
  const sealed = sealSecret(ctx.config.pinPepper, generateTotpSecret());
  await withSystem(ctx.database.db, (tx) => q.updateUser(tx, user.id, { totpSecret: sealed, totpLastStep: null }));
}

/** Turns TOTP on once the person proves their app has the secret; returns the recovery codes, shown once. */
export async function enableTotp(ctx: AppContext, p: Signed, code: string, ip: string | null): Promise<string[]> {
  requireTotpRole(p);
  await ctx.rateLimiter.attempt([[RULES.totpAccount, p.user.id]]);
  const user = await loadUser(ctx, p.user.id);
  if (user.totpEnabled) throw new HttpError(409, "conflict", "Two-step sign-in is already on.");
  const secret = user.totpSecret ? openSecret(ctx.config.pinPepper, user.totpSecret) : null;
  if (!secret) throw badRequest("Start the set-up again: there is no code waiting to be confirmed.");
  const step = verifyTotp(secret, code.replace(/\s/g, ""), null);
  if (step === null) throw new HttpError(401, "wrong_code", "That code is not right. Check the time on your phone and enter the code shown now.", "code");
  await ctx.rateLimiter.forgive([[RULES.totpAccount, p.user.id]]);
  const codes = generateRecoveryCodes();
  await withSystem(ctx.database.db, async (tx) => {
    await q.updateUser(tx, user.id, { totpEnabled: true, totpLastStep: step, recoveryCodes: codes.map((c) => recoveryCodeDigest(ctx.config.pinPepper, c)) });
    await recordAudit(tx, auditRow(p, "totp.enabled", ip));
  });
  return codes;
}

/** Checks a current code or recovery code before a change to the second factor itself. */
async function requireSecondFactor(ctx: AppContext, userId: string, code: string) {
  await ctx.rateLimiter.attempt([[RULES.totpAccount, userId]]);
  const user = await loadUser(ctx, userId);
  const clean = code.replace(/\s/g, "");
  const secret = user.totpSecret ? openSecret(ctx.config.pinPepper, user.totpSecret) : null;
  let ok = false;
  if (/^\d{6}$/.test(clean)) {
    const step = secret ? verifyTotp(secret, clean, user.totpLastStep) : null;
    ok = step !== null && (await withSystem(ctx.database.db, (tx) => q.claimTotpStep(tx, userId, step)));
  } else if (clean) {
    ok = await withSystem(ctx.database.db, (tx) => q.spendRecoveryCode(tx, userId, recoveryCodeDigest(ctx.config.pinPepper, clean)));
  }
  if (!ok) throw new HttpError(401, "wrong_code", "That code is not right.", "code");
  await ctx.rateLimiter.forgive([[RULES.totpAccount, userId]]);
}

export async function disableTotp(ctx: AppContext, p: Signed, code: string, ip: string | null) {
  await requireSecondFactor(ctx, p.user.id, code);
  await withSystem(ctx.database.db, async (tx) => {
    await q.updateUser(tx, p.user.id, { totpEnabled: false, totpSecret: null, totpLastStep: null, recoveryCodes: [] });
    await recordAudit(tx, auditRow(p, "totp.disabled", ip));
  });
}

export async function regenerateRecoveryCodes(ctx: AppContext, p: Signed, code: string, ip: string | null): Promise<string[]> {
  requireTotpRole(p);
  await requireSecondFactor(ctx, p.user.id, code);
  const codes = generateRecoveryCodes();
  await withSystem(ctx.database.db, async (tx) => {
    await q.updateUser(tx, p.user.id, { recoveryCodes: codes.map((c) => recoveryCodeDigest(ctx.config.pinPepper, c)) });
    await recordAudit(tx, auditRow(p, "totp.recovery_codes_renewed", ip));
  });
  return codes;
}
