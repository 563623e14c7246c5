import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { cookieHeader } from "../helpers/auth";
import { seedDemo } from "../../src/restaurants/demo";
import { makeKiosk } from "./setup";

setDefaultTimeout(30_000);

describe("a kiosk is a station device for guests", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  /** Enrolling a device ends the enrolling manager's session in that browser: each test signs in afresh. */
  const managerCookie = async () => (await sessionCookieFor(db.db, rid, "manager")).cookie;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await seedDemo(db.db, testConfig().pinPepper, "kiosks")).restaurant.id;
  }, 60_000);
  afterAll(() => db.drop());

  it("is enrolled by a manager as kind kiosk and goes straight to the guests' menu", async () => {
    const res = await app.handle(req("/admin/devices", { form: { name: "Door kiosk", kind: "kiosk" }, headers: { cookie: await managerCookie() } }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/guest/kiosk");
    const cookie = cookieHeader(res);
    const menu = await app.handle(req("/guest/kiosk", { headers: { cookie } }));
    expect(menu.status).toBe(200);
    expect(await menu.text()).toContain("Classic Burger");
    const home = await app.handle(req("/", { headers: { cookie } }));
    expect(home.headers.get("location")).toBe("/guest/kiosk");
  });

  it("refuses a pinless kiosk, naming the field", async () => {
    const res = await app.handle(req("/admin/devices", { form: { name: "Kiosk", kind: "kiosk", pinless: "on" }, headers: { cookie: await managerCookie() } }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("A guest kiosk cannot be pinless");
  });

  it("gives a kiosk no staff rights: the POS, the kitchen and admin ask for a PIN or refuse", async () => {
    const kiosk = await makeKiosk(db.db, rid);
    for (const path of ["/pos", "/kds", "/expo", "/admin/tables", "/guest-desk"]) {
      const res = await app.handle(req(path, { headers: { cookie: kiosk.cookie } }));
      expect([303, 401, 403]).toContain(res.status);
      if (res.status === 303) expect(res.headers.get("location")).toBe("/station");
    }
    const json = await app.handle(req("/api/v1/orders", { headers: { cookie: kiosk.cookie, accept: "application/json" } }));
    expect([401, 403]).toContain(json.status);
  });

  it("stops working as a kiosk once revoked: the screen says it is not a kiosk", async () => {
    const kiosk = await makeKiosk(db.db, rid);
    const revoke = await app.handle(req(`/admin/devices/${kiosk.device.id}/revoke`, { form: {}, headers: { cookie: await managerCookie() } }));
    expect(revoke.status).toBe(303);
    const res = await app.handle(req("/guest/kiosk", { headers: { cookie: kiosk.cookie } }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("not set up as a guest kiosk");
  });
});
