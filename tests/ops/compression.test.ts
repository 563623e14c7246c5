import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { pickEncoding } from "../../src/ops/compression";
import { assetUrl, LONG_CACHE, SHORT_CACHE } from "../../src/ops/static";

const PUBLIC = join(import.meta.dir, "../../public");
const decode = (encoding: string | null, body: ArrayBuffer) => {
  const bytes = new Uint8Array(body);
  if (encoding === "br") return new Uint8Array(brotliDecompressSync(bytes));
  if (encoding === "gzip") return new Uint8Array(gunzipSync(bytes));
  return bytes;
};

describe("compressed responses and versioned static files", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let cookie: string;
  let apiKey: string;
  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    const demo = await seedDemo(db.db, testConfig().pinPepper, "compress");
    apiKey = demo.apiKey;
    cookie = (await sessionCookieFor(db.db, demo.restaurant.id, "manager")).cookie;
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it("chooses brotli, then gzip, from Accept-Encoding and honours q=0", () => {
    expect(pickEncoding("gzip, deflate, br")).toBe("br");
    expect(pickEncoding("gzip, br;q=0")).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0")).toBeNull();
    expect(pickEncoding("*")).toBe("br");
    expect(pickEncoding("identity")).toBeNull();
    expect(pickEncoding(null)).toBeNull();
  });

  it("sends a page brotli- or gzip-compressed by Accept-Encoding, with its security headers, and plain without it", async () => {
    const plain = await t.app.handle(req("/admin/menu", { headers: { cookie } }));
    const plainHtml = await plain.text();
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("vary")).toContain("Accept-Encoding");
    for (const encoding of ["br", "gzip"]) {
      const res = await t.app.handle(req("/admin/menu", { headers: { cookie, "accept-encoding": encoding } }));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe(encoding);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self' 'nonce-");
      const body = await res.arrayBuffer();
      const html = new TextDecoder().decode(decode(encoding, body));
      expect(html).toContain("Categories &amp; items");
      expect(html.length).toBe(plainHtml.length);
      // Much smaller on the wire: an admin page compresses to well under a third.
      expect(body.byteLength).toBeLessThan(plainHtml.length / 3);
    }
  });

  it("keeps the status of a refused form when compressing its page", async () => {
    const res = await t.app.handle(req("/sign-in", { form: { email: "nobody", password: "x" }, headers: { "accept-encoding": "gzip" } }));
    expect(res.status).toBe(400);
    const html = new TextDecoder().decode(decode(res.headers.get("content-encoding"), await res.arrayBuffer()));
    expect(html).toContain("Enter a valid email address");
  });

  it("compresses JSON from the API", async () => {
    const res = await t.app.handle(req("/api/v1/menu", { headers: { authorization: `Bearer ${apiKey}`, "accept-encoding": "br" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("br");
    const menu = JSON.parse(new TextDecoder().decode(decode("br", await res.arrayBuffer())));
    expect(JSON.stringify(menu)).toContain("Classic Burger");
  });

  it("never compresses a live event stream", async () => {
    const controller = new AbortController();
    const res = await t.app.handle(req("/api/v1/events", { headers: { authorization: `Bearer ${apiKey}`, "accept-encoding": "br, gzip" }, signal: controller.signal }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("content-encoding")).toBeNull();
    controller.abort();
    await res.body?.cancel().catch(() => {});
  });

  it("links every script and stylesheet of a page with its content hash", async () => {
    const html = await (await t.app.handle(req("/admin/menu", { headers: { cookie } }))).text();
    const refs = [...html.matchAll(/(?:src|href)="(\/(?:public|vendor)\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) expect(ref).toMatch(/\?v=[0-9a-f]{12}$/);
    expect(refs).toContain(assetUrl("/public/css/app.css"));
  });

  it("serves a versioned file for a year (immutable), compressed, and an unversioned one for five minutes", async () => {
    const versioned = await t.app.handle(req(assetUrl("/public/js/live.js"), { headers: { "accept-encoding": "br" } }));
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("cache-control")).toBe(LONG_CACHE);
    expect(versioned.headers.get("content-encoding")).toBe("br");
    expect(versioned.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const bytes = decode("br", await versioned.arrayBuffer());
    expect(Buffer.from(bytes).equals(readFileSync(join(PUBLIC, "js/live.js")))).toBe(true);

    const unversioned = await t.app.handle(req("/public/js/live.js"));
    expect(unversioned.headers.get("cache-control")).toBe(SHORT_CACHE);
    expect(unversioned.headers.get("content-encoding")).toBeNull();
    const stale = await t.app.handle(req("/public/js/live.js?v=000000000000"));
    expect(stale.headers.get("cache-control")).toBe(SHORT_CACHE);

    const htmx = await t.app.handle(req(assetUrl("/vendor/htmx.min.js"), { headers: { "accept-encoding": "gzip" } }));
    expect(htmx.headers.get("content-encoding")).toBe("gzip");
    expect(htmx.headers.get("cache-control")).toBe(LONG_CACHE);
  });

  it("answers a matching ETag with 304 and nothing else", async () => {
    const first = await t.app.handle(req("/public/css/app.css"));
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{12}"$/);
    const again = await t.app.handle(req("/public/css/app.css", { headers: { "if-none-match": etag } }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("refuses paths outside public/ and unknown vendor files with 404", async () => {
    for (const path of ["/public/%2e%2e/package.json", "/public/..%2fpackage.json", "/public/js", "/public/nope.js", "/vendor/evil.js"]) {
      expect((await t.app.handle(req(path))).status).toBe(404);
    }
  });
});
