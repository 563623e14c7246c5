import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";

/**
 * The embedded database (PGlite) is single-process: a second process opening the same DATA_DIR works
 * on its own copy in memory, and whatever it writes is lost (the CLI printed an API key for a
 * restaurant that never existed). So whoever opens DATA_DIR holds this lock file, created exclusively,
 * naming its pid; a lock whose process is gone (a crash, a kill -9) is stale and taken over.
 */
export const LOCK_FILE = "restaurant-os.lock";

export type LockHolder = { pid: number; host: string; role: "server" | "cli"; port?: number; startedAt: string; heartbeatAt?: string };

/**
 * A holder rewrites its heartbeat this often. Pids cannot be checked across hosts (a container sharing
 * the volume), so a lock from another host is stale once its heartbeat is STALE_AFTER_MS old: a crashed
 * container's replacement starts on its own instead of waiting for someone to delete the file.
 */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 30_000;

export class DataDirBusy extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder) {
    const where = holder.host === hostname() ? "" : ` on host ${holder.host}`;
    const who = holder.role === "server"
      ? `a running server (pid ${holder.pid}${where}${holder.port ? `, port ${holder.port}` : ""})`
      : `another CLI command (pid ${holder.pid}${where})`;
    super(`The embedded database in DATA_DIR (${dataDir}) is in use by ${who}. It serves one process at a time, `
      + "so nothing was written. Stop the server and run the command again, or set DATABASE_URL to a Postgres "
      + `database that the server and the CLI can share.${where ? ` If that process is gone, the lock is taken over ${STALE_AFTER_MS / 1000} s after its last heartbeat (or delete ${join(dataDir, LOCK_FILE)}).` : ""}`);
  }
}

/** Locks this process holds: a lock file naming our own pid that is not one of these is a previous life's. */
const held = new Set<string>();

function isAlive(holder: LockHolder): boolean {
  // Another host (another container on a shared volume): its processes cannot be seen; its heartbeat can.
  if (holder.host !== hostname()) return Date.now() - Date.parse(holder.heartbeatAt ?? holder.startedAt) < STALE_AFTER_MS;
  // Our own pid from a previous run (pid 1 again after a container restart) is stale.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it still holds the directory.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    return Number.isInteger(holder.pid) && holder.pid > 0 && typeof holder.host === "string" ? holder : null;
  } catch {
    return null;
  }
}

/** Takes the lock on dataDir or throws DataDirBusy naming its holder. Returns the release function. */
export function lockDataDir(dataDir: string, me: Pick<LockHolder, "role" | "port">): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(dataDir, LOCK_FILE);
  if (held.has(path)) throw new Error(`${path} is already held by this process`);
  const mine: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), ...me };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // "wx": create exclusively; of two processes racing here exactly one succeeds.
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      held.add(path);
      const heartbeat = setInterval(() => {
        if (readHolder(path)?.pid === process.pid) writeFileSync(path, JSON.stringify({ ...mine, heartbeatAt: new Date().toISOString() }));
      }, HEARTBEAT_MS);
      heartbeat.unref();
      const release = () => {
        clearInterval(heartbeat);
        if (!held.delete(path)) return;
        if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
        process.off("exit", release);
      };
      // Removed however the process ends short of a hard kill; a hard kill leaves a stale lock, taken over below.
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // An unreadable file may be a racing holder between create and write: give it a moment.
      const holder = readHolder(path) ?? (Bun.sleepSync(100), readHolder(path));
      if (holder && isAlive(holder)) throw new DataDirBusy(dataDir, holder);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}`);
}
