import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./proc";

/**
 * A throw-away Postgres cluster of our own (initdb in a temp dir, on a free port), for tests that stop
 * and start the database: the shared test Postgres must never be stopped. Postgres refuses to run as
 * root, so when the tests do, the cluster belongs to the postgres user. Removed by destroy(), and by an
 * exit hook should the test process die first.
 */
export type PgCluster = { url: string; port: number; start: () => Promise<void>; stop: () => Promise<void>; destroy: () => void };

const BIN = (() => {
  const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("no Postgres server binaries under /usr/lib/postgresql");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
})();

const asRoot = process.getuid?.() === 0;

const command = (args: string[]) => (asRoot ? ["runuser", "-u", "postgres", "--", ...args] : args);

/** Synchronous, for the exit hook only: anything else must leave the event loop running (the load goes on). */
function shSync(args: string[], timeoutMs: number): void {
  const result = Bun.spawnSync(command(args), { stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  if (result.exitCode !== 0) throw new Error(`${args[0]} failed (${result.exitCode}): ${result.stderr.toString()}`);
}

async function sh(args: string[], timeoutMs = 30_000): Promise<void> {
  const proc = Bun.spawn(command(args), { stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if (code !== 0) throw new Error(`${args[0]} failed (${code}): ${err}${out}`);
}

export async function createPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), "ros-pg-"));
  if (asRoot) Bun.spawnSync(["chown", "postgres:postgres", dir]);
  const data = join(dir, "data");
  const port = await freePort();
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    try { shSync([`${BIN}/pg_ctl`, "-D", data, "-m", "immediate", "-w", "stop"], 10_000); } catch { /* not running */ }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", destroy);
  try {
    await sh([`${BIN}/initdb`, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]);
    // Durability is not under test here; fsync off keeps a start and a checkpoint on a busy machine short.
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
    const start = async () => sh([`${BIN}/pg_ctl`, "-D", data, "-l", join(dir, "log"), "-o", options, "-w", "-t", "20", "start"]);
    // Fast: like a real stop or failover, every backend is told to quit (57P01) and its socket closes.
    const stop = async () => sh([`${BIN}/pg_ctl`, "-D", data, "-m", "fast", "-w", "-t", "20", "stop"]);
    await start();
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, start, stop, destroy };
  } catch (error) {
    destroy();
    throw error;
  }
}
