import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, ROOT, run, waitFor } from "../helpers/proc";

describe("server process", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("starts on the embedded database with no set-up, seeds a demo once, and drains on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ros-data-"));
    dirs.push(dataDir);
    const start = async () => {
      const port = await freePort();
      const proc = Bun.spawn(["bun", "run", "start"], { cwd: ROOT, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "development", LOG_LEVEL: "warn" }, stdout: "pipe", stderr: "pipe" });
      await waitFor(`http://127.0.0.1:${port}/readyz`, 100_000);
      return { proc, port };
    };
    const first = await start();
    expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200);
    first.proc.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);
    const out1 = await new Response(first.proc.stdout).text();
    expect(out1).toContain('Demo restaurant "Demo Diner"');

    // A second start on the same data applies nothing new and seeds nothing.
    const second = await start();
    expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);
    second.proc.kill("SIGTERM");
    expect(await second.proc.exited).toBe(0);
    expect(await new Response(second.proc.stdout).text()).not.toContain("Demo restaurant");
  }, 240_000);

  it.each([
    [{ PORT: "eighty" }, "PORT must be a whole number"],
    [{ DATABASE_URL: "::nonsense::" }, "DATABASE_URL must be a URL"],
    [{ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }, "Cannot reach the database at DATABASE_URL"],
  ])("refuses to start with %p and says why", async (env, message) => {
    const r = await run(["src/server.ts"], env as Record<string, string>);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });
});
