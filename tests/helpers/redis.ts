import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./proc";

/**
 * A Redis of the test's own on a free port, to kill and restart at will (never the shared one on 6379).
 * No persistence: a restart comes back empty, like a Redis that lost its memory.
 */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "ros-redis-"));
  const pidfile = join(dir, "redis.pid");
  const start = async () => {
    const proc = Bun.spawn(["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
      "--daemonize", "yes", "--pidfile", pidfile, "--dir", dir], { stdout: "ignore", stderr: "pipe" });
    if ((await proc.exited) !== 0) throw new Error(`redis-server failed: ${await new Response(proc.stderr).text()}`);
    await waitUntil(async () => (await new Response(Bun.spawn(["redis-cli", "-p", String(port), "ping"], { stdout: "pipe" }).stdout).text()).trim() === "PONG");
  };
  const kill = async () => {
    let pid = 0;
    try { process.kill(Number(readFileSync(pidfile, "utf8").trim()), "SIGCONT"); } catch {}
    try { pid = Number(readFileSync(pidfile, "utf8").trim()); } catch { return; }
    if (!pid) return;
    try { process.kill(pid, "SIGKILL"); } catch {}
    await waitUntil(async () => { try { process.kill(pid, 0); return false; } catch { return true; } });
    rmSync(pidfile, { force: true });
  };
  const signal = (sig: NodeJS.Signals) => process.kill(Number(readFileSync(pidfile, "utf8").trim()), sig);
  await start();
  return {
    port, url: `redis://127.0.0.1:${port}`, kill, restart: start,
    /** Freezes the process: connections stay open, nothing answers (a hung Redis). */
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    stop: async () => { await kill(); rmSync(dir, { recursive: true, force: true }); },
  };
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await Bun.sleep(50);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
