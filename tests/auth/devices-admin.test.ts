import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, DEVICE_COOKIE, makeDevice, makeRestaurant, makeStaff, SESSION_COOKIE, signIn, signInAs } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

describe("stations and devices admin", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let grillId: string;

  const q = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(query)));
  const n = async (query: ReturnType<typeof sql>) => Number((await q<{ n: number }>(query))[0]!.n);
  const counts = async () => ({
    devices: await n(sql`select count(*)::int as n from devices`),
    stations: await n(sql`select count(*)::int as n from stations`),
    liveSessions: await n(sql`select count(*)::int as n from sessions where revoked_at is null`),
  });
  const manager = async () => (await signInAs(app, db.db, rid, "manager")).cookie;
  const enrol = (cookie: string, form: Record<string, string>) => app.handle(req("/admin/devices", { headers: { cookie }, form }));

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "devadmin")).id;
    const cookie = await manager();
    expect((await app.handle(req("/admin/stations", { headers: { cookie }, form: { name: "Grill" } }))).status).toBe(303);
    grillId = (await q<{ id: string }>(sql`select id from stations where restaurant_id = ${rid} and slug = 'grill'`))[0]!.id;
  }, 60_000);
  afterAll(() => db.drop());

  it("adds stations, refusing a duplicate or empty name with a message and no write", async () => {
    const cookie = await manager();
    const before = await counts();
    const dup = await app.handle(req("/admin/stations", { headers: { cookie }, form: { name: "grill" } }));
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain("already a station called grill");
    const empty = await app.handle(req("/admin/stations", { headers: { cookie, "hx-request": "true" }, form: { name: " " } }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toStartWith('<section class="stack" id="stations-section"');
    expect(await counts()).toEqual(before);
  });

  it("enrols this browser as a KDS for a station: sets the long-lived device cookie and signs the manager out here", async () => {
    const cookie = await manager();
    const res = await enrol(cookie, { name: "Grill KDS", kind: "kds", stationId: grillId });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/station?done=enrolled");
    const setCookies = res.headers.getSetCookie();
    const deviceCookie = setCookies.find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!;
    expect(deviceCookie).toMatch(/HttpOnly/i);
    expect(deviceCookie).toMatch(/SameSite=Strict/i);
    expect(Number(deviceCookie.match(/Max-Age=(\d+)/i)![1])).toBeGreaterThan(300 * 86400);
    const jar = cookieHeader(res, cookie);
    expect(jar).not.toContain(`${SESSION_COOKIE}=`);
    // The manager's session is over, the station shows its PIN pad.
    expect((await app.handle(req("/admin/stations", { headers: { cookie } }))).status).toBe(303);
    const pad = await app.handle(req("/station?done=enrolled", { headers: { cookie: jar } }));
    const html = await pad.text();
    expect(html).toContain("Grill KDS");
    expect(html).toContain("Kitchen display · Grill");
    expect(html).toContain("This browser is now a station");
    const [row] = await q<{ kind: string; station_id: string; token_hash: string }>(sql`select kind, station_id, token_hash from devices where name = 'Grill KDS'`);
    expect(row!.kind).toBe("kds");
    expect(row!.station_id).toBe(grillId);
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'device.enrolled' and data->>'name' = 'Grill KDS'`)).toBe(1);
  });

  it("a pinless kitchen screen works without a PIN: its home is the KDS", async () => {
    const res = await enrol(await manager(), { name: "Pass", kind: "expo", pinless: "on" });
    const jar = cookieHeader(res);
    expect((await app.handle(req("/", { headers: { cookie: jar } }))).headers.get("location")).toBe("/expo");
    expect(await (await app.handle(req("/station", { headers: { cookie: jar } }))).text()).toContain("Open the screen without a PIN");
  });

  const refusals: [string, Record<string, string>, string][] = [
    ["no name", { name: "", kind: "pos" }, "Give this screen a name"],
    ["an unknown kind", { name: "X", kind: "toaster" }, "Choose what this screen is"],
    ["a KDS without a station", { name: "X", kind: "kds" }, "Choose the kitchen station"],
    ["a KDS with another restaurant's station", { name: "X", kind: "kds", stationId: "00000000-0000-4000-8000-000000000000" }, "Choose the kitchen station"],
    ["a pinless POS", { name: "X", kind: "pos", pinless: "on" }, "A POS always asks for a PIN"],
  ];
  for (const [what, form, message] of refusals) {
    it(`refuses to enrol ${what}, says why, and writes nothing`, async () => {
      const cookie = await manager();
      const before = await counts();
      const res = await enrol(cookie, form);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(message);
      expect(res.headers.getSetCookie().some((c) => c.startsWith(`${DEVICE_COOKIE}=`))).toBe(false);
      expect(await counts()).toEqual(before);
    });
  }

  it("lists devices with last seen, and a revoke takes effect at once for the device and whoever is signed on", async () => {
    const device = await makeDevice(db.db, rid, "pos");
    await makeStaff(db.db, rid, "server", { pin: "7777" });
    const station = cookieHeader(await app.handle(req("/station/pin", { headers: { cookie: device.cookie }, form: { pin: "7777" } })), device.cookie);
    const cookie = await manager();
    const list = await (await app.handle(req("/admin/stations", { headers: { cookie } }))).text();
    expect(list).toContain(`id="device-${device.device.id}"`);
    expect(list).toContain("just now");
    const res = await app.handle(req(`/admin/devices/${device.device.id}/revoke`, { method: "POST", headers: { cookie, "hx-request": "true" } }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Revoked");
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: station } }))).status).toBe(401);
    expect((await app.handle(req("/station", { headers: { cookie: device.cookie } }))).status).toBe(404);
    expect(await n(sql`select count(*)::int as n from sessions where device_id = ${device.device.id} and revoked_at is null`)).toBe(0);
    expect(await n(sql`select count(*)::int as n from events where type = 'device.revoked' and data->>'deviceId' = ${device.device.id}`)).toBe(1);
    const again = await app.handle(req(`/admin/devices/${device.device.id}/revoke`, { method: "POST", headers: { cookie } }));
    expect(again.status).toBe(409);
  });

  it("cannot revoke another restaurant's device (404), which keeps working", async () => {
    const other = await makeRestaurant(db.db, "devadmin-other");
    const theirs = await makeDevice(db.db, other.id, "kds", { pinless: true });
    const res = await app.handle(req(`/admin/devices/${theirs.device.id}/revoke`, { method: "POST", headers: { cookie: await manager() } }));
    expect(res.status).toBe(404);
    expect(await n(sql`select count(*)::int as n from devices where id = ${theirs.device.id} and revoked_at is null`)).toBe(1);
  });

  it("enrolling a browser that already is a station replaces the old enrolment", async () => {
    const old = await makeDevice(db.db, rid, "pos");
    const m = await makeStaff(db.db, rid, "manager");
    const res = await app.handle(req("/sign-in", { headers: { cookie: old.cookie }, form: { email: m.email, password: m.password } }));
    const cookie = cookieHeader(res, old.cookie);
    expect(await (await app.handle(req("/admin/stations", { headers: { cookie } }))).text()).toContain("This browser is already the station");
    expect((await enrol(cookie, { name: "New POS", kind: "pos" })).status).toBe(303);
    expect(await n(sql`select count(*)::int as n from devices where id = ${old.device.id} and revoked_at is not null`)).toBe(1);
  });

  it("a kitchen user cannot manage devices", async () => {
    const { cookie } = await signInAs(app, db.db, rid, "kitchen");
    expect((await enrol(cookie, { name: "Sneaky", kind: "pos" })).status).toBe(403);
    void signIn;
  });
});
