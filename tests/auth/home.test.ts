import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { cookieHeader, makeDevice, makeRestaurant, makeStaff, signInAs } from "../helpers/auth";
import { ROLES } from "../../src/auth/permissions";
import { STAFF_HOME } from "../../src/auth/home";
import { withSystem } from "../../src/db/tenant";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

describe("/ sends everyone to their screen (pglite)", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  const home = async (cookie: string) => (await app.handle(req("/", { headers: { cookie } }))).headers.get("location");

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "home")).id;
  }, 60_000);
  afterAll(() => db.drop());

  it("sends a person signed in with a password to the home page listing their screens, whatever their role", async () => {
    expect(STAFF_HOME).toBe("/home");
    for (const role of ROLES) expect(await home((await signInAs(app, db.db, rid, role)).cookie)).toBe("/home");
  });

  it("sends a station to its kind's screen, with or without someone signed on", async () => {
    for (const [kind, screen] of [["pos", "/pos"], ["kds", "/kds"], ["expo", "/expo"], ["board", "/board"]] as const) {
      const pinless = await makeDevice(db.db, rid, kind, { pinless: kind !== "pos" });
      expect(await home(pinless.cookie)).toBe(kind === "pos" ? "/station" : screen);
    }
    // A manager signed on by PIN at a POS is at the POS, not in admin.
    const pos = await makeDevice(db.db, rid, "pos");
    await makeStaff(db.db, rid, "manager", { pin: "2580" });
    const signedOn = cookieHeader(await app.handle(req("/station/pin", { headers: { cookie: pos.cookie }, form: { pin: "2580" } })), pos.cookie);
    expect(await home(signedOn)).toBe("/pos");
  });

  it("sends nobody to sign in, a member of several restaurants to choose one", async () => {
    expect(await home("")).toBe("/sign-in");
    const m = await makeStaff(db.db, rid, "manager");
    const other = await makeRestaurant(db.db, "home-2");
    await withSystem(db.db, (tx) => tx.execute(sql`insert into memberships (restaurant_id, user_id, role) values (${other.id}, ${m.user.id}, 'server')`));
    const res = await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } }));
    expect(await home(cookieHeader(res))).toBe("/choose-restaurant");
  });
});
