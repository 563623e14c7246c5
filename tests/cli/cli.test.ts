import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { createEmptyPgDatabase } from "../helpers/db";
import { run } from "../helpers/proc";
import { openPostgres, rowsOf, type Database } from "../../src/db/client";
import { expectedMigrationTags } from "../../src/db/migrate";

describe("admin CLI", () => {
  let pg: { url: string; drop: () => Promise<void> };
  let db: Database;
  const count = async (table: string) => Number(rowsOf<{ n: number }>(await db.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

  beforeAll(async () => { pg = await createEmptyPgDatabase(); });
  afterAll(async () => { await db?.close(); await pg.drop(); });

  it("prints usage and exits 2 without a command, with an unknown one, or with missing arguments", async () => {
    for (const args of [[], ["frobnicate"], ["create-restaurant", "--name", "X"], ["create-restaurant", "--bogus", "1"], ["seed-demo", "extra"]]) {
      const r = await run(["src/cli.ts", ...args], { DATABASE_URL: pg.url });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Usage: bun run cli");
    }
  });

  it("migrates, naming what it applied (it said \"up to date\" while creating every table), and a second migrate does nothing new", async () => {
    const first = await run(["src/cli.ts", "migrate"], { DATABASE_URL: pg.url });
    expect(first.code).toBe(0);
    const tags = expectedMigrationTags();
    expect(first.stdout).toContain(`Applied ${tags.length} migrations: ${tags.join(", ")}.`);
    expect(first.stdout).not.toContain("up to date");
    db = await openPostgres(pg.url, 2);
    const applied = await count("drizzle.__drizzle_migrations");
    const second = await run(["src/cli.ts", "migrate"], { DATABASE_URL: pg.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Migrations are up to date (${tags.length} applied, nothing new).`);
    expect(await count("drizzle.__drizzle_migrations")).toBe(applied);
  });

  it("creates a restaurant and prints the owner's one-time password and the API key once", async () => {
    const r = await run(["src/cli.ts", "create-restaurant", "--name", "Luigi's", "--slug", "luigis", "--owner-email", "luigi@example.com"], { DATABASE_URL: pg.url });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/one-time password \(shown once\): [a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/);
    expect(r.stdout).toMatch(/API key \(shown once\): ros_key_\S{40,}/);
    const key = /API key \(shown once\): (\S+)/.exec(r.stdout)![1]!;
    // Only a hash is kept.
    const stored = rowsOf<{ key_hash: string }>(await db.db.execute(sql`select key_hash from api_keys`));
    expect(stored.map((s) => s.key_hash)).not.toContain(key);
  });

  it("refuses a duplicate slug with a clear message and writes nothing", async () => {
    const before = [await count("restaurants"), await count("users"), await count("memberships"), await count("api_keys")];
    const r = await run(["src/cli.ts", "create-restaurant", "--name", "Other", "--slug", "luigis", "--owner-email", "new@example.com"], { DATABASE_URL: pg.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('A restaurant with slug "luigis" already exists');
    expect([await count("restaurants"), await count("users"), await count("memberships"), await count("api_keys")]).toEqual(before);
  });

  it.each([
    [["--slug", "Bad Slug"], /Slug must be/],
    [["--owner-email", "not-an-email"], /Owner email is not a valid email/],
    [["--time-zone", "Mars/Olympus"], /Unknown time zone/],
  ])("refuses bad input %p", async (override, message) => {
    const base: Record<string, string> = { "--name": "X", "--slug": "xx", "--owner-email": "x@example.com" };
    for (let i = 0; i < override.length; i += 2) base[override[i]!] = override[i + 1]!;
    const r = await run(["src/cli.ts", "create-restaurant", ...Object.entries(base).flat()], { DATABASE_URL: pg.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it("seeds demo restaurants under several slugs with a full menu and staff of every role", async () => {
    for (const slug of ["demo-a", "demo-b"]) {
      const r = await run(["src/cli.ts", "seed-demo", "--slug", slug], { DATABASE_URL: pg.url });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`slug ${slug}`);
      expect(r.stdout).toMatch(/Staff PINs: owner \d{4}, manager \d{4}, server \d{4}, cashier \d{4}, kitchen \d{4}, expo \d{4}/);
      expect(r.stdout).toMatch(/API key \(shown once\): ros_key_/);
    }
    const roles = rowsOf<{ role: string }>(await db.db.execute(sql`select distinct role::text from memberships m join restaurants r on r.id = m.restaurant_id where r.slug = 'demo-a'`));
    expect(roles.map((r) => r.role).sort()).toEqual(["cashier", "expo", "kitchen", "manager", "owner", "server"]);
    expect(await count("stations")).toBe(8);
    expect(await count("menu_items")).toBeGreaterThan(20);
    expect(await count("modifier_groups")).toBeGreaterThan(8);
  });

  it("gives every demo random passwords and PINs, printed once, never the documented ones (issue 18, point 11)", async () => {
    const printed = [];
    for (const slug of ["rand-a", "rand-b"]) {
      const r = await run(["src/cli.ts", "seed-demo", "--slug", slug], { DATABASE_URL: pg.url });
      expect(r.code).toBe(0);
      const password = /Manager: \S+ {2}password (\S+)/.exec(r.stdout)![1]!;
      const pins = /Staff PINs: (.*)/.exec(r.stdout)![1]!.match(/\d{4}/g)!;
      expect(password).not.toBe("demo-manager-password");
      expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(new Set(pins).size).toBe(6);
      printed.push({ password, pins: pins.join(",") });
    }
    expect(printed[0]!.password).not.toBe(printed[1]!.password);
    expect(printed[0]!.pins).not.toBe(printed[1]!.pins);
    expect(printed.map((p) => p.pins)).not.toContain("1111,2222,3333,4444,5555,6666");
  });

  it("prints the sign-in address with the configured HOST and PORT (it said localhost:3000 whatever they were)", async () => {
    const r = await run(["src/cli.ts", "seed-demo", "--slug", "port-demo"], { DATABASE_URL: pg.url, PORT: "4567", HOST: "127.0.0.1" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Sign in at http://127.0.0.1:4567/sign-in");
    const wildcard = await run(["src/cli.ts", "seed-demo", "--slug", "port-demo-2"], { DATABASE_URL: pg.url, PORT: "8181", HOST: "0.0.0.0" });
    expect(wildcard.stdout).toContain("Sign in at http://localhost:8181/sign-in");
  });

  it("stops with a clear message when the database cannot be reached", async () => {
    const r = await run(["src/cli.ts", "migrate"], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot reach the database at DATABASE_URL");
  });
});
