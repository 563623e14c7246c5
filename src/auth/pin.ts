import type { AppContext } from "../context";

/** What a PIN check needs: the pepper, the database and the attempt counters. */
type PinContext = Pick<AppContext, "config" | "database" | "rateLimiter">;
import { withTenant } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { HttpError, badRequest } from "../http/errors";
import { RULES, type LimitKey } from "../ops/rate-limit";
import type { Role } from "./permissions";
import { pinDigest } from "./secrets";
import type { Device } from "./service";
import * as q from "./queries";
import { UUID } from "../ids";

export const PIN_PATTERN = /^\d{4,6}$/;
export const PIN_RULE = "A PIN is 4 to 6 digits.";
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MINUTES = 15;
export const WRONG_PIN = "That PIN is not right.";
/**
 * Every PIN answer, right or wrong, matching somebody or nobody, takes at least this long. The digest
 * lookup itself costs the same either way; the floor also hides the different writes that follow
 * (a lock, an audit row, a session), so timing never tells a guesser that a PIN belongs to someone.
 */
export const PIN_FLOOR_MS = 150;

export type PinAttempt = { device: Device; pin: string; membershipId?: string | null; ip: string | null };
export type PinSignOn = { userId: string; membershipId: string; name: string; role: Role };

export function pinProblem(pin: string): string | null {
  return PIN_PATTERN.test(pin) ? null : PIN_RULE;
}

/** Waits until `floorMs` have passed since `started`. */
export async function padTo(started: number, floorMs: number): Promise<void> {
  const left = floorMs - (performance.now() - started);
  if (left > 0) await Bun.sleep(left);
}


/**
 * Signs a person on at a station with their PIN. With a name chosen first (membershipId) a wrong PIN
 * counts against that person and the fifth locks their PIN; without one, a wrong PIN cannot be
 * attributed, so it counts against the device and the network in the rate limiter instead.
 */
export async function checkPin(ctx: PinContext, attempt: PinAttempt, purpose: "sign-on" | "override" = "sign-on"): Promise<PinSignOn> {
  const started = performance.now();
  const problem = pinProblem(attempt.pin);
  if (problem) throw badRequest(problem, "pin");
  if (attempt.membershipId && !UUID.test(attempt.membershipId)) throw badRequest("Choose your name from the list, or just enter your PIN.", "member");
  const limits: LimitKey[] = [[RULES.pinDevice, attempt.device.id], [RULES.pinIp, attempt.ip]];
  try {
    await ctx.rateLimiter.attempt(limits);
    const found = await matchPin(ctx, attempt, purpose);
    await ctx.rateLimiter.forgive(limits);
    return found;
  } finally {
    await padTo(started, PIN_FLOOR_MS);
  }
}

async function matchPin(ctx: PinContext, attempt: PinAttempt, purpose: string): Promise<PinSignOn> {
  const { device } = attempt;
  const rid = device.restaurantId;
  const digest = pinDigest(ctx.config.pinPepper, rid, attempt.pin);
  const audit = { restaurantId: rid, deviceId: device.id, ip: attempt.ip };
  // Refusals are decided inside the transaction (so the failure count and its audit row commit
  // together) and thrown after it.
  const outcome = await withTenant(ctx.database.db, rid, async (tx): Promise<PinSignOn | HttpError> => {
    if (attempt.membershipId) {
      const member = await q.findPinMember(tx, rid, attempt.membershipId, digest);
      if (!member) return wrongPin();
      if (member.locked) return lockedError(member.name, member.lockedUntil!);
      if (!member.pinMatches) {
        const after = await q.recordPinFailure(tx, rid, member.membershipId, PIN_MAX_FAILURES, PIN_LOCK_MINUTES);
        const locked = !!after?.locked;
        await recordAudit(tx, { ...audit, action: locked ? "pin.locked" : "pin.failed", actorUserId: member.userId, data: { purpose, attributed: true } });
        return locked ? lockedError(member.name, after!.lockedUntil!, true) : wrongPin();
      }
      await q.clearPinFailures(tx, rid, member.membershipId);
      return { userId: member.userId, membershipId: member.membershipId, name: member.name, role: member.role };
    }
    const member = await q.findMemberByPinDigest(tx, rid, digest);
    if (!member || member.locked) {
      // A locked person's right PIN is refused like a wrong one: "locked" would confirm the guess.
      await recordAudit(tx, { ...audit, action: "pin.failed", data: { purpose, attributed: false } });
      return wrongPin();
    }
    await q.clearPinFailures(tx, rid, member.membershipId);
    return { userId: member.userId, membershipId: member.membershipId, name: member.name, role: member.role };
  });
  if (outcome instanceof HttpError) throw outcome;
  return outcome;
}

const wrongPin = () => new HttpError(401, "wrong_pin", WRONG_PIN, "pin");

function lockedError(name: string, until: Date, justNow = false): HttpError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  const message = justNow
    ? `Too many wrong PINs: ${name}'s PIN is locked for ${PIN_LOCK_MINUTES} minutes.`
    : `${name}'s PIN is locked for another ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  return new HttpError(423, "pin_locked", `${message} A manager can unlock it in Staff.`, "pin");
}

/** The PIN session's audit row. */
export async function auditPinSignOn(ctx: Pick<AppContext, "database">, device: Device, who: PinSignOn, ip: string | null) {
  await withTenant(ctx.database.db, device.restaurantId, (tx) => recordAudit(tx, {
    restaurantId: device.restaurantId, action: "pin.signon", actorUserId: who.userId, deviceId: device.id, ip, data: { role: who.role },
  }));
}
