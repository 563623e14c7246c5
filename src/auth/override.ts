import { and, eq, inArray, isNull, or, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import type { AppContext } from "../context";
import { withTenant } from "../db/tenant";
import { memberships } from "../db/schema";
import { recordAudit } from "../audit/service";
import { RULES, type LimitKey } from "../ops/rate-limit";
import { pinDigest } from "./secrets";
import { padTo, PIN_FLOOR_MS } from "./pin";
import { memberWithPin } from "./people";
import type { Actor } from "./permissions";

/**
 * What an override check needs to be safe at a shared screen: the rate limiter (a wrong manager PIN is
 * a guess like any other, counted per device and network), and who asked, for the audit row of a refusal.
 */
export type OverrideGuard = {
  ctx: Pick<AppContext, "rateLimiter">;
  deviceId: string | null;
  ip: string | null;
  requestedBy: string | null;
  /** What was to be approved, e.g. "orders.void_fired". */
  action: string;
};

/**
 * A manager approving something at the POS by typing their PIN (e.g. voiding a fired item). Returns the
 * approver, or null when the PIN is not an active, unlocked owner's or manager's. With a guard, wrong
 * PINs are rate-limited (429) and audited, and every answer takes at least PIN_FLOOR_MS; the caller
 * audits the approved change itself, naming the approver.
 */
export async function checkManagerPin(db: Db, pepper: string, restaurantId: string, pin: string, guard?: OverrideGuard): Promise<{ userId: string; actor: Actor } | null> {
  if (!/^\d{4,6}$/.test(pin)) return null;
  const started = performance.now();
  const limits: LimitKey[] = guard ? [[RULES.pinDevice, guard.deviceId ?? guard.requestedBy], [RULES.pinIp, guard.ip]] : [];
  try {
    if (guard) await guard.ctx.rateLimiter.attempt(limits);
    const approver = await findManagerByPin(db, pepper, restaurantId, pin);
    if (guard && approver) await guard.ctx.rateLimiter.forgive(limits);
    if (guard && !approver) {
      await withTenant(db, restaurantId, (tx) => recordAudit(tx, {
        restaurantId, action: "override.refused", actorUserId: guard.requestedBy, deviceId: guard.deviceId, ip: guard.ip, data: { action: guard.action },
      }));
    }
    return approver;
  } finally {
    if (guard) await padTo(started, PIN_FLOOR_MS);
  }
}

async function findManagerByPin(db: Db, pepper: string, restaurantId: string, pin: string) {
  const digest = pinDigest(pepper, restaurantId, pin);
  const [row] = await withTenant(db, restaurantId, (tx) => tx.select({ userId: memberships.userId, role: memberships.role }).from(memberships).where(and(
    eq(memberships.restaurantId, restaurantId), memberWithPin(digest), eq(memberships.active, true),
    inArray(memberships.role, ["owner", "manager"]),
    or(isNull(memberships.pinLockedUntil), lt(memberships.pinLockedUntil, new Date())),
  )));
  return row ? { userId: row.userId, actor: row.role } : null;
}
