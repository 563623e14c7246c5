import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { startSession } from "../../src/auth/service";
import { makeDevice, SESSION_COOKIE, signCookieToken } from "../helpers/auth";
import { req } from "../helpers/app";

type App = { handle: (r: Request) => Promise<Response> };

/** A staff member of that role signed on by PIN at a POS device: the session and device cookies together. */
export async function atPos(db: Db, restaurantId: string, role: string, device?: Awaited<ReturnType<typeof makeDevice>>) {
  const pos = device ?? await makeDevice(db, restaurantId, "pos");
  const [m] = rowsOf<{ user_id: string }>(await withSystem(db, (tx) => tx.execute(sql`select user_id from memberships where role = ${role} and restaurant_id = ${restaurantId} limit 1`)));
  if (!m) throw new Error(`no ${role}`);
  const { token } = await startSession(db, { userId: m.user_id, restaurantId, kind: "pin", deviceId: pos.device.id });
  return { cookie: `${SESSION_COOKIE}=${await signCookieToken(token)}; ${pos.cookie}`, userId: m.user_id, device: pos };
}

/** JSON calls against the app: with an API key (bearer) or a cookie, and an Idempotency-Key unless told not to. */
export function apiClient(app: App, defaults: { key?: string; cookie?: string }) {
  let n = 0;
  return (path: string, init: { json?: unknown; key?: string; cookie?: string; idem?: string | null; method?: string } = {}) => {
    const headers: Record<string, string> = { accept: "application/json" };
    const key = init.key ?? defaults.key;
    const cookie = init.cookie ?? defaults.cookie;
    if (cookie) headers.cookie = cookie;
    else if (key) headers.authorization = `Bearer ${key}`;
    if (init.idem !== null) headers["idempotency-key"] = init.idem ?? `pay-key-${++n}-${Math.random().toString(36).slice(2)}`;
    return app.handle(req(path, { method: init.method ?? (init.json !== undefined ? "POST" : "GET"), json: init.json, headers }));
  };
}

export async function count(db: Db, table: string): Promise<number> {
  return Number(rowsOf<{ n: number }>(await db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
}
