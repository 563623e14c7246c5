import type { AppContext } from "../context";
import { withSystem, withTenant } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { HttpError } from "../http/errors";
import { humanWait, RateLimitedError, RULES, type LimitKey } from "../ops/rate-limit";
import { checkManagerPin } from "./override";
import { checkPin, padTo, PIN_FLOOR_MS, type PinAttempt, type PinSignOn } from "./pin";
import type { Device } from "./service";
import * as q from "./queries";

type LockContext = Pick<AppContext, "config" | "database" | "rateLimiter">;

/*
 * Too many wrong PINs lock a station (RULES.pinDevice, and pinIp for the network it sits on) for
 * everyone, the right PINs included: that is what stops guessing. But a lock nobody could lift
 * would take a till out of service for 15 minutes in the middle of a shift. So while a station is
 * locked its pad takes an owner's or manager's PIN to lift the lock (itself limited: a few tries,
 * then only admin can), and Admin → Stations & devices has an Unlock button.
 */

export const UNLOCK_HELP = "An owner or manager can unlock it now: enter their PIN here, or press Unlock in Admin → Stations & devices.";

export type StationLock = { minutes: number; message: string };

const lockKeys = (device: Device, ip: string | null): LimitKey[] => [[RULES.pinDevice, device.id], [RULES.pinIp, ip]];

function lockOf(refusal: RateLimitedError): StationLock {
  const wait = humanWait(refusal.retryAfterSeconds);
  const what = refusal.rule === RULES.pinIp ? "Too many wrong PINs from this network" : "Too many wrong PINs on this station";
  return { minutes: Math.ceil(refusal.retryAfterSeconds / 60), message: `Locked: ${what}. Staff can sign on again in ${wait}. ${UNLOCK_HELP}` };
}

/** Is this station locked right now (for the pad to say so before anyone types)? */
export async function stationLock(ctx: LockContext, device: Device, ip: string | null): Promise<StationLock | null> {
  const refusal = await ctx.rateLimiter.blocked(lockKeys(device, ip));
  return refusal ? lockOf(refusal) : null;
}

export type PinOutcome = { kind: "signed-on"; who: PinSignOn } | { kind: "unlocked"; by: string };

/** A PIN typed at a station: signs its holder on, or, while the station is locked, lets a manager lift the lock. */
export async function signOnOrUnlock(ctx: LockContext, attempt: PinAttempt): Promise<PinOutcome> {
  try {
    return { kind: "signed-on", who: await checkPin(ctx, attempt) };
  } catch (error) {
    if (!(error instanceof RateLimitedError) || (error.rule !== RULES.pinDevice && error.rule !== RULES.pinIp)) throw error;
    return { kind: "unlocked", by: await unlockWithManagerPin(ctx, attempt, error) };
  }
}

async function unlockWithManagerPin(ctx: LockContext, attempt: PinAttempt, lock: RateLimitedError): Promise<string> {
  const started = performance.now();
  const { device } = attempt;
  const rid = device.restaurantId;
  try {
    try {
      await ctx.rateLimiter.attempt([[RULES.pinUnlockDevice, device.id]]);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      throw new HttpError(429, "rate_limited", `${RULES.pinUnlockDevice.message} An owner or manager can unlock it in Admin → Stations & devices, or wait ${humanWait(lock.retryAfterSeconds)}.`, "pin", { "retry-after": String(lock.retryAfterSeconds) });
    }
    const manager = await checkManagerPin(ctx.database.db, ctx.config.pinPepper, rid, attempt.pin);
    if (!manager) {
      await withTenant(ctx.database.db, rid, (tx) => recordAudit(tx, { restaurantId: rid, action: "pin.failed", deviceId: device.id, ip: attempt.ip, data: { purpose: "unlock", attributed: false } }));
      throw new HttpError(429, "station_locked", lockOf(lock).message, "pin", { "retry-after": String(lock.retryAfterSeconds) });
    }
    await ctx.rateLimiter.reset([...lockKeys(device, attempt.ip), [RULES.pinUnlockDevice, device.id]]);
    const name = (await withSystem(ctx.database.db, (tx) => q.findUserById(tx, manager.userId)))?.name ?? "a manager";
    await withTenant(ctx.database.db, rid, (tx) => recordAudit(tx, {
      restaurantId: rid, action: "device.unlocked", actorUserId: manager.userId, deviceId: device.id, ip: attempt.ip, data: { deviceId: device.id, name: device.name, via: "manager PIN" },
    }));
    return name;
  } finally {
    await padTo(started, PIN_FLOOR_MS);
  }
}

/** Admin's Unlock: lifts a station's wrong-PIN lock at once. The network counter is left alone: admin may be elsewhere. */
export async function unlockStation(ctx: Pick<AppContext, "rateLimiter">, device: Device): Promise<void> {
  await ctx.rateLimiter.reset([[RULES.pinDevice, device.id], [RULES.pinUnlockDevice, device.id]]);
}
