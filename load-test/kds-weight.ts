/**
 * The JavaScript a KDS page ships (issue 6: at most 40 KB gzipped in total, no build step). Starts the
 * real server on a throw-away database, opens /kds/:stationId as a pinless KDS device, finds every
 * script the HTML loads (src and inline), fetches each and gzips it (level 6, what servers and CDNs use).
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

  const page = await fetch(`${server.baseUrl}/kds/${stationId}`, { headers: { cookie: cookie! }, redirect: "manual" });
  if (page.status !== 200) throw new Error(`GET /kds/${stationId} answered ${page.status}`);
  const html = await page.text();

  const rows: { script: string; bytes: number; gzipped: number }[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(match[1]!)?.[1];
    if (src) {
      const res = await fetch(new URL(src, server.baseUrl));
      if (!res.ok) throw new Error(`${src} answered ${res.status}`);
      const body = new Uint8Array(await res.arrayBuffer());
      rows.push({ script: src, bytes: body.byteLength, gzipped: gzipSync(body, { level: 6 }).byteLength });
    } else if (match[2]!.trim()) {
      const body = new TextEncoder().encode(match[2]!);
      rows.push({ script: "(inline)", bytes: body.byteLength, gzipped: gzipSync(body, { level: 6 }).byteLength });
    }
  }
  // The page itself, for context: it is HTML, not script, and does not count toward the budget.
  const pageGzipped = gzipSync(new TextEncoder().encode(html), { level: 6 }).byteLength;

  const total = rows.reduce((sum, r) => sum + r.gzipped, 0);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const width = Math.max(...rows.map((r) => r.script.length), 12);
  console.log(`\nJavaScript loaded by /kds/:stationId (gzip level 6)\n`);
  console.log(`| ${"script".padEnd(width)} | bytes | gzipped |`);
  console.log(`|${"-".repeat(width + 2)}|-------|---------|`);
  for (const r of rows) console.log(`| ${r.script.padEnd(width)} | ${kb(r.bytes)} | ${kb(r.gzipped)} |`);
  console.log(`| ${"total".padEnd(width)} | ${kb(rows.reduce((s, r) => s + r.bytes, 0))} | ${kb(total)} (target ≤ ${kb(TARGET_BYTES)}: ${total <= TARGET_BYTES ? "met" : "MISSED"}) |`);
  console.log(`\n(the HTML page itself: ${kb(html.length)}, ${kb(pageGzipped)} gzipped, not counted)\n`);
  if (total > TARGET_BYTES) process.exitCode = 1;
} finally {
  if (server) await server.stop();
  await bench.drop();
}
