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

  it("refuses a port already in use with one line naming PORT, not a stack trace, and seeds nothing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ros-data-"));
    dirs.push(dataDir);
    const taken = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("someone else") });
    try {
      const r = await run(["src/server.ts"], { PORT: String(taken.port), HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "development" }, 120_000);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`restaurant-os: PORT ${taken.port} is already in use on 127.0.0.1: stop what listens there, or set PORT to a free port.`);
      expect(r.stdout).not.toContain("Demo restaurant");
    } finally {
      taken.stop(true);
    }
  }, 150_000);

  it("prints the demo's sign-in address with the port it really listens on (PORT=0 printed :0)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ros-data-"));
    dirs.push(dataDir);
    const proc = Bun.spawn(["bun", "src/server.ts"], { cwd: ROOT, env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "development", LOG_LEVEL: "warn" }, stdout: "pipe", stderr: "pipe" });
    try {
      const reader = proc.stdout.getReader();
      let out = "";
      const until = Date.now() + 100_000;
      while (!/Sign in at (\S+)/.test(out) && Date.now() < until) {
        const { value, done } = await reader.read();
        if (done) break;
        out += new TextDecoder().decode(value);
      }
      const url = /Sign in at (\S+)/.exec(out)![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sign-in$/);
      expect(url).not.toContain(":0/");
      expect((await fetch(url)).status).toBe(200);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  }, 150_000);

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
