import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { Redis } from "ioredis";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { makeDevice, makeRestaurant, makeStaff, signInAs } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";
import { createRateLimiter, RULES, type RateLimiter } from "../../src/ops/rate-limit";

setDefaultTimeout(60_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `ros:test:lock:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;

async function cleanRedis() {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

const stores: Record<string, () => RateLimiter> = {
  memory: () => createRateLimiter(null),
  redis: () => createRateLimiter(REDIS_URL, undefined, PREFIX),
};

/*
 * Issue 18, point 8: ten wrong PINs locked a station for 15 minutes for everyone, right PINs included,
 * and no manager could lift it. The lock stays (it is what stops guessing); a manager lifts it.
 */
for (const [kind, make] of Object.entries(stores)) {
  describe(`a station locked by wrong PINs (${kind} counters)`, () => {
    let db: TestDatabase;
    let t: ReturnType<typeof makeTestApp>;
    let rid: string;
    let n = 0;

    const q = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(query)));
    const count = async (query: ReturnType<typeof sql>) => Number((await q<{ n: number }>(query))[0]!.n);
    const pin = (cookie: string, value: string) => t.app.handle(req("/station/pin", { headers: { cookie }, form: { pin: value } }));
    /** A fresh POS with a server and a manager (each with a PIN), locked by ten wrong PINs. */
    const lockedStation = async () => {
      const device = await makeDevice(db.db, rid, "pos");
      const base = 1000 + (++n) * 10 + (kind === "redis" ? 5 : 0);
      const server = await makeStaff(db.db, rid, "server", { pin: `${base}1` });
      const manager = await makeStaff(db.db, rid, "manager", { pin: `${base}2` });
      for (let i = 0; i < RULES.pinDevice.limit; i++) expect((await pin(device.cookie, "999999")).status).toBe(401);
      return { device, server: { ...server, pin: `${base}1` }, manager: { ...manager, pin: `${base}2` } };
    };

    beforeAll(async () => {
      db = await openTestDatabase("pglite");
      t = makeTestApp(db, {}, make());
      rid = (await makeRestaurant(db.db, `lock-${kind}`)).id;
    }, 60_000);
    afterAll(async () => { await t.rateLimiter.close(); await t.close(); await db.drop(); if (kind === "redis") await cleanRedis(); });

    it("still locks after ten wrong PINs, refusing a right staff PIN, and the pad says plainly who can unlock it", async () => {
      const { device, server } = await lockedStation();
      const refused = await pin(device.cookie, server.pin);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBeTruthy();
      expect(await count(sql`select count(*)::int as n from sessions where user_id = ${server.user.id}`)).toBe(0);
      const pad = await (await t.app.handle(req("/station", { headers: { cookie: device.cookie } }))).text();
      expect(pad).toContain("This station is locked");
      expect(pad).toContain("Too many wrong PINs on this station");
      expect(pad).toContain("An owner or manager can unlock it now: enter their PIN here, or press Unlock in Admin → Stations &amp; devices.");
      expect(pad).toContain("Manager PIN to unlock");
    });

    it("lifts the lock at once when a manager enters their PIN on the station, audited, and staff sign on again", async () => {
      const { device, server, manager } = await lockedStation();
      const unlocked = await pin(device.cookie, manager.pin);
      expect(unlocked.status).toBe(303);
      expect(unlocked.headers.get("location")).toBe("/station?done=unlocked");
      // Unlocking does not leave the manager signed on at the till.
      expect(await count(sql`select count(*)::int as n from sessions where user_id = ${manager.user.id}`)).toBe(0);
      expect(await count(sql`select count(*)::int as n from audit_log where action = 'device.unlocked' and device_id = ${device.device.id} and actor_user_id = ${manager.user.id} and data->>'via' = 'manager PIN'`)).toBe(1);
      const pad = await (await t.app.handle(req("/station?done=unlocked", { headers: { cookie: device.cookie } }))).text();
      expect(pad).not.toContain("This station is locked");
      expect(pad).toContain("Station unlocked by a manager.");
      const signedOn = await pin(device.cookie, server.pin);
      expect(signedOn.status).toBe(303);
      expect(signedOn.headers.get("location")).toBe("/pos");
    });

    it("limits unlocking by PIN too: after 5 wrong tries even a manager's PIN is refused there, and admin's Unlock still works", async () => {
      const { device, server, manager } = await lockedStation();
      for (let i = 0; i < RULES.pinUnlockDevice.limit; i++) {
        const res = await pin(device.cookie, server.pin); // a staff PIN cannot unlock
        expect(res.status).toBe(429);
      }
      const tooMany = await pin(device.cookie, manager.pin);
      expect(tooMany.status).toBe(429);
      expect(await tooMany.text()).toContain("Too many tries to unlock this station. An owner or manager can unlock it in Admin → Stations &amp; devices");
      expect(await count(sql`select count(*)::int as n from audit_log where action = 'device.unlocked' and device_id = ${device.device.id}`)).toBe(0);
      expect(await count(sql`select count(*)::int as n from audit_log where action = 'pin.failed' and device_id = ${device.device.id} and data->>'purpose' = 'unlock'`)).toBe(RULES.pinUnlockDevice.limit);

      const admin = await signInAs(t.app, db.db, rid, "manager");
      const list = await (await t.app.handle(req("/admin/stations", { headers: { cookie: admin.cookie } }))).text();
      expect(list).toContain("Locked: wrong PINs");
      expect(list).toContain(`action="/admin/devices/${device.device.id}/unlock"`);
      const res = await t.app.handle(req(`/admin/devices/${device.device.id}/unlock`, { method: "POST", headers: { cookie: admin.cookie } }));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/stations?done=device-unlocked");
      expect(await count(sql`select count(*)::int as n from audit_log where action = 'device.unlocked' and actor_user_id = ${admin.userId} and data->>'via' = 'admin'`)).toBe(1);
      expect((await pin(device.cookie, server.pin)).status).toBe(303);
    });

    it("lets only this restaurant's owners and managers press Unlock in admin", async () => {
      const { device } = await lockedStation();
      const server = await signInAs(t.app, db.db, rid, "server");
      expect((await t.app.handle(req(`/admin/devices/${device.device.id}/unlock`, { method: "POST", headers: { cookie: server.cookie } }))).status).toBe(403);
      const other = await makeRestaurant(db.db, `lock-other-${kind}`);
      const stranger = await signInAs(t.app, db.db, other.id, "manager");
      expect((await t.app.handle(req(`/admin/devices/${device.device.id}/unlock`, { method: "POST", headers: { cookie: stranger.cookie } }))).status).toBe(404);
      expect((await t.app.handle(req("/admin/devices/not-a-uuid/unlock", { method: "POST", headers: { cookie: stranger.cookie } }))).status).toBe(404);
      expect((await t.app.handle(req("/station", { headers: { cookie: device.cookie } })).then((r) => r.text()))).toContain("This station is locked");
    });
  });
}
