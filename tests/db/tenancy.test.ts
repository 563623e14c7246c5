import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { DRIVERS, openTestDatabase, type TestDatabase } from "../helpers/db";
import { createRestaurant } from "../../src/restaurants/service";
import { withSystem, withTenant } from "../../src/db/tenant";
import { auditLog, events, menuCategories, restaurants, stations, users } from "../../src/db/schema";
import { rowsOf } from "../../src/db/client";
import { pgErrorCode } from "../../src/db/errors";

const INSUFFICIENT_PRIVILEGE = "42501";
/** The Postgres error code a statement failed with (null when it did not fail). */
const refusal = (attempt: Promise<unknown>) => attempt.then(() => null, pgErrorCode);

describe.each(DRIVERS)("tenant isolation on %s", (driver) => {
  let db: TestDatabase;
  let a: string;
  let b: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    a = (await createRestaurant(db.db, { name: "A", slug: "a", ownerEmail: "a@example.com" })).restaurant.id;
    b = (await createRestaurant(db.db, { name: "B", slug: "b", ownerEmail: "b@example.com" })).restaurant.id;
    await withTenant(db.db, a, (tx) => tx.insert(stations).values({ restaurantId: a, name: "Grill", slug: "grill" }));
    await withTenant(db.db, b, (tx) => tx.insert(stations).values({ restaurantId: b, name: "Grill", slug: "grill" }));
  });
  afterAll(() => db.drop());

  it("runs tenant statements as the non-owner role", async () => {
    const [row] = await withTenant(db.db, a, async (tx) => rowsOf<{ u: string }>(await tx.execute(sql`select current_user as u`)));
    expect(row!.u).toBe("ros_app");
  });

  it("shows only the current restaurant's rows even when the query leaves out its filter", async () => {
    const seen = await withTenant(db.db, a, (tx) => tx.select().from(stations));
    expect(seen.map((s) => s.restaurantId)).toEqual([a]);
    const rs = await withTenant(db.db, a, (tx) => tx.select().from(restaurants));
    expect(rs.map((r) => r.id)).toEqual([a]);
  });

  it("cannot update another restaurant's rows without a filter", async () => {
    await withTenant(db.db, a, (tx) => tx.update(stations).set({ name: "Hacked" }));
    const bRows = await withTenant(db.db, b, (tx) => tx.select().from(stations));
    expect(bRows.map((s) => s.name)).toEqual(["Grill"]);
  });

  it("cannot delete another restaurant's rows without a filter", async () => {
    await withTenant(db.db, a, (tx) => tx.delete(auditLog));
    await withTenant(db.db, b, (tx) => tx.insert(auditLog).values({ restaurantId: b, action: "test" }));
    await withTenant(db.db, a, (tx) => tx.delete(auditLog));
    const bRows = await withTenant(db.db, b, (tx) => tx.select().from(auditLog));
    expect(bRows).toHaveLength(1);
  });

  it("refuses to insert a row into another restaurant", async () => {
    const attempt = withTenant(db.db, a, (tx) => tx.insert(menuCategories).values({ restaurantId: b, name: "Sneaky" }));
    await expect(attempt).rejects.toThrow();
    const bCats = await withTenant(db.db, b, (tx) => tx.select().from(menuCategories));
    expect(bCats).toHaveLength(0);
  });

  it("refuses to move a row into another restaurant by UPDATE", async () => {
    const attempt = withTenant(db.db, a, (tx) => tx.update(stations).set({ restaurantId: b }).where(eq(stations.restaurantId, a)));
    await expect(attempt).rejects.toThrow();
  });

  it("refuses a row that points into another tenant through a composite key", async () => {
    const [bStation] = await withTenant(db.db, b, (tx) => tx.select().from(stations));
    // Even as owner (no RLS in the way), (restaurant_id, station_id) must exist together.
    const attempt = withSystem(db.db, (tx) => tx.execute(sql`insert into devices (restaurant_id, name, kind, station_id, token_hash) values (${a}, 'x', 'kds', ${bStation!.id}, 'h')`));
    await expect(attempt).rejects.toThrow();
  });

  it("sees nothing at all without a restaurant set", async () => {
    const rows = await db.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'ros_app', true)`);
      return tx.select().from(stations);
    });
    expect(rows).toHaveLength(0);
  });

  it("shows the tenant role only the people of the current restaurant (it read every user of every restaurant)", async () => {
    const seen = await withTenant(db.db, a, (tx) => tx.select({ email: users.email }).from(users));
    expect(seen.map((u) => u.email)).toEqual(["a@example.com"]);
    const names = await withTenant(db.db, a, async (tx) => rowsOf<{ email: string }>(await tx.execute(sql`select email from users where email = 'b@example.com'`)));
    expect(names).toHaveLength(0);
  });

  it.each([
    ["users", "password_hash"], ["users", "totp_secret"], ["users", "recovery_codes"], ["memberships", "pin_digest"],
  ])("never lets the tenant role read %s.%s, not even its own restaurant's", async (table, column) => {
    expect(await refusal(withTenant(db.db, a, (tx) => tx.execute(sql.raw(`select ${column} from ${table}`))))).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(withTenant(db.db, a, (tx) => tx.execute(sql.raw(`select * from ${table}`))))).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("keeps identity code, running as the owner, able to read the hashes it checks", async () => {
    const [row] = await withSystem(db.db, (tx) => tx.select({ hash: users.passwordHash }).from(users).where(eq(users.email, "a@example.com")));
    expect(row!.hash).toMatch(/^\$argon2/);
  });

  it("cannot read events of another restaurant", async () => {
    await withSystem(db.db, (tx) => tx.insert(events).values({ restaurantId: b, seq: 1, type: "x", data: {} }));
    const seen = await withTenant(db.db, a, (tx) => tx.select().from(events));
    expect(seen).toHaveLength(0);
  });
});

describe("tenant transactions on real Postgres", () => {
  let db: TestDatabase;
  let a: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    a = (await createRestaurant(db.db, { name: "A", slug: "a", ownerEmail: "a@example.com" })).restaurant.id;
    await createRestaurant(db.db, { name: "B", slug: "b", ownerEmail: "b@example.com" });
  });
  afterAll(() => db.drop());

  it("cannot RESET ROLE back to the owner: the tenant pool logged in as ros_app", async () => {
    const seen = await withTenant(db.db, a, async (tx) => {
      await tx.execute(sql`reset role`);
      const [who] = rowsOf<{ u: string; s: string }>(await tx.execute(sql`select current_user as u, session_user as s`));
      const people = rowsOf<{ email: string }>(await tx.execute(sql`select email from users`));
      return { who, people: people.map((p) => p.email) };
    });
    expect(seen.who).toEqual({ u: "ros_app", s: "ros_app" });
    expect(seen.people).toEqual(["a@example.com"]);
  });

  it("cannot SET ROLE to the owner or SET SESSION AUTHORIZATION either", async () => {
    const owner = rowsOf<{ u: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select current_user as u`)))[0]!.u;
    expect(await refusal(withTenant(db.db, a, (tx) => tx.execute(sql.raw(`set role ${owner}`))))).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(withTenant(db.db, a, (tx) => tx.execute(sql.raw(`set session authorization ${owner}`))))).toBe(INSUFFICIENT_PRIVILEGE);
  });
});
