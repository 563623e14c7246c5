import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { makeDevice, makeRestaurant, makeStaff, signInAs } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

describe("the audit log page", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let cookie: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "auditpage")).id;
    cookie = (await signInAs(app, db.db, rid, "manager")).cookie;
  }, 60_000);
  afterAll(() => db.drop());

  it("shows who did what, from which device, newest first, with the details escaped", async () => {
    const device = await makeDevice(db.db, rid, "pos");
    const s = await makeStaff(db.db, rid, "server", { pin: "1212" });
    await withSystem(db.db, (tx) => tx.execute(sql`update users set name = '<img src=x onerror=alert(1)>' where id = ${s.user.id}`));
    await app.handle(req("/station/pin", { headers: { cookie: device.cookie }, form: { pin: "9898", member: s.membership.id } }));
    await app.handle(req("/station/pin", { headers: { cookie: device.cookie }, form: { pin: "1212" } }));
    const html = await (await app.handle(req("/admin/audit", { headers: { cookie } }))).text();
    expect(html).toContain("Signed on with PIN");
    expect(html).toContain("Wrong PIN");
    expect(html).toContain("pos device");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img src=x");
    expect(html.indexOf("Signed on with PIN")).toBeLessThan(html.indexOf("Wrong PIN"));
  });

  it("filters by kind and pages through older entries", async () => {
    const values = Array.from({ length: 60 }, (_, i) => sql`(${rid}, 'staff.pin_unlocked', ${JSON.stringify({ name: `n${i}` })}::jsonb, now() - make_interval(secs => ${i}::int))`);
    await withSystem(db.db, (tx) => tx.execute(sql`insert into audit_log (restaurant_id, action, data, created_at) values ${sql.join(values, sql`, `)}`));
    const first = await (await app.handle(req("/admin/audit?show=staff", { headers: { cookie } }))).text();
    expect(first).not.toContain("Signed on with PIN");
    expect((first.match(/Unlocked a PIN/g) ?? []).length).toBe(50);
    expect(first).toContain("page=2");
    const second = await (await app.handle(req("/admin/audit?show=staff&page=2", { headers: { cookie } }))).text();
    expect((second.match(/Unlocked a PIN/g) ?? []).length).toBe(10);
  });

  it("shows nothing of another restaurant", async () => {
    const other = await makeRestaurant(db.db, "auditpage-other");
    await withSystem(db.db, (tx) => tx.execute(sql`insert into audit_log (restaurant_id, action, data) values (${other.id}, 'staff.created', '{"name":"Secret Sally"}')`));
    expect(await (await app.handle(req("/admin/audit", { headers: { cookie } }))).text()).not.toContain("Secret Sally");
  });
});
