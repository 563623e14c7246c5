import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, signInAs } from "../helpers/auth";

setDefaultTimeout(30_000);

type App = ReturnType<typeof makeTestApp>["app"];

const SIGN_OFF_FORM = '<form method="post" action="/station/sign-off">';

/*
 * Issue 18, point 9: a kitchen PIN entered on a POS landed on a bare 403 whose only link ("Back to
 * start") led back to /pos and the same 403: a locked-down tablet was stuck.
 */
describe("refusal pages on a station", () => {
  let db: TestDatabase;
  let app: App;
  let rid: string;
  let pos: Awaited<ReturnType<typeof makeDevice>>;

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "refusal")).id;
    pos = await makeDevice(db.db, rid, "pos");
  }, 60_000);
  afterAll(() => db.drop());

  it("a kitchen PIN on a POS lands on a refusal that offers Sign off / switch person, which returns to the PIN pad", async () => {
    const cook = await makeStaff(db.db, rid, "kitchen", { pin: "3690" });
    const signedOn = await app.handle(req("/station/pin", { headers: { cookie: pos.cookie }, form: { pin: "3690" } }));
    expect(signedOn.headers.get("location")).toBe("/pos");
    const cookie = cookieHeader(signedOn, pos.cookie);
    const refused = await app.handle(req("/pos", { headers: { cookie } }));
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(html).toContain(SIGN_OFF_FORM);
    expect(html).toContain("Sign off / switch person");
    expect(html).toContain(`Signed on here: <strong>${cook.user.name}</strong>`);
    expect(html).toContain('href="/station"');
    expect(html).not.toContain('href="/"'); // "/" is /pos for this person: the loop
    const off = await app.handle(req("/station/sign-off", { method: "POST", headers: { cookie } }));
    expect(off.status).toBe(303);
    expect(off.headers.get("location")).toBe("/station?done=signed-off");
    expect((await app.handle(req("/station", { headers: { cookie: cookieHeader(off, cookie) } }))).status).toBe(200);
  });

  it("offers the same way out on every refusal at a station: not found, a refused form post, a screen nobody may open without a PIN", async () => {
    await makeStaff(db.db, rid, "server", { pin: "3691" });
    const cookie = cookieHeader(await app.handle(req("/station/pin", { headers: { cookie: pos.cookie }, form: { pin: "3691" } })), pos.cookie);
    const missing = await app.handle(req("/no/such/page", { headers: { cookie } }));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(SIGN_OFF_FORM);
    const crossSite = await app.handle(req("/station/pin", { headers: { cookie, origin: "https://evil.test" }, form: { pin: "0000" } }));
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain(SIGN_OFF_FORM);
    const board = await makeDevice(db.db, rid, "board", { pinless: true });
    const admin = await app.handle(req("/admin/staff", { headers: { cookie: board.cookie } }));
    expect(admin.status).toBe(403);
    expect(await admin.text()).toContain(SIGN_OFF_FORM);
  });

  it("keeps Back to start on a refusal away from any station", async () => {
    const server = await signInAs(app, db.db, rid, "server");
    const refused = await app.handle(req("/admin/staff", { headers: { cookie: server.cookie } }));
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(html).toContain('href="/"');
    expect(html).not.toContain(SIGN_OFF_FORM);
  });
});
