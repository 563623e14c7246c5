import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { openTestDatabase, createEmptyPgDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { openPostgres } from "../../src/db/client";

describe("health, readiness and headers", () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await openTestDatabase("pglite"); });
  afterAll(() => db.drop());

  it("answers /healthz while the process is alive", async () => {
    const { app } = makeTestApp(db);
    const res = await app.handle(req("/healthz"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("reports ready when the database answers and migrations are current", async () => {
    const { app } = makeTestApp(db);
    const res = await app.handle(req("/readyz"));
    expect(res.status).toBe(200);
    expect((await res.json()).checks).toEqual({ database: "ok", migrations: "ok" });
  });

  it("reports 503 naming the failing check when migrations have not run", async () => {
    const empty = await createEmptyPgDatabase();
    const database = await openPostgres(empty.url, 2);
    try {
      const { app } = makeTestApp(database);
      const res = await app.handle(req("/readyz"));
      expect(res.status).toBe(503);
      expect((await res.json()).checks.migrations).toMatch(/behind: 0 of \d+ applied/);
    } finally {
      await database.close();
      await empty.drop();
    }
  });

  it("reports 503 when the database is gone", async () => {
    const empty = await createEmptyPgDatabase();
    const database = await openPostgres(empty.url, 2);
    await database.close();
    try {
      const { app } = makeTestApp(database);
      const res = await app.handle(req("/readyz"));
      expect(res.status).toBe(503);
      expect((await res.json()).checks.database).toMatch(/unreachable/);
    } finally {
      await empty.drop();
    }
  });

  it("puts security headers with a fresh nonce on every response, 404s included", async () => {
    const { app } = makeTestApp(db);
    const one = await app.handle(req("/sign-in"));
    const two = await app.handle(req("/sign-in"));
    const missing = await app.handle(req("/no-such-page"));
    for (const res of [one, two, missing]) {
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("x-request-id")).toBeTruthy();
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    expect(one.headers.get("content-security-policy")).not.toBe(two.headers.get("content-security-policy"));
    expect(missing.status).toBe(404);
    const page = await one.text();
    const nonce = /nonce-([^']+)'/.exec(one.headers.get("content-security-policy")!)![1];
    expect(page).toContain(`nonce="${nonce}"`);
  });

  it("sends HSTS in production", async () => {
    const { app } = makeTestApp(db, { nodeEnv: "production" });
    const res = await app.handle(req("/healthz"));
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("answers an unknown API path with a JSON problem and a page path with HTML", async () => {
    const { app } = makeTestApp(db);
    const api = await app.handle(req("/api/v1/nothing"));
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: "not_found" });
    const page = await app.handle(req("/nothing"));
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("There is nothing at this address.");
  });

  it("serves htmx and the Alpine CSP build from our own origin", async () => {
    const { app } = makeTestApp(db);
    for (const file of ["htmx.min.js", "alpine-csp.min.js"]) {
      const res = await app.handle(req(`/vendor/${file}`));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("javascript");
      expect((await res.text()).length).toBeGreaterThan(10_000);
    }
    expect((await app.handle(req("/vendor/../../package.json"))).status).toBe(404);
    expect((await app.handle(req("/vendor/evil.js"))).status).toBe(404);
    expect((await app.handle(req("/public/css/app.css"))).status).toBe(200);
  });

  it("shows a request id on a 500 page and logs the error with it", async () => {
    const { app } = makeTestApp(db);
    app.get("/boom", () => { throw new Error("kaboom"); });
    const res = await app.handle(req("/boom"));
    expect(res.status).toBe(500);
    const id = res.headers.get("x-request-id")!;
    const body = await res.text();
    expect(body).toContain(id);
    expect(body).not.toContain("kaboom");
  });
});
