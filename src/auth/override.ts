import { and, eq, inArray, isNull, or, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { memberships } from "../db/schema";
import { pinDigest } from "./secrets";
import type { Actor } from "./permissions";

/**
 * A manager approving something at the POS by typing their PIN (e.g. voiding a fired item). Returns the
 * approver, or null when the PIN is not an active, unlocked owner's or manager's.
 */
export async function checkManagerPin(db: Db, pepper: string, restaurantId: string, pin: string): Promise<{ userId: string; actor: Actor } | null> {
  if (!/^\d{4,6}$/.test(pin)) return null;
  const digest = pinDigest(pepper, restaurantId, pin);
  const [row] = await withTenant(db, restaurantId, (tx) => tx.select({ userId: memberships.userId, role: memberships.role }).from(memberships).where(and(
    eq(memberships.restaurantId, restaurantId), eq(memberships.pinDigest, digest), eq(memberships.active, true),
    inArray(memberships.role, ["owner", "manager"]),
    or(isNull(memberships.pinLockedUntil), lt(memberships.pinLockedUntil, new Date())),
  )));
  return row ? { userId: row.userId, actor: row.role } : null;
}
