import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, signIn } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";
import { pinDigest } from "../../src/auth/secrets";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

type App = ReturnType<typeof makeTestApp>["app"];

describe("staff admin", () => {
  let db: TestDatabase;
  let app: App;
  let rid: string;
  let manager: { cookie: string; userId: string };
  let owner: { cookie: string; userId: string };

  const q = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(query)));
  const n = async (query: ReturnType<typeof sql>) => Number((await q<{ n: number }>(query))[0]!.n);
  /** Counts of every table a refused staff change could touch. */
  const snapshot = async () => ({
    users: await n(sql`select count(*)::int as n from users`),
    memberships: await n(sql`select count(*)::int as n from memberships`),
    digests: (await q<{ d: string }>(sql`select string_agg(coalesce(pin_digest,'-') || role || active::text, ',' order by id) as d from memberships`))[0]!.d,
    audit: await n(sql`select count(*)::int as n from audit_log`),
  });
  const post = (cookie: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.handle(req(path, { method: "POST", headers: { cookie, ...headers }, form }));
  const newStaff = (over: Record<string, string> = {}) => ({ name: "Sam Server", email: "", role: "server", pin: "", password: "", ...over });

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "staffadmin")).id;
    const m = await makeStaff(db.db, rid, "manager");
    manager = { cookie: await signIn(app, m.email), userId: m.user.id };
    const o = await makeStaff(db.db, rid, "owner");
    owner = { cookie: await signIn(app, o.email), userId: o.user.id };
  }, 60_000);
  afterAll(() => db.drop());

  it("lists the staff with their role, ways to sign in and status, escaped", async () => {
    await makeStaff(db.db, rid, "kitchen", { pin: "1357" });
    await withSystem(db.db, (tx) => tx.execute(sql`update users set name = '<script>alert(1)</script>' where id in (select user_id from memberships where restaurant_id = ${rid} and role = 'kitchen')`));
    const html = await (await app.handle(req("/admin/staff", { headers: { cookie: manager.cookie } }))).text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // Inside a quoted attribute (the confirm text) "<" is inert; outside one it must never appear raw.
    expect(html.replace(/hx-confirm="[^"]*"/g, "")).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("Kitchen");
    expect(html).toContain("PIN");
  });

  it("adds PIN-only staff, with the PIN stored only as a peppered digest", async () => {
    const res = await post(manager.cookie, "/admin/staff", newStaff({ name: "Pat Prep", role: "kitchen", pin: "2468" }));
    expect(res.status).toBe(303);
    const [row] = await q<{ pin_digest: string; email: string | null; password_hash: string | null }>(sql`select m.pin_digest, u.email, u.password_hash from memberships m join users u on u.id = m.user_id where u.name = 'Pat Prep'`);
    expect(row!.pin_digest).toBe(pinDigest(testConfig().pinPepper, rid, "2468"));
    expect(row!.email).toBeNull();
    expect(row!.password_hash).toBeNull();
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'staff.created' and data->>'name' = 'Pat Prep'`)).toBe(1);
  });

  it("adds a manager with a temporary password they must change at first sign-in", async () => {
    const res = await post(manager.cookie, "/admin/staff", newStaff({ name: "Mo Manager", role: "manager", email: "Mo@Staff.test", password: "lemon grill tuesday" }));
    expect(res.status).toBe(303);
    const signedIn = await app.handle(req("/sign-in", { form: { email: "mo@staff.test", password: "lemon grill tuesday" } }));
    expect(signedIn.headers.get("location")).toBe("/account/password");
  });

  it("invites someone who already has an account elsewhere without touching their password; they join on accepting", async () => {
    const other = await makeRestaurant(db.db, "staffadmin-other");
    const elsewhere = await makeStaff(db.db, other.id, "server", { email: "roamer@staff.test" });
    const res = await post(manager.cookie, "/admin/staff", newStaff({ name: "Roamer", role: "cashier", email: "roamer@staff.test", pin: "9753", password: "ignored ignored ignored" }));
    expect(res.headers.get("location")).toBe("/admin/staff?done=created");
    expect(await n(sql`select count(*)::int as n from memberships where user_id = ${elsewhere.user.id}`)).toBe(2);
    const signedIn = await app.handle(req("/sign-in", { form: { email: "roamer@staff.test", password: elsewhere.password } }));
    expect(signedIn.headers.get("location")).toBe("/invitations");
    const [invite] = await q<{ id: string }>(sql`select id from memberships where user_id = ${elsewhere.user.id} and restaurant_id = ${rid}`);
    expect((await post(cookieHeader(signedIn), `/invitations/${invite!.id}/accept`, {})).status).toBe(303);
    expect(await n(sql`select count(*)::int as n from memberships where user_id = ${elsewhere.user.id} and active`)).toBe(2);
  });

  const refusals: [string, Record<string, string>, number, string][] = [
    ["no name", { name: "  " }, 400, "Enter a name"],
    ["a malformed email", { email: "sam@", pin: "1111" }, 400, "valid email address"],
    ["a PIN of 3 digits", { pin: "123" }, 400, "4 to 6 digits"],
    ["a PIN of 7 digits", { pin: "1234567" }, 400, "4 to 6 digits"],
    ["a PIN with letters", { pin: "12ab" }, 400, "4 to 6 digits"],
    ["no PIN for a server", { pin: "" }, 400, "set one of 4 to 6 digits"],
    ["a taken PIN", { pin: "1357" }, 409, "already used by someone"],
    ["a manager without email", { role: "manager", pin: "8642" }, 400, "enter an email address"],
    ["a manager without a password", { role: "manager", email: "nopass@staff.test" }, 400, "temporary password"],
    ["a weak password", { role: "manager", email: "weak@staff.test", password: "short" }, 400, "at least 12 characters"],
    ["the email as password", { role: "manager", email: "weak@staff.test", password: "weak@staff.test1" }, 400, "email address"],
    ["an unknown role", { role: "chef", pin: "8642" }, 400, "Choose a role"],
    ["an email already on staff", { email: "mo@staff.test", pin: "8642" }, 409, "already on the staff"],
    ["an owner, by a manager", { role: "owner", email: "new-owner@staff.test", password: "lemon grill tuesday" }, 403, "Only an owner"],
  ];
  for (const [what, form, status, message] of refusals) {
    it(`refuses ${what} with ${status}, says why, and writes nothing`, async () => {
      const before = await snapshot();
      const res = await post(manager.cookie, "/admin/staff", newStaff(form));
      expect(res.status).toBe(status);
      expect(await res.text()).toContain(message);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("lets only owners make or unmake owners", async () => {
    const s = await makeStaff(db.db, rid, "server", { pin: "3141" });
    const byManager = await post(manager.cookie, `/admin/staff/${s.membership.id}/role`, { role: "owner" });
    expect(byManager.status).toBe(403);
    const byOwner = await post(owner.cookie, `/admin/staff/${s.membership.id}/role`, { role: "owner" });
    expect(byOwner.status).toBe(303);
    // Now an owner: a manager cannot demote or deactivate them.
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/role`, { role: "server" })).status).toBe(403);
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/active`, { active: "false" })).status).toBe(403);
    expect((await post(owner.cookie, `/admin/staff/${s.membership.id}/role`, { role: "server" })).status).toBe(303);
    const audits = await q<{ from: string; to: string }>(sql`select data->>'from' as "from", data->>'to' as "to" from audit_log where action = 'staff.role_changed' and data->>'membershipId' = ${s.membership.id} order by created_at`);
    expect(audits).toEqual([{ from: "server", to: "owner" }, { from: "owner", to: "server" }]);
  });

  it("keeps at least one active owner", async () => {
    const r = await makeRestaurant(db.db, "one-owner");
    const [only] = await q<{ id: string; user_id: string }>(sql`select id, user_id from memberships where restaurant_id = ${r.id} and role = 'owner'`);
    const second = await makeStaff(db.db, r.id, "owner");
    const cookie = await signIn(app, second.email);
    expect((await post(cookie, `/admin/staff/${only!.id}/active`, { active: "false" })).status).toBe(303);
    const res = await post(cookie, `/admin/staff/${second.membership.id}/role`, { role: "manager" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("at least one active owner");
  });

  it("deactivating someone ends their sessions at once, on every device", async () => {
    const s = await makeStaff(db.db, rid, "cashier", { pin: "2718" });
    const device = await makeDevice(db.db, rid, "pos");
    const station = cookieHeader(await app.handle(req("/station/pin", { headers: { cookie: device.device ? device.cookie : "" }, form: { pin: "2718" } })), device.cookie);
    const browser = await signIn(app, s.email);
    const res = await post(manager.cookie, `/admin/staff/${s.membership.id}/active`, { active: "false" });
    expect(res.status).toBe(303);
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: station } }))).status).toBe(401);
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: browser } }))).status).toBe(401);
    expect(await n(sql`select count(*)::int as n from sessions where user_id = ${s.user.id} and revoked_at is null`)).toBe(0);
    expect(await n(sql`select count(*)::int as n from events where type = 'staff.deactivated' and data->>'userId' = ${s.user.id}`)).toBe(1);
    expect((await app.handle(req("/station/pin", { headers: { cookie: device.cookie }, form: { pin: "2718" } }))).status).toBe(401);
  });

  it("answers an htmx deactivate with just the row", async () => {
    const s = await makeStaff(db.db, rid, "server", { pin: "1618" });
    const res = await post(manager.cookie, `/admin/staff/${s.membership.id}/active`, { active: "false" }, { "hx-request": "true" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toStartWith(`<tr id="staff-${s.membership.id}"`);
    expect(html).toContain("Deactivated");
  });

  it("refuses to let a manager deactivate themselves", async () => {
    const [self] = await q<{ id: string }>(sql`select id from memberships where user_id = ${manager.userId}`);
    const res = await post(manager.cookie, `/admin/staff/${self!.id}/active`, { active: "false" });
    expect(res.status).toBe(400);
  });

  it("resets a PIN: unique, 4 to 6 digits, clears the lock, signs them off stations", async () => {
    const s = await makeStaff(db.db, rid, "server", { pin: "5050" });
    await withSystem(db.db, (tx) => tx.execute(sql`update memberships set pin_failures = 3, pin_locked_until = now() + interval '10 minutes' where id = ${s.membership.id}`));
    const before = await snapshot();
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/pin`, { pin: "12" })).status).toBe(400);
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/pin`, { pin: "1357" })).status).toBe(409);
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/pin`, { remove: "1" })).status).toBe(400);
    expect(await snapshot()).toEqual(before);
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/pin`, { pin: "505050" })).status).toBe(303);
    const [row] = await q<{ pin_digest: string; pin_failures: number; pin_locked_until: Date | null }>(sql`select pin_digest, pin_failures, pin_locked_until from memberships where id = ${s.membership.id}`);
    expect(row).toEqual({ pin_digest: pinDigest(testConfig().pinPepper, rid, "505050"), pin_failures: 0, pin_locked_until: null });
  });

  it("unlocks a locked PIN from the list, by htmx", async () => {
    const s = await makeStaff(db.db, rid, "server", { pin: "6060" });
    await withSystem(db.db, (tx) => tx.execute(sql`update memberships set pin_locked_until = now() + interval '10 minutes' where id = ${s.membership.id}`));
    expect(await (await app.handle(req("/admin/staff", { headers: { cookie: manager.cookie } }))).text()).toContain("PIN locked");
    const res = await post(manager.cookie, `/admin/staff/${s.membership.id}/unlock`, {}, { "hx-request": "true" });
    expect(await res.text()).not.toContain("PIN locked");
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'staff.pin_unlocked' and data->>'membershipId' = ${s.membership.id}`)).toBe(1);
  });

  it("sets a temporary password only for people who work here alone", async () => {
    const local = await makeStaff(db.db, rid, "manager");
    const localBrowser = await signIn(app, local.email);
    const res = await post(owner.cookie, `/admin/staff/${local.membership.id}/password`, { password: "fresh start tuesday" });
    expect(res.status).toBe(303);
    expect((await app.handle(req("/admin/staff", { headers: { cookie: localBrowser } }))).status).toBe(303);
    expect((await app.handle(req("/sign-in", { form: { email: local.email, password: "fresh start tuesday" } }))).headers.get("location")).toBe("/account/password");

    const [roamer] = await q<{ id: string }>(sql`select m.id from memberships m join users u on u.id = m.user_id where u.email = 'roamer@staff.test' and m.restaurant_id = ${rid}`);
    const refused = await post(owner.cookie, `/admin/staff/${roamer!.id}/password`, { password: "takeover attempt now" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("also works at another restaurant");
  });

  it("shows another restaurant's staff member to nobody here (404)", async () => {
    const other = await makeRestaurant(db.db, "staffadmin-404");
    const s = await makeStaff(db.db, other.id, "server", { pin: "4040" });
    expect((await app.handle(req(`/admin/staff/${s.membership.id}`, { headers: { cookie: manager.cookie } }))).status).toBe(404);
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/active`, { active: "false" })).status).toBe(404);
    expect((await post(manager.cookie, `/admin/staff/${s.membership.id}/pin`, { pin: "4141" })).status).toBe(404);
    expect(await n(sql`select count(*)::int as n from memberships where id = ${s.membership.id} and active`)).toBe(1);
    expect((await app.handle(req("/admin/staff/not-a-uuid", { headers: { cookie: manager.cookie } }))).status).toBe(404);
  });
});
