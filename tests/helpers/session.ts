import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { startSession } from "../../src/auth/service";
import { SESSION_COOKIE, signCookieToken } from "./auth";

/** A Cookie header for a live session of the first member with that role (as if they had signed in). */
export async function sessionCookieFor(db: Db, restaurantId: string, role: string): Promise<{ cookie: string; userId: string }> {
  const [m] = rowsOf<{ user_id: string }>(await withSystem(db, (tx) => tx.execute(sql`select user_id from memberships where role = ${role} and restaurant_id = ${restaurantId} limit 1`)));
  if (!m) throw new Error(`no ${role} in restaurant ${restaurantId}`);
  const { token } = await startSession(db, { userId: m.user_id, restaurantId, kind: "password" });
  return { cookie: `${SESSION_COOKIE}=${await signCookieToken(token)}`, userId: m.user_id };
}
