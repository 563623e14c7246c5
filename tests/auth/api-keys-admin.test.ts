import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { makeRestaurant, signInAs } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";
import { sha256 } from "../../src/auth/secrets";

setDefaultTimeout(30_000);

type App = ReturnType<typeof makeTestApp>["app"];

/* Issue 18, point 17: API keys could only be made at restaurant creation; nobody could list, add, revoke or rotate one. */
describe("API keys in admin", () => {
  let db: TestDatabase;
  let app: App;
  let rid: string;
  let firstKey: string;
  let manager: { cookie: string; userId: string };

  const q = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(query)));
  const n = async (query: ReturnType<typeof sql>) => Number((await q<{ n: number }>(query))[0]!.n);
  const snapshot = async () => ({
    keys: (await q<{ d: string | null }>(sql`select string_agg(id::text || coalesce(revoked_at::text, '-'), ',' order by id) as d from api_keys`))[0]!.d,
    audit: await n(sql`select count(*)::int as n from audit_log`),
    events: await n(sql`select count(*)::int as n from events`),
  });
  const post = (cookie: string, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    app.handle(req(path, { method: "POST", headers: { cookie, ...headers }, form }));
  const api = (key: string) => app.handle(req("/api/v1/menu", { headers: { authorization: `Bearer ${key}` } }));
  const secretIn = (html: string) => html.match(/value="(ros_key_[\w-]+)"/)?.[1] ?? null;
  const keyId = async (name: string) => (await q<{ id: string }>(sql`select id from api_keys where restaurant_id = ${rid} and name = ${name} and revoked_at is null`))[0]!.id;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const r = await makeRestaurant(db.db, "keys");
    rid = r.id;
    firstKey = r.apiKey;
    manager = await signInAs(app, db.db, rid, "manager");
  }, 60_000);
  afterAll(() => db.drop());

  it("is linked in the admin navigation and lists keys with name, start, creator, last use and status, escaped", async () => {
    await api(firstKey);
    await withSystem(db.db, (tx) => tx.execute(sql`update api_keys set name = '<img src=x>' where restaurant_id = ${rid}`));
    const html = await (await app.handle(req("/admin/api-keys", { headers: { cookie: manager.cookie } }))).text();
    expect(html).toContain('href="/admin/api-keys" aria-current="page"');
    expect(html).toContain("&lt;img src=x&gt;");
    // Inside the quoted confirm text "<" is inert; outside an attribute it must never appear raw.
    expect(html.replace(/hx-confirm="[^"]*"/g, "")).not.toContain("<img src=x>");
    expect(html).toContain(firstKey.slice(0, 12));
    expect(html).not.toContain(firstKey);
    expect(html).toContain("just now"); // last used
    expect(html).toContain("by the set-up or the CLI");
    const staffPage = await (await app.handle(req("/admin/staff", { headers: { cookie: manager.cookie } }))).text();
    expect(staffPage).toContain('href="/admin/api-keys"');
  });

  it("creates a key whose secret is shown once, stores only its hash, names its creator and audits it", async () => {
    const res = await post(manager.cookie, "/admin/api-keys", { name: "Delivery app" });
    expect(res.status).toBe(200);
    const secret = secretIn(await res.text())!;
    expect(secret).toStartWith("ros_key_");
    expect((await api(secret)).status).toBe(200);
    const [row] = await q<{ key_hash: string; created_by: string }>(sql`select key_hash, created_by from api_keys where name = 'Delivery app'`);
    expect(row).toEqual({ key_hash: sha256(secret), created_by: manager.userId });
    const list = await (await app.handle(req("/admin/api-keys", { headers: { cookie: manager.cookie } }))).text();
    expect(list).not.toContain(secret);
    expect(list).toContain("Delivery app");
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'api_key.created' and actor_user_id = ${manager.userId} and data->>'name' = 'Delivery app'`)).toBe(1);
  });

  it("revokes a key: refused at once, audited, and the page says so", async () => {
    const secret = secretIn(await (await post(manager.cookie, "/admin/api-keys", { name: "Old till" })).text())!;
    const id = await keyId("Old till");
    const res = await post(manager.cookie, `/admin/api-keys/${id}/revoke`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/api-keys?done=revoked");
    expect((await api(secret)).status).toBe(401);
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'api_key.revoked' and data->>'apiKeyId' = ${id}`)).toBe(1);
    expect(await n(sql`select count(*)::int as n from events where type = 'api_key.revoked' and data->>'apiKeyId' = ${id}`)).toBe(1);
    const again = await post(manager.cookie, `/admin/api-keys/${id}/revoke`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already revoked");
  });

  it("answers an htmx revoke with just the row", async () => {
    await post(manager.cookie, "/admin/api-keys", { name: "Kiosk" });
    const id = await keyId("Kiosk");
    const res = await post(manager.cookie, `/admin/api-keys/${id}/revoke`, {}, { "hx-request": "true" });
    const html = await res.text();
    expect(html).toStartWith(`<tr id="key-${id}"`);
    expect(html).toContain("Revoked");
  });

  it("rotates a key: a new secret under the same name shown once, the old one refused, audited", async () => {
    const old = secretIn(await (await post(manager.cookie, "/admin/api-keys", { name: "Online orders" })).text())!;
    const id = await keyId("Online orders");
    const res = await post(manager.cookie, `/admin/api-keys/${id}/rotate`);
    expect(res.status).toBe(200);
    const fresh = secretIn(await res.text())!;
    expect(fresh).not.toBe(old);
    expect((await api(old)).status).toBe(401);
    expect((await api(fresh)).status).toBe(200);
    expect(await keyId("Online orders")).not.toBe(id);
    expect(await n(sql`select count(*)::int as n from audit_log where action = 'api_key.rotated' and data->>'replaces' = ${id}`)).toBe(1);
  });

  for (const [what, name] of [["an empty name", "   "], ["a name over 60 characters", "x".repeat(61)]] as const) {
    it(`refuses ${what} with 400 naming the field, and writes nothing`, async () => {
      const before = await snapshot();
      const res = await post(manager.cookie, "/admin/api-keys", { name });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("Give the key a name of 1 to 60 characters");
      expect(html).toContain('id="key-name-error"');
      expect(await snapshot()).toEqual(before);
    });
  }

  it("lets owners and managers only: a server gets 403, an API key cannot manage keys, a stranger is sent to sign in", async () => {
    const server = await signInAs(app, db.db, rid, "server");
    const before = await snapshot();
    expect((await app.handle(req("/admin/api-keys", { headers: { cookie: server.cookie } }))).status).toBe(403);
    expect((await post(server.cookie, "/admin/api-keys", { name: "Sneaky" })).status).toBe(403);
    expect((await app.handle(req("/admin/api-keys", { headers: { authorization: `Bearer ${firstKey}` } }))).status).toBe(403);
    expect((await app.handle(req("/admin/api-keys"))).status).toBe(303);
    expect(await snapshot()).toEqual(before);
    const owner = await signInAs(app, db.db, rid, "owner");
    expect((await app.handle(req("/admin/api-keys", { headers: { cookie: owner.cookie } }))).status).toBe(200);
  });

  it("cannot revoke or rotate another restaurant's key (404), which keeps working", async () => {
    const other = await makeRestaurant(db.db, "keys-other");
    const [theirs] = await q<{ id: string }>(sql`select id from api_keys where restaurant_id = ${other.id}`);
    expect((await post(manager.cookie, `/admin/api-keys/${theirs!.id}/revoke`)).status).toBe(404);
    expect((await post(manager.cookie, `/admin/api-keys/${theirs!.id}/rotate`)).status).toBe(404);
    expect((await post(manager.cookie, "/admin/api-keys/not-a-uuid/revoke")).status).toBe(404);
    expect((await api(other.apiKey)).status).toBe(200);
  });
});
