import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, makeRestaurant, makeStaff, signIn } from "../helpers/auth";
import { passwordProblem } from "../../src/auth/passwords";
import { createRestaurant } from "../../src/restaurants/service";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

describe("password rules", () => {
  const who = { email: "maya.manager@diner.test", name: "Maya Manager" };
  const cases: [string, RegExp | null][] = [
    ["short", /at least 12 characters \(this one has 5\)/],
    ["x".repeat(201), /at most 200/],
    ["maya.manager@diner.test!", /email/],
    ["my name is maya.manager ok", /email/],
    ["MayaManager2024!!", /name/],
    ["aaaaaaaaaaaaaaaa", /different characters/],
    ["password123456789", /too common/],
    ["Welcome!!2024-2025", /too common/],
    ["314159265358979", /digits only/],
    ["correct horse battery staple", null],
    ["grill-tuesday-lemon-42", null],
  ];
  for (const [password, expected] of cases) {
    it(`${expected ? "refuses" : "accepts"} "${password.slice(0, 30)}"`, () => {
      const problem = passwordProblem(password, who);
      if (expected) expect(problem).toMatch(expected);
      else expect(problem).toBeNull();
    });
  }
});

describe("the one-time password and changing passwords", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];

  const hashOf = async (id: string) => rowsOf<{ password_hash: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select password_hash from users where id = ${id}`)))[0]!.password_hash;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
  }, 60_000);
  afterAll(() => db.drop());

  it("sends the CLI's owner to choose a password before anything else, then lets them in", async () => {
    const created = await createRestaurant(db.db, { name: "Fresh", slug: "fresh", ownerEmail: "olive@fresh.test" });
    const res = await app.handle(req("/sign-in", { form: { email: "olive@fresh.test", password: created.ownerPassword! } }));
    expect(res.headers.get("location")).toBe("/account/password");
    const cookie = cookieHeader(res);
    const page = await app.handle(req("/admin/staff", { headers: { cookie } }));
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/account/password");
    const post = await app.handle(req("/admin/stations", { headers: { cookie }, form: { name: "Grill" } }));
    expect(post.status).toBe(403);
    expect(await post.text()).toContain("Choose a new password first");
    const form = await (await app.handle(req("/account/password", { headers: { cookie } }))).text();
    expect(form).toContain("At least 12 characters");
    expect(form).toContain("one-time password");

    const weak = await app.handle(req("/account/password", { headers: { cookie }, form: { current: created.ownerPassword!, next: "short", confirm: "short" } }));
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("Use at least 12 characters");
    const mismatch = await app.handle(req("/account/password", { headers: { cookie }, form: { current: created.ownerPassword!, next: "lemon grill tuesday", confirm: "lemon grill tuesdaY" } }));
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("not the same");
    const wrongCurrent = await app.handle(req("/account/password", { headers: { cookie }, form: { current: "not it at all", next: "lemon grill tuesday", confirm: "lemon grill tuesday" } }));
    expect(wrongCurrent.status).toBe(401);
    const before = await hashOf(created.ownerId);

    const ok = await app.handle(req("/account/password", { headers: { cookie }, form: { current: created.ownerPassword!, next: "lemon grill tuesday", confirm: "lemon grill tuesday" } }));
    expect(ok.status).toBe(303);
    expect(await hashOf(created.ownerId)).not.toBe(before);
    expect((await app.handle(req("/admin/staff", { headers: { cookie } }))).status).toBe(200);
    expect((await app.handle(req("/", { headers: { cookie } }))).headers.get("location")).toBe("/home");
    // The one-time password no longer works; the new one does.
    expect((await app.handle(req("/sign-in", { form: { email: "olive@fresh.test", password: created.ownerPassword! } }))).status).toBe(401);
    expect((await app.handle(req("/sign-in", { form: { email: "olive@fresh.test", password: "lemon grill tuesday" } }))).status).toBe(303);
  });

  it("a refused change writes nothing", async () => {
    const r = await makeRestaurant(db.db, "pw-nothing");
    const m = await makeStaff(db.db, r.id, "manager");
    const cookie = await signIn(app, m.email);
    const before = await hashOf(m.user.id);
    for (const form of [
      { current: m.password, next: m.email + "xyz", confirm: m.email + "xyz" },
      { current: m.password, next: "aaaaaaaaaaaaaaaaa", confirm: "aaaaaaaaaaaaaaaaa" },
      { current: "wrong wrong wrong", next: "lemon grill tuesday", confirm: "lemon grill tuesday" },
    ]) {
      const res = await app.handle(req("/account/password", { headers: { cookie }, form }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(await hashOf(m.user.id)).toBe(before);
  });

  it("changing a password signs out the person's other browsers but not this one", async () => {
    const r = await makeRestaurant(db.db, "pw-others");
    const m = await makeStaff(db.db, r.id, "manager");
    const here = await signIn(app, m.email);
    const there = await signIn(app, m.email);
    const res = await app.handle(req("/account/password", { headers: { cookie: here }, form: { current: m.password, next: "lemon grill tuesday", confirm: "lemon grill tuesday" } }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Password changed");
    expect((await app.handle(req("/admin/staff", { headers: { cookie: here } }))).status).toBe(200);
    expect((await app.handle(req("/admin/staff", { headers: { cookie: there } }))).status).toBe(303);
    expect(rowsOf<{ n: number }>(await withSystem(db.db, (tx) => tx.execute(sql`select count(*)::int as n from audit_log where action = 'password.changed' and actor_user_id = ${m.user.id}`)))[0]!.n).toBe(1);
  });

  it("audits sign-ins that worked and that failed, in the person's restaurant", async () => {
    const r = await makeRestaurant(db.db, "pw-audit");
    const m = await makeStaff(db.db, r.id, "manager");
    await app.handle(req("/sign-in", { form: { email: m.email, password: "wrong wrong wrong" } }));
    await signIn(app, m.email);
    // The failure is written after the answer (so the answer's timing says nothing); give it a moment.
    await Bun.sleep(100);
    const rows = rowsOf<{ action: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select action from audit_log where restaurant_id = ${r.id} and actor_user_id = ${m.user.id} order by created_at`)));
    expect(rows.map((x) => x.action).sort()).toEqual(["signin.failed", "signin.ok"]);
  });

  it("refuses a person with no active restaurant, writing no session", async () => {
    const r = await makeRestaurant(db.db, "pw-gone");
    const m = await makeStaff(db.db, r.id, "manager");
    await withSystem(db.db, (tx) => tx.execute(sql`update memberships set active = false where user_id = ${m.user.id}`));
    const res = await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("not active in any restaurant");
    expect(rowsOf<{ n: number }>(await withSystem(db.db, (tx) => tx.execute(sql`select count(*)::int as n from sessions where user_id = ${m.user.id}`)))[0]!.n).toBe(0);
  });
});
