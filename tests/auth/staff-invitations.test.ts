import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, signIn, signInAs, TEST_PASSWORD } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";

setDefaultTimeout(30_000);

type App = ReturnType<typeof makeTestApp>["app"];

/*
 * Issue 18, point 19: A's manager who typed an email belonging to B's staff learned that account's name
 * and attached it to A without consent. Now the answer reveals nothing and the membership waits for
 * the person to accept at their next sign-in.
 */
describe("adding an email that already has an account", () => {
  let db: TestDatabase;
  let app: App;
  let a: string;
  let b: string;
  let manager: { cookie: string; userId: string };
  let n = 0;

  const q = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(query)));
  const post = (cookie: string, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    app.handle(req(path, { method: "POST", headers: { cookie, ...headers }, form }));
  const add = (form: Record<string, string>) => post(manager.cookie, "/admin/staff", { name: "Typed Name", email: "", role: "cashier", pin: "", password: "", ...form });
  /** One of B's staff, with a name A's manager must never learn from adding them. */
  const elsewhere = async () => {
    const s = await makeStaff(db.db, b, "server", { email: `roamer${++n}@inv.test` });
    await withSystem(db.db, (tx) => tx.execute(sql`update users set name = ${`Secret Name ${n}`} where id = ${s.user.id}`));
    return { ...s, name: `Secret Name ${n}` };
  };
  const membershipIn = async (rid: string, userId: string) =>
    (await q<{ id: string; active: boolean; invitation_pending: boolean }>(sql`select id, active, invitation_pending from memberships where restaurant_id = ${rid} and user_id = ${userId}`))[0] ?? null;
  const staffPage = async () => (await app.handle(req("/admin/staff", { headers: { cookie: manager.cookie } }))).text();

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    a = (await makeRestaurant(db.db, "inv-a")).id;
    b = (await makeRestaurant(db.db, "inv-b")).id;
    manager = await signInAs(app, db.db, a, "manager");
  }, 60_000);
  afterAll(() => db.drop());

  it("reveals nothing about the account and attaches nothing until its person accepts", async () => {
    const person = await elsewhere();
    const res = await add({ email: person.email.toUpperCase(), pin: "4711" });
    const fresh = await add({ email: `brand-new-${n}@inv.test`, pin: "4712" });
    // The same answer as for an email nobody has.
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(fresh.headers.get("location"));
    const list = await staffPage();
    expect(list).toContain("Typed Name");
    expect(list).not.toContain(person.name);
    expect(list).not.toContain("already had an account");
    const member = await membershipIn(a, person.user.id);
    expect(member).toEqual({ id: member!.id, active: false, invitation_pending: true });
    const page = await (await app.handle(req(`/admin/staff/${member!.id}`, { headers: { cookie: manager.cookie } }))).text();
    expect(page).not.toContain(person.name);
    expect(page).toContain("Invited: joins when they accept at their next sign-in");
    // Nothing works for them at A yet: not their PIN at A's station, not A among their restaurants.
    const pos = await makeDevice(db.db, a, "pos");
    expect((await app.handle(req("/station/pin", { headers: { cookie: pos.cookie }, form: { pin: "4711" } }))).status).toBe(401);
    expect(await q(sql`select 1 from audit_log where restaurant_id = ${a} and action = 'staff.invited' and data::text like ${`%${person.name}%`}`)).toHaveLength(0);
  });

  for (const [what, form, field] of [
    ["a weak temporary password", { role: "manager", password: "short" }, "at least 12 characters"],
    ["a manager without a temporary password", { role: "manager", password: "" }, "temporary password"],
  ] as const) {
    it(`refuses ${what} the same way whether or not the email has an account`, async () => {
      const person = await elsewhere();
      const existing = await add({ ...form, email: person.email });
      const unknown = await add({ ...form, email: `nobody-${n}@inv.test` });
      expect(existing.status).toBe(400);
      expect(unknown.status).toBe(400);
      expect(await existing.text()).toContain(field);
      expect(await membershipIn(a, person.user.id)).toBeNull();
    });
  }

  it("shows the invitation at their next sign-in; accepting makes them staff, and only then does A see their name", async () => {
    const person = await elsewhere();
    await add({ email: person.email, pin: "4721" });
    const signedIn = await app.handle(req("/sign-in", { form: { email: person.email, password: TEST_PASSWORD } }));
    expect(signedIn.headers.get("location")).toBe("/invitations");
    const cookie = cookieHeader(signedIn);
    const page = await (await app.handle(req("/invitations", { headers: { cookie } }))).text();
    expect(page).toContain("R inv-a");
    expect(page).toContain("as Cashier");
    const member = (await membershipIn(a, person.user.id))!;
    const accepted = await post(cookie, `/invitations/${member.id}/accept`);
    expect(accepted.status).toBe(303);
    expect(await membershipIn(a, person.user.id)).toEqual({ id: member.id, active: true, invitation_pending: false });
    expect(await q(sql`select 1 from audit_log where restaurant_id = ${a} and action = 'staff.invitation_accepted' and actor_user_id = ${person.user.id}`)).toHaveLength(1);
    expect(await staffPage()).toContain(person.name);
    const pos = await makeDevice(db.db, a, "pos");
    expect((await app.handle(req("/station/pin", { headers: { cookie: pos.cookie }, form: { pin: "4721" } }))).status).toBe(303);
    // Their own password, untouched; B's membership too.
    expect((await membershipIn(b, person.user.id))!.active).toBe(true);
  });

  it("declining removes the invitation; A learns only that it was declined", async () => {
    const person = await elsewhere();
    await add({ email: person.email, pin: "4731" });
    const cookie = await signIn(app, person.email);
    const member = (await membershipIn(a, person.user.id))!;
    expect((await post(cookie, `/invitations/${member.id}/decline`)).status).toBe(303);
    expect(await membershipIn(a, person.user.id)).toBeNull();
    expect(await q(sql`select 1 from audit_log where restaurant_id = ${a} and action = 'staff.invitation_declined'`)).toHaveLength(1);
    expect(await staffPage()).not.toContain(person.name);
    // With no invitation left, sign-in goes where it always did.
    expect((await app.handle(req("/sign-in", { form: { email: person.email, password: TEST_PASSWORD } }))).headers.get("location")).toBe("/");
  });

  it("cannot be accepted for them, nor their password set, by the restaurant; the restaurant can withdraw it", async () => {
    const person = await elsewhere();
    await add({ email: person.email, pin: "4741" });
    const member = (await membershipIn(a, person.user.id))!;
    const activate = await post(manager.cookie, `/admin/staff/${member.id}/active`, { active: "true" });
    expect(activate.status).toBe(409);
    expect(await activate.text()).toContain("cannot be accepted for them");
    const password = await post(manager.cookie, `/admin/staff/${member.id}/password`, { password: "takeover attempt now" });
    expect(password.status).toBe(409);
    const refusal = await password.text();
    expect(refusal).toContain("They have not accepted the invitation yet, so their password is not this restaurant");
    expect(refusal).not.toContain("another restaurant");
    expect((await membershipIn(a, person.user.id))!.active).toBe(false);
    const withdrawn = await post(manager.cookie, `/admin/staff/${member.id}/active`, { active: "false" });
    expect(withdrawn.headers.get("location")).toBe("/admin/staff?done=withdrawn");
    expect(await membershipIn(a, person.user.id)).toBeNull();
  });

  it("cannot answer someone else's invitation (404), which stays pending", async () => {
    const person = await elsewhere();
    await add({ email: person.email, pin: "4751" });
    const member = (await membershipIn(a, person.user.id))!;
    const other = await elsewhere();
    const cookie = await signIn(app, other.email);
    expect((await post(cookie, `/invitations/${member.id}/accept`)).status).toBe(404);
    expect((await post(cookie, "/invitations/not-a-uuid/accept")).status).toBe(404);
    expect((await post("", `/invitations/${member.id}/accept`)).status).toBe(303);
    expect((await membershipIn(a, person.user.id))!.invitation_pending).toBe(true);
  });
});
