import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { devices, guestTables } from "../../src/db/schema";
import { generateToken, sha256 } from "../../src/auth/secrets";
import { newTableToken } from "../../src/guest/tokens";
import { DEVICE_COOKIE, signCookieToken } from "../helpers/auth";

/** A browser enrolled as a guest kiosk (as a manager would at Admin, Stations and devices). */
export async function makeKiosk(db: Db, restaurantId: string) {
  const token = generateToken("ros_dev");
  const [device] = await withSystem(db, (tx) => tx.insert(devices).values({ restaurantId, name: "Front kiosk", kind: "kiosk", tokenHash: sha256(token) }).returning());
  return { device: device!, cookie: `${DEVICE_COOKIE}=${await signCookieToken(token)}` };
}

export async function makeTable(db: Db, restaurantId: string, label: string) {
  const [table] = await withSystem(db, (tx) => tx.insert(guestTables).values({ restaurantId, label, token: newTableToken() }).returning());
  return table!;
}

export async function count(db: Db, table: string, restaurantId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await withSystem(db, (tx) => tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where restaurant_id = ${restaurantId}`)));
  return row!.n;
}

/** The page token a guest menu page hands its checkout (data-page-token). */
export function pageTokenOf(html: string): string {
  const match = /data-page-token="([^"]+)"/.exec(html);
  if (!match) throw new Error("no page token on the page");
  return match[1]!;
}
