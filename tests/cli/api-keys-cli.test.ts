import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { createEmptyPgDatabase } from "../helpers/db";
import { run } from "../helpers/proc";
import { openPostgres, rowsOf, type Database } from "../../src/db/client";
import { sha256 } from "../../src/auth/secrets";

setDefaultTimeout(60_000);

/* Issue 18, point 17: the CLI could make a restaurant's first key and nothing else. */
describe("admin CLI: api-keys", () => {
  let pg: { url: string; drop: () => Promise<void> };
  let db: Database;
  const cli = (...args: string[]) => run(["src/cli.ts", ...args], { DATABASE_URL: pg.url });
  const q = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.db.execute(query));

  beforeAll(async () => {
    pg = await createEmptyPgDatabase();
    expect((await cli("create-restaurant", "--name", "Keys", "--slug", "keys", "--owner-email", "k@example.com")).code).toBe(0);
    db = await openPostgres(pg.url, 2);
  });
  afterAll(async () => { await db?.close(); await pg.drop(); });

  it("lists, creates, rotates and revokes keys, prints a secret only once, and audits each change as the CLI's", async () => {
    const created = await cli("api-keys", "create", "--slug", "keys", "--name", "Delivery app");
    expect(created.code).toBe(0);
    const secret = /API key \(shown once\): (\S+)/.exec(created.stdout)![1]!;
    const [row] = await q<{ id: string; key_hash: string }>(sql`select id, key_hash from api_keys where name = 'Delivery app'`);
    expect(row!.key_hash).toBe(sha256(secret));

    const listed = await cli("api-keys", "list", "--slug", "keys");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(row!.id);
    expect(listed.stdout).toContain('"Delivery app"');
    expect(listed.stdout).toContain("Default key");
    expect(listed.stdout).not.toContain(secret);

    const rotated = await cli("api-keys", "rotate", "--slug", "keys", "--id", row!.id);
    expect(rotated.code).toBe(0);
    const fresh = /API key \(shown once\): (\S+)/.exec(rotated.stdout)![1]!;
    expect(fresh).not.toBe(secret);
    const [next] = await q<{ id: string }>(sql`select id from api_keys where name = 'Delivery app' and revoked_at is null`);

    const revoked = await cli("api-keys", "revoke", "--slug", "keys", "--id", next!.id);
    expect(revoked.code).toBe(0);
    expect(await q(sql`select id from api_keys where name = 'Delivery app' and revoked_at is null`)).toHaveLength(0);
    const actions = await q<{ action: string; via: string; actor: string | null }>(sql`select action, data->>'via' as via, actor_user_id as actor from audit_log where action like 'api_key.%' order by created_at`);
    expect(actions).toEqual([
      { action: "api_key.created", via: "cli", actor: null },
      { action: "api_key.rotated", via: "cli", actor: null },
      { action: "api_key.revoked", via: "cli", actor: null },
    ]);
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const count = async () => Number((await q<{ n: number }>(sql`select count(*)::int as n from api_keys where revoked_at is null`))[0]!.n);
    const before = await count();
    for (const args of [["api-keys"], ["api-keys", "explode", "--slug", "keys"], ["api-keys", "create", "--slug", "keys"], ["api-keys", "revoke", "--slug", "keys"], ["api-keys", "list"]]) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Usage: bun run cli");
    }
    const unknown = await cli("api-keys", "list", "--slug", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No restaurant with slug "nope"');
    const missing = await cli("api-keys", "revoke", "--slug", "keys", "--id", "00000000-0000-4000-8000-000000000000");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No such API key here.");
    const blank = await cli("api-keys", "create", "--slug", "keys", "--name", "   ");
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain("Give the key a name");
    expect(await count()).toBe(before);
  });
});
