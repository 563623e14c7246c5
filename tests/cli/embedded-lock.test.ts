import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { freePort, ROOT, run, waitFor } from "../helpers/proc";
import { openPglite, rowsOf } from "../../src/db/client";
import { HEARTBEAT_MS, LOCK_FILE, lockDataDir, STALE_AFTER_MS } from "../../src/db/data-dir-lock";

const PRODUCTION = { NODE_ENV: "production", SESSION_SECRET: "s".repeat(40), PIN_PEPPER: "p".repeat(40), LOG_LEVEL: "warn" };

// Issue 18, point 10: on the embedded database, a CLI write while the server ran printed success and an
// API key, and the write was lost. Point 11: a production start seeded a demo with known credentials.
describe("the embedded database has one process at a time", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ros-lock-"));
  let server: { proc: ReturnType<typeof Bun.spawn>; port: number };
  const cli = (...args: string[]) => run(["src/cli.ts", ...args], { DATA_DIR: dataDir });

  const startServer = async (env: Record<string, string> = {}) => {
    const port = await freePort();
    const proc = Bun.spawn(["bun", "src/server.ts"], { cwd: ROOT, env: { ...process.env, ...PRODUCTION, PORT: String(port), DATA_DIR: dataDir, ...env }, stdout: "pipe", stderr: "pipe" });
    return { proc, port };
  };
  const slugs = async () => {
    const db = await openPglite(dataDir);
    try {
      return rowsOf<{ slug: string }>(await db.db.execute(sql`select slug from restaurants order by slug`)).map((r) => r.slug);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    server = await startServer();
    await waitFor(`http://127.0.0.1:${server.port}/readyz`, 100_000);
  }, 120_000);
  afterAll(() => {
    server.proc.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses seed-demo at once while the server holds DATA_DIR, says how to go on, and prints no success", async () => {
    const started = performance.now();
    const r = await cli("seed-demo", "--slug", "lost");
    expect(r.code).toBe(1);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(r.stderr).toContain(`is in use by a running server (pid ${server.proc.pid}, port ${server.port})`);
    expect(r.stderr).toContain("Stop the server");
    expect(r.stderr).toContain("DATABASE_URL");
    expect(r.stdout).not.toContain("API key");
    expect(r.stdout).not.toContain("ready");
  }, 30_000);

  it("refuses every other CLI command and a second server on the same DATA_DIR too", async () => {
    for (const args of [["migrate"], ["create-restaurant", "--name", "X", "--slug", "x", "--owner-email", "x@example.com"]]) {
      const r = await cli(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("is in use by a running server");
      expect(r.stdout).toBe("");
    }
    const second = await startServer();
    expect(await second.proc.exited).toBe(1);
    expect(await new Response(second.proc.stderr).text()).toContain("is in use by a running server");
    // The first server is unharmed.
    expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
  }, 60_000);

  it("lets the CLI write once the server has stopped, and the write is in the database afterwards", async () => {
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
    const out = await new Response(server.proc.stdout as ReadableStream).text();
    // Point 11: production, SEED_DEMO unset: no demo, no known password printed or stored.
    expect(out).not.toContain("Demo restaurant");
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const r = await cli("seed-demo", "--slug", "kept");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/API key \(shown once\): ros_key_/);
    expect(await slugs()).toEqual(["kept"]);
  }, 120_000);

  it("takes over a stale lock left by a process that is gone (a crash or kill -9)", async () => {
    const gone = Bun.spawn(["true"]);
    await gone.exited;
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: gone.pid, host: hostname(), role: "server", port: 1, startedAt: new Date().toISOString() }));
    const r = await cli("migrate");
    expect(r.code).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it("refuses a lock held on another host (a container sharing the volume) while its heartbeat is fresh, and takes it over once it stops", async () => {
    const lock = (beat: number) => writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({
      pid: 1, host: "some-other-container", role: "server", startedAt: new Date(0).toISOString(), heartbeatAt: new Date(beat).toISOString(),
    }));
    lock(Date.now());
    const r = await cli("migrate");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("on host some-other-container");
    expect(r.stderr).toContain(`delete ${join(dataDir, LOCK_FILE)}`);
    lock(Date.now() - STALE_AFTER_MS - 1000);
    expect((await cli("migrate")).code).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it("keeps a held lock's heartbeat fresh", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ros-beat-"));
    const release = lockDataDir(dir, { role: "cli" });
    try {
      await Bun.sleep(HEARTBEAT_MS + 500);
      const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"));
      expect(Date.now() - Date.parse(holder.heartbeatAt)).toBeLessThan(HEARTBEAT_MS);
    } finally {
      release();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
