import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, signInAs } from "../helpers/auth";

setDefaultTimeout(30_000);

type App = ReturnType<typeof makeTestApp>["app"];

/*
 * Issue 18, point 18: signed-in pages carried no Cache-Control: no-store, so on a shared station Back
 * after sign-off could show the previous person's page from the browser's cache.
 */
describe("Cache-Control: no-store on every answer to an authenticated request", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let app: App;
  let rid: string;
  let apiKey: string;
  let manager: string;
  let station: string;

  const get = (path: string, headers: Record<string, string>) => app.handle(req(path, { headers }));
  const noStore = (res: Response) => expect(res.headers.get("cache-control")).toBe("no-store");

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    app = t.app;
    const r = await makeRestaurant(db.db, "nostore");
    rid = r.id;
    apiKey = r.apiKey;
    manager = (await signInAs(app, db.db, rid, "manager")).cookie;
    const pos = await makeDevice(db.db, rid, "pos");
    await makeStaff(db.db, rid, "server", { pin: "2580" });
    station = cookieHeader(await app.handle(req("/station/pin", { headers: { cookie: pos.cookie }, form: { pin: "2580" } })), pos.cookie);
  }, 60_000);
  afterAll(async () => { await t.close(); await db.drop(); });

  it("marks a signed-in manager's admin pages, redirects and refusals no-store", async () => {
    noStore(await get("/admin/staff", { cookie: manager }));
    noStore(await get("/", { cookie: manager }));
    noStore(await get("/admin/staff/not-a-uuid", { cookie: manager }));
    noStore(await get("/no/such/page", { cookie: manager }));
  });

  it("marks a person's pages at a station no-store, and the PIN pad and sign-off that follow", async () => {
    noStore(await get("/pos", { cookie: station }));
    noStore(await get("/station", { cookie: station }));
    const off = await app.handle(req("/station/sign-off", { method: "POST", headers: { cookie: station } }));
    noStore(off);
  });

  it("marks API answers and the live events stream no-store", async () => {
    noStore(await get("/api/v1/menu", { authorization: `Bearer ${apiKey}` }));
    noStore(await get("/api/v1/orders/not-a-uuid", { authorization: `Bearer ${apiKey}` }));
    const stream = await get("/api/v1/events", { authorization: `Bearer ${apiKey}` });
    expect(stream.headers.get("cache-control")).toStartWith("no-store");
    await stream.body?.cancel();
  });

  it("leaves static assets cacheable even when the browser sends its cookies", async () => {
    const css = await get("/public/css/app.css", { cookie: manager });
    expect(css.status).toBe(200);
    expect(css.headers.get("cache-control") ?? "").not.toContain("no-store");
  });
});
