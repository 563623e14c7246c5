import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, SESSION_COOKIE } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";
import { checkPin, PIN_FLOOR_MS } from "../../src/auth/pin";
import { checkManagerPin } from "../../src/auth/override";
import { createRateLimiter } from "../../src/ops/rate-limit";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

type App = ReturnType<typeof makeTestApp>["app"];

const one = async <T,>(db: TestDatabase, query: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(query)))[0]!;
const count = async (db: TestDatabase, table: string, where = sql`true`) =>
  Number((await one<{ n: number }>(db, sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`)).n);

/** Posts a PIN from a station, the way the PIN pad form does. */
const pinFrom = (app: App, cookie: string, pin: string, member?: string) =>
  app.handle(req("/station/pin", { headers: { cookie }, form: member ? { pin, member } : { pin } }));

for (const driver of DRIVERS) {
  describe(`station PIN sign-on (${driver})`, () => {
    let db: TestDatabase;
    let app: App;
    let rid: string;
    let pos: Awaited<ReturnType<typeof makeDevice>>;

    beforeAll(async () => {
      db = await openTestDatabase(driver);
      ({ app } = makeTestApp(db));
      rid = (await makeRestaurant(db.db, `pin-${driver}`)).id;
      pos = await makeDevice(db.db, rid, "pos");
    }, 60_000);
    afterAll(() => db.drop());

    it("shows the PIN pad with big keys and the staff who can sign on, escaped", async () => {
      await makeStaff(db.db, rid, "server", { pin: "4821" });
      await withSystem(db.db, (tx) => tx.execute(sql`update users set name = '<b>Bobby</b>' where id in (select user_id from memberships where restaurant_id = ${rid} and role = 'server')`));
      const res = await app.handle(req("/station", { headers: { cookie: pos.cookie } }));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('name="pin"');
      expect(html).toContain('inputmode="numeric"');
      expect(html).toContain("data-pin-keys");
      expect(html).toContain("&lt;b&gt;Bobby&lt;/b&gt;");
      expect(html).not.toContain("<b>Bobby</b>");
    });

    it("signs a server on with their PIN: a PIN session tied to this device, then their screen", async () => {
      const s = await makeStaff(db.db, rid, "server", { pin: "5031" });
      const res = await pinFrom(app, pos.cookie, "5031");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/pos");
      const row = await one<{ kind: string; device_id: string; restaurant_id: string }>(db, sql`select kind, device_id, restaurant_id from sessions where user_id = ${s.user.id}`);
      expect(row).toEqual({ kind: "pin", device_id: pos.device.id, restaurant_id: rid });
      const cookie = cookieHeader(res, pos.cookie);
      const home = await app.handle(req("/", { headers: { cookie } }));
      expect(home.headers.get("location")).toBe("/pos");
      expect(await count(db, "audit_log", sql`action = 'pin.signon' and actor_user_id = ${s.user.id} and device_id = ${pos.device.id}`)).toBe(1);
    });

    it("a PIN session is worth nothing without its device cookie", async () => {
      const s = await makeStaff(db.db, rid, "server", { pin: "5032" });
      const res = await pinFrom(app, pos.cookie, "5032");
      const session = cookieHeader(res).split("; ").find((c) => c.startsWith(SESSION_COOKIE))!;
      expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: session } }))).status).toBe(401);
      expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: cookieHeader(res, pos.cookie) } }))).status).toBe(303);
      void s;
    });

    it("switching user is a new PIN: the previous person's session ends", async () => {
      const a = await makeStaff(db.db, rid, "server", { pin: "6001" });
      const b = await makeStaff(db.db, rid, "cashier", { pin: "6002" });
      const first = cookieHeader(await pinFrom(app, pos.cookie, "6001"), pos.cookie);
      const second = await pinFrom(app, first, "6002");
      expect(second.status).toBe(303);
      expect(await count(db, "sessions", sql`user_id = ${a.user.id} and revoked_at is null`)).toBe(0);
      expect(await count(db, "sessions", sql`user_id = ${b.user.id} and revoked_at is null`)).toBe(1);
      // The old cookie no longer works.
      expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: first } }))).status).toBe(401);
    });

    it("signing off ends the session and returns to the PIN pad", async () => {
      const s = await makeStaff(db.db, rid, "server", { pin: "6101" });
      const cookie = cookieHeader(await pinFrom(app, pos.cookie, "6101"), pos.cookie);
      const res = await app.handle(req("/station/sign-off", { method: "POST", headers: { cookie } }));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/station?done=signed-off");
      expect(await count(db, "sessions", sql`user_id = ${s.user.id} and revoked_at is null`)).toBe(0);
      expect(await count(db, "audit_log", sql`action = 'pin.signoff' and actor_user_id = ${s.user.id}`)).toBe(1);
    });

    it("locks a person's PIN after 5 wrong tries for them, refuses even the right PIN, and unlocks after 15 minutes", async () => {
      const s = await makeStaff(db.db, rid, "server", { pin: "7001" });
      const member = s.membership.id;
      const sessionsBefore = await count(db, "sessions");
      for (let i = 1; i <= 4; i++) {
        const res = await pinFrom(app, pos.cookie, "7999", member);
        expect(res.status).toBe(401);
        expect(await res.text()).toContain("That PIN is not right.");
      }
      const fifth = await pinFrom(app, pos.cookie, "7998", member);
      expect(fifth.status).toBe(423);
      expect(await fifth.text()).toContain("locked for 15 minutes");
      const right = await pinFrom(app, pos.cookie, "7001", member);
      expect(right.status).toBe(423);
      // Typed without choosing a name, a locked person's right PIN looks like any wrong one.
      const anonymous = await pinFrom(app, pos.cookie, "7001");
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).toContain("That PIN is not right.");
      expect(await count(db, "sessions")).toBe(sessionsBefore);
      expect(await count(db, "audit_log", sql`action = 'pin.failed' and actor_user_id = ${s.user.id}`)).toBe(4);
      expect(await count(db, "audit_log", sql`action = 'pin.locked' and actor_user_id = ${s.user.id}`)).toBe(1);
      // Fifteen minutes pass.
      await withSystem(db.db, (tx) => tx.execute(sql`update memberships set pin_locked_until = now() - interval '1 second' where id = ${member}`));
      const after = await pinFrom(app, pos.cookie, "7001", member);
      expect(after.status).toBe(303);
      const row = await one<{ pin_failures: number }>(db, sql`select pin_failures from memberships where id = ${member}`);
      expect(row.pin_failures).toBe(0);
    });

    it("counts a wrong PIN that matches nobody against the device, and says the same thing", async () => {
      const device = await makeDevice(db.db, rid, "pos");
      const res = await pinFrom(app, device.cookie, "0000");
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("That PIN is not right.");
      expect(await count(db, "audit_log", sql`action = 'pin.failed' and device_id = ${device.device.id} and actor_user_id is null`)).toBe(1);
    });

    it("refuses a PIN that is not 4 to 6 digits with a 400, and writes nothing", async () => {
      const before = [await count(db, "sessions"), await count(db, "audit_log")];
      for (const pin of ["123", "1234567", "12a4", "", " 1234"]) {
        const res = await pinFrom(app, pos.cookie, pin);
        expect(res.status).toBe(400);
        expect(await res.text()).toContain("A PIN is 4 to 6 digits.");
      }
      const odd = await pinFrom(app, pos.cookie, "1234", "not-a-member-id");
      expect(odd.status).toBe(400);
      expect([await count(db, "sessions"), await count(db, "audit_log")]).toEqual(before);
    });

    it("takes the same time whether a PIN matches somebody or nobody", async () => {
      const locked = await makeStaff(db.db, rid, "server", { pin: "8001" });
      await makeStaff(db.db, rid, "server", { pin: "8002" });
      await withSystem(db.db, (tx) => tx.execute(sql`update memberships set pin_locked_until = now() + interval '1 hour' where id = ${locked.membership.id}`));
      const device = (await makeDevice(db.db, rid, "pos")).device;
      const ctx = { config: testConfig(), database: db, rateLimiter: createRateLimiter(null) };
      const time = async (pin: string) => {
        const t = performance.now();
        await checkPin(ctx, { device, pin, ip: null }).catch(() => null);
        return performance.now() - t;
      };
      const samples: Record<string, number[]> = { match: [], "match, locked": [], nobody: [] };
      for (let i = 0; i < 5; i++) {
        samples.match!.push(await time("8002"));
        samples["match, locked"]!.push(await time("8001"));
        samples.nobody!.push(await time("8009"));
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      const medians = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
      expect(Math.min(...Object.values(samples).flat())).toBeGreaterThanOrEqual(PIN_FLOOR_MS - 1);
      expect(Math.max(...Object.values(medians)) - Math.min(...Object.values(medians))).toBeLessThan(25);
      console.log(`[${driver}] PIN check medians (ms): ${Object.entries(medians).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}`);
    });

    it("a browser that is not a station cannot post a PIN", async () => {
      await makeStaff(db.db, rid, "server", { pin: "8101" });
      const res = await app.handle(req("/station/pin", { form: { pin: "8101" } }));
      expect(res.status).toBe(403);
      expect(await count(db, "sessions", sql`kind = 'pin' and device_id is null`)).toBe(0);
    });

    it("a revoked device shows no PIN pad and signs nobody on", async () => {
      await makeStaff(db.db, rid, "server", { pin: "8201" });
      const device = await makeDevice(db.db, rid, "pos");
      await withSystem(db.db, (tx) => tx.execute(sql`update devices set revoked_at = now() where id = ${device.device.id}`));
      expect((await app.handle(req("/station", { headers: { cookie: device.cookie } }))).status).toBe(404);
      expect((await pinFrom(app, device.cookie, "8201")).status).toBe(403);
    });

    it("another restaurant's PIN does not work on this restaurant's station", async () => {
      const other = await makeRestaurant(db.db, `pin-other-${driver}`);
      await makeStaff(db.db, other.id, "server", { pin: "8301" });
      expect((await pinFrom(app, pos.cookie, "8301")).status).toBe(401);
    });
  });
}

describe("manager override PINs at a station", () => {
  let db: TestDatabase;
  let rid: string;

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    rid = (await makeRestaurant(db.db, "override")).id;
  }, 60_000);
  afterAll(() => db.drop());

  it("approves with a manager's PIN, refuses a server's, and audits and rate-limits the refusals", async () => {
    const pepper = testConfig().pinPepper;
    const manager = await makeStaff(db.db, rid, "manager", { pin: "9001" });
    const server = await makeStaff(db.db, rid, "server", { pin: "9002" });
    const device = await makeDevice(db.db, rid, "pos");
    const guard = { ctx: { rateLimiter: createRateLimiter(null) }, deviceId: device.device.id, ip: null, requestedBy: server.user.id, action: "orders.void_fired" };
    expect(await checkManagerPin(db.db, pepper, rid, "9001", guard)).toEqual({ userId: manager.user.id, actor: "manager" });
    expect(await checkManagerPin(db.db, pepper, rid, "9002", guard)).toBeNull();
    expect(await count(db, "audit_log", sql`action = 'override.refused' and actor_user_id = ${server.user.id}`)).toBe(1);
    for (let i = 0; i < 9; i++) await checkManagerPin(db.db, pepper, rid, "0000", guard);
    await expect(checkManagerPin(db.db, pepper, rid, "9001", guard)).rejects.toMatchObject({ status: 429 });
  });
});
