import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { withTenant } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";
import * as q from "../../src/guest/queries";
import { makeTable } from "./setup";

setDefaultTimeout(30_000);

describe("guest ordering keeps restaurants apart", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let otherRid: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await seedDemo(db.db, testConfig().pinPepper, "guest-a")).restaurant.id;
    otherRid = (await seedDemo(db.db, testConfig().pinPepper, "guest-b")).restaurant.id;
  }, 60_000);
  afterAll(() => db.drop());

  it("never updates another restaurant's table, by the query's filter or by row-level security", async () => {
    const theirs = await makeTable(db.db, otherRid, "1");
    expect(await withTenant(db.db, rid, (tx) => q.updateTable(tx, rid, theirs.id, { open: false }))).toBeNull();
    // The query asked with their restaurant id but inside our tenant: RLS hides the row all the same.
    expect(await withTenant(db.db, rid, (tx) => q.updateTable(tx, otherRid, theirs.id, { open: false }))).toBeNull();
    expect(await withTenant(db.db, rid, (tx) => q.findTable(tx, otherRid, theirs.id))).toBeNull();
    const rows = rowsOf<{ n: number }>(await withTenant(db.db, rid, (tx) => tx.execute(sql`select count(*)::int as n from guest_tables`)));
    expect(rows[0]!.n).toBe(0);
    expect((await withTenant(db.db, otherRid, (tx) => q.findTable(tx, otherRid, theirs.id)))!.open).toBe(true);
  });

  it("never deletes another restaurant's guest order", async () => {
    await withTenant(db.db, rid, (tx) => q.deleteGuestOrder(tx, otherRid, "00000000-0000-4000-8000-000000000000"));
    const rows = rowsOf<{ n: number }>(await withTenant(db.db, rid, (tx) => tx.execute(sql`select count(*)::int as n from guest_orders`)));
    expect(rows[0]!.n).toBe(0);
  });

  it("refuses a manager's rotate, close and desk actions on another restaurant's rows as not found", async () => {
    const theirs = await makeTable(db.db, otherRid, "2");
    const manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    for (const path of [`/admin/tables/${theirs.id}/rotate`]) {
      expect((await app.handle(req(path, { form: {}, headers: { cookie: manager } }))).status).toBe(404);
    }
    expect((await app.handle(req(`/admin/tables/${theirs.id}/open`, { form: { open: "false" }, headers: { cookie: manager } }))).status).toBe(404);
    expect((await app.handle(req(`/guest-desk/${theirs.id}/confirm`, { form: {}, headers: { cookie: manager } }))).status).toBe(404);
    expect((await withTenant(db.db, otherRid, (tx) => q.findTable(tx, otherRid, theirs.id)))!).toMatchObject({ open: true, token: theirs.token });
  });
});
