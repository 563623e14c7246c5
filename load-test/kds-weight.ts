/**
 * The JavaScript a KDS page ships (issue 6: at most 40 KB gzipped in total, no build step). Starts the
 * real server on a throw-away database, opens /kds/:stationId as a pinless KDS device, finds every
 * script the HTML loads (src and inline), fetches each and gzips it (level 6, what servers and CDNs use).
 * "transferred" is what the server really sends a browser (Accept-Encoding as Chromium sends it, the
 * body read without decompressing), with the encoding and cache lifetime it answered with.
 *
 *   bun load-test/kds-weight.ts
 */
import { gzipSync } from "node:zlib";
import { createBenchDatabase, makeKdsDevices, seedRestaurants, startServer } from "./harness";

const TARGET_BYTES = 40 * 1024;

const bench = await createBenchDatabase("ros_load_weight");
let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  const [restaurant] = await seedRestaurants(bench.database, 1);
  const stationId = restaurant!.stations.grill!;
  const [cookie] = await makeKdsDevices(bench.database, restaurant!.id, [stationId]);
  server = await startServer(bench.url);

  const BROWSER_ENCODINGS = "gzip, deflate, br, zstd";
  /** The bytes on the wire and the bytes after decoding, with what the server said about them. */
  const get = async (url: URL, headers: Record<string, string> = {}) => {
    const wire = await fetch(url, { headers: { ...headers, "accept-encoding": BROWSER_ENCODINGS }, redirect: "manual", decompress: false } as RequestInit);
    if (wire.status !== 200) throw new Error(`GET ${url.pathname} answered ${wire.status}`);
    const transferred = (await wire.arrayBuffer()).byteLength;
    const body = new Uint8Array(await (await fetch(url, { headers, redirect: "manual" })).arrayBuffer());
    return { body, transferred, encoding: wire.headers.get("content-encoding") ?? "none", cache: wire.headers.get("cache-control") ?? "" };
  };

  const page = await get(new URL(`/kds/${stationId}`, server.baseUrl), { cookie: cookie! });
  const html = new TextDecoder().decode(page.body);

  type Row = { script: string; bytes: number; gzipped: number; transferred: number; encoding: string; cache: string };
  const rows: Row[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(match[1]!)?.[1];
    if (src) {
      const res = await get(new URL(src, server.baseUrl));
      rows.push({ script: src, bytes: res.body.byteLength, gzipped: gzipSync(res.body, { level: 6 }).byteLength, transferred: res.transferred, encoding: res.encoding, cache: res.cache });
    } else if (match[2]!.trim()) {
      const body = new TextEncoder().encode(match[2]!);
      const gzipped = gzipSync(body, { level: 6 }).byteLength;
      rows.push({ script: "(inline)", bytes: body.byteLength, gzipped, transferred: gzipped, encoding: "(in the page)", cache: "" });
    }
  }
  // The page itself, for context: it is HTML, not script, and does not count toward the budget.
  const pageGzipped = gzipSync(page.body, { level: 6 }).byteLength;

  const total = rows.reduce((sum, r) => sum + r.gzipped, 0);
  const sent = rows.reduce((sum, r) => sum + r.transferred, 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const width = Math.max(...rows.map((r) => r.script.replace(/\?v=.*/, "").length), 12);
  const name = (s: string) => s.replace(/\?v=.*/, "").padEnd(width);
  console.log(`\nJavaScript loaded by /kds/:stationId (gzip level 6; transferred = what the server sent for Accept-Encoding: ${BROWSER_ENCODINGS})\n`);
  console.log(`| ${"script".padEnd(width)} | bytes | gzipped | transferred | encoding | cache |`);
  console.log(`|${"-".repeat(width + 2)}|-------|---------|-------------|----------|-------|`);
  for (const r of rows) console.log(`| ${name(r.script)} | ${kb(r.bytes)} | ${kb(r.gzipped)} | ${kb(r.transferred)} | ${r.encoding} | ${r.cache} |`);
  console.log(`| ${"total".padEnd(width)} | ${kb(rows.reduce((s, r) => s + r.bytes, 0))} | ${kb(total)} (target ≤ ${kb(TARGET_BYTES)}: ${total <= TARGET_BYTES ? "met" : "MISSED"}) | ${kb(sent)} | | |`);
  console.log(`| ${"(the HTML page, not counted)".padEnd(width)} | ${kb(page.body.byteLength)} | ${kb(pageGzipped)} | ${kb(page.transferred)} | ${page.encoding} | ${page.cache || "(none)"} |\n`);
  if (total > TARGET_BYTES) process.exitCode = 1;
} finally {
  if (server) await server.stop();
  await bench.drop();
}
