import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { Elysia } from "elysia";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, signIn, signInAs, SESSION_COOKIE } from "../helpers/auth";
import { routesWithoutNeed, csrfRefusal } from "../../src/auth/plugin";
import { sessionExpired } from "../../src/auth/service";
import { sessions } from "../../src/db/schema";
import { withSystem } from "../../src/db/tenant";
import { sql } from "drizzle-orm";

describe("manager sign-in and sessions", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let a: Awaited<ReturnType<typeof makeRestaurant>>;
  let b: Awaited<ReturnType<typeof makeRestaurant>>;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    a = await makeRestaurant(db.db, "a");
    b = await makeRestaurant(db.db, "b");
  });
  afterAll(() => db.drop());

  it("signs a manager in with a session cookie that is HttpOnly and SameSite", async () => {
    const m = await makeStaff(db.db, a.id, "manager");
    const res = await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } }));
    expect(res.status).toBe(303);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it("gives the same message for a wrong password and an unknown account, and writes no session", async () => {
    const m = await makeStaff(db.db, a.id, "manager");
    const count = async () => (await withSystem(db.db, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(sessions)))[0]!.n;
    const before = await count();
    const wrong = await app.handle(req("/sign-in", { form: { email: m.email, password: "nope nope nope" } }));
    const unknown = await app.handle(req("/sign-in", { form: { email: "ghost@nowhere.test", password: "nope nope nope" } }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain("Email or password is not right");
    expect(await unknown.text()).toContain("Email or password is not right");
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith(SESSION_COOKIE))).toBe(false);
    expect(await count()).toBe(before);
  });

  it("refuses a malformed email with a 400 and says what is expected", async () => {
    const res = await app.handle(req("/sign-in", { form: { email: "not-an-email", password: "x" } }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Enter a valid email address");
  });

  it("asks a member of several restaurants to choose, and only among their own", async () => {
    const m = await makeStaff(db.db, a.id, "manager");
    await withSystem(db.db, (tx) => tx.execute(sql`insert into memberships (restaurant_id, user_id, role) values (${b.id}, ${m.user.id}, 'server')`));
    const res = await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } }));
    expect(res.headers.get("location")).toBe("/choose-restaurant");
    const cookie = cookieHeader(res);
    const page = await (await app.handle(req("/choose-restaurant", { headers: { cookie } }))).text();
    expect(page).toContain("R a");
    expect(page).toContain("R b");
    const c = await makeRestaurant(db.db, "c");
    const refused = await app.handle(req("/choose-restaurant", { headers: { cookie }, form: { restaurantId: c.id } }));
    expect(refused.status).toBe(403);
    const chosen = await app.handle(req("/choose-restaurant", { headers: { cookie }, form: { restaurantId: b.id } }));
    expect(chosen.status).toBe(303);
  });

  it("signing out revokes the session at once, even if the cookie is replayed", async () => {
    const { cookie } = await signInAs(app, db.db, a.id, "manager");
    const probe = () => app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie } }));
    await app.handle(req("/sign-out", { method: "POST", headers: { cookie } }));
    expect((await probe()).status).toBe(401);
  });

  it("signing out everywhere revokes every session of that person", async () => {
    const m = await makeStaff(db.db, a.id, "manager");
    const one = await signIn(app, m.email);
    const two = await signIn(app, m.email);
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: one } }))).status).toBe(303);
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: two } }))).status).toBe(401);
  });

  it("refuses a forged or tampered session cookie", async () => {
    const { cookie } = await signInAs(app, db.db, a.id, "manager");
    const value = cookie.split("=")[1]!;
    const tampered = `${SESSION_COOKIE}=${value.slice(0, -3)}abc`;
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: tampered } }))).status).toBe(401);
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie: `${SESSION_COOKIE}=garbage` } }))).status).toBe(401);
  });

  it("expires a session idle for longer than the configured hours", async () => {
    const { cookie, userId } = await signInAs(app, db.db, a.id, "manager");
    await withSystem(db.db, (tx) => tx.execute(sql`update sessions set last_seen_at = now() - interval '9 hours' where user_id = ${userId}`));
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie } }))).status).toBe(401);
    expect(sessionExpired(new Date(Date.now() - 3_600_000), 8)).toBe(false);
    expect(sessionExpired(new Date(Date.now() - 9 * 3_600_000), 8)).toBe(true);
  });

  it("refuses a cross-site POST even with a valid session, and changes nothing", async () => {
    const { cookie } = await signInAs(app, db.db, a.id, "manager");
    const evil = await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie, origin: "https://evil.example" } }));
    expect(evil.status).toBe(403);
    expect(await evil.text()).toContain("cross-origin request refused");
    const site = await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie, origin: "http://localhost", "sec-fetch-site": "cross-site" } }));
    expect(site.status).toBe(403);
    // The session still works: nothing was revoked by the refused requests.
    expect((await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie } }))).status).toBe(303);
  });

  it("knows which requests are cross-site", () => {
    const r = (headers: Record<string, string>, method = "POST") => new Request("http://shop.test/x", { method, headers: { host: "shop.test", ...headers } });
    expect(csrfRefusal(r({}, "GET"))).toBeNull();
    expect(csrfRefusal(r({ origin: "http://shop.test" }))).toBeNull();
    expect(csrfRefusal(r({ origin: "http://evil.test" }))).toContain("cross-origin");
    expect(csrfRefusal(r({}))).toContain("without Origin");
    expect(csrfRefusal(r({ "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(csrfRefusal(r({ authorization: "Bearer ros_key_x" }))).toBeNull();
  });

  it("redirects a page request without a session to sign-in", async () => {
    const res = await app.handle(req("/choose-restaurant"));
    expect(res.status).toBe(303);
  });

  it("a revoked device no longer lends its identity", async () => {
    const { device, cookie } = await makeDevice(db.db, a.id, "kds", { pinless: true });
    await withSystem(db.db, (tx) => tx.execute(sql`update devices set revoked_at = now() where id = ${device.id}`));
    const res = await app.handle(req("/sign-out-everywhere", { method: "POST", headers: { cookie } }));
    expect(res.status).toBe(401);
  });
});

describe("every route states what it needs", () => {
  it("finds routes that forgot", () => {
    const app = new Elysia().get("/open", () => "x").get("/public/app.css", () => "");
    expect(routesWithoutNeed(app.routes as never)).toEqual(["GET /open"]);
  });
});
