/**
 * Shared parts of the load scenarios: a throw-away Postgres database, demo restaurants, the real server
 * as a child process, realistic order bodies, and the figures (percentiles, tables).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { SignJWT } from "jose";
import { openPostgres, type Database } from "../src/db/client";
import { migrate } from "../src/db/migrate";
import { withSystem, withTenant } from "../src/db/tenant";
import { devices, stations } from "../src/db/schema";
import { eq } from "drizzle-orm";
import { seedDemo } from "../src/restaurants/demo";
import { loadPosMenu, type OrderableItem } from "../src/menu/service";
import { generateToken, sha256 } from "../src/auth/secrets";
import { DEVICE_COOKIE } from "../src/auth/plugin";

export const ROOT = join(import.meta.dir, "..");
/** Loopback only: the scenarios create and drop a database of their own on this server. */
export const ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// Fixed secrets so the scenario can sign device cookies the child server accepts (never used outside a benchmark).
export const SESSION_SECRET = "load-test-session-secret-0123456789abcdef";
export const PIN_PEPPER = "load-test-pin-pepper-0123456789abcdef0123";

export const envInt = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number (got "${raw}")`);
  return Number(raw);
};

/** What an interrupted scenario must undo: servers to stop and databases to drop (Ctrl-C runs no finally blocks). */
const onInterrupt = new Set<() => Promise<unknown> | unknown>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    console.error(`\n${signal}: stopping the server and dropping the bench database`);
    for (const undo of [...onInterrupt].reverse()) await Promise.resolve(undo()).catch(() => {});
    process.exit(130);
  });
}

export type BenchDatabase = { url: string; name: string; database: Database; drop: () => Promise<void> };

/** A new, migrated database; drop() closes our pool and removes it (forcing out any connection left). */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const database = await openPostgres(url, 10);
  await migrate(database);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    onInterrupt.delete(drop);
    await database.close().catch(() => {});
    const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists ${name} with (force)`);
    await a.end();
  };
  onInterrupt.add(drop);
  return { url, name, database, drop };
}

export type BenchRestaurant = {
  id: string; slug: string; apiKey: string; items: OrderableItem[]; stations: Record<string, string>;
};

/** count demo restaurants (menu, four stations, staff), seeded a few at a time. */
export async function seedRestaurants(database: Database, count: number, parallel = 8): Promise<BenchRestaurant[]> {
  const out: BenchRestaurant[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      const i = next++;
      const slug = `bench-${i + 1}`;
      const demo = await seedDemo(database.db, PIN_PEPPER, slug);
      const rid = demo.restaurant.id;
      const menu = await withTenant(database.db, rid, (tx) => loadPosMenu(tx, rid, demo.restaurant.taxRateBps));
      const stationRows = await withTenant(database.db, rid, (tx) => tx.select().from(stations).where(eq(stations.restaurantId, rid)));
      out[i] = {
        id: rid, slug, apiKey: demo.apiKey, items: menu.categories.flatMap((c) => c.items),
        stations: Object.fromEntries(stationRows.map((s) => [s.slug, s.id])),
      };
    }
  }));
  return out;
}

/**
 * Pinless KDS devices, one per station id given (repeat an id for several screens at one station), and
 * the Cookie header each screen's browser would carry: the device token in a JWT signed like the
 * server signs it (tests/helpers/auth.ts makeDevice does the same).
 */
export async function makeKdsDevices(database: Database, restaurantId: string, stationIds: string[], secret = SESSION_SECRET): Promise<string[]> {
  const tokens = stationIds.map(() => generateToken("ros_dev"));
  if (!tokens.length) return [];
  await withSystem(database.db, (tx) => tx.insert(devices).values(stationIds.map((stationId, i) => ({
    restaurantId, name: `load-test kds ${i + 1}`, kind: "kds" as const, stationId, pinless: true, tokenHash: sha256(tokens[i]!),
  }))));
  const key = new TextEncoder().encode(secret);
  return Promise.all(tokens.map(async (tok) => `${DEVICE_COOKIE}=${await new SignJWT({ tok }).setProtectedHeader({ alg: "HS256" }).sign(key)}`));
}

/** A small deterministic PRNG, so runs order the same mix of dishes. */
export function rng(seed: number) {
  // Small seeds give xorshift near-zero first outputs (seeds 1..500 would all start with ~0.0001, so
  // paced clients would all fire at once): scramble the seed and skip the first outputs.
  let s = (Math.imul(seed + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  for (let i = 0; i < 8; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; }
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

const NOTES = ["no onions", "allergy: peanuts", "extra crispy", "sauce on the side", "birthday!", "gluten free bun"];

/** A body a POS integration would send: 1-4 lines, every required modifier chosen, some extras and notes. */
export function orderBody(items: OrderableItem[], random: () => number) {
  const pick = <T,>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const lineCount = 1 + Math.floor(random() * 4);
  const lines = Array.from({ length: lineCount }, () => {
    const item = pick(items);
    const modifierOptionIds: string[] = [];
    for (const group of item.groups) {
      const min = Math.max(group.minSelect, group.required ? 1 : 0);
      const want = Math.min(group.maxSelect, min + (random() < 0.3 ? 1 : 0));
      const shuffled = [...group.options].sort(() => random() - 0.5);
      modifierOptionIds.push(...shuffled.slice(0, want).map((o) => o.id));
    }
    return {
      menuItemId: item.id, quantity: 1 + Math.floor(random() * 2), modifierOptionIds,
      note: random() < 0.2 ? pick(NOTES) : undefined, seat: random() < 0.5 ? 1 + Math.floor(random() * 4) : undefined,
    };
  });
  return random() < 0.6
    ? { type: "dine_in", table: String(1 + Math.floor(random() * 30)), guests: 1 + Math.floor(random() * 6), items: lines }
    : { type: "takeout", note: random() < 0.3 ? "customer waiting at the counter" : undefined, items: lines };
}

export type ServerProcess = {
  pid: number; baseUrl: string; port: number;
  /** Resident memory of the server process, from /proc. */
  rssKb: () => number;
  stderr: () => string;
  /** SIGTERM, then wait; returns the exit code (SIGKILL after timeoutMs). */
  stop: (timeoutMs?: number) => Promise<number>;
};

export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** `bun src/server.ts` against the database, as an operator would start it; resolves once /readyz answers 200. */
export async function startServer(url: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  // SERVER_BUN_ARGS profiles the server, e.g. "--cpu-prof-md --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.SERVER_BUN_ARGS ?? "").split(" ").filter(Boolean);
  const proc = Bun.spawn(["bun", ...extra, "src/server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_ENV: "production", DATABASE_URL: url, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn",
      SESSION_SECRET, PIN_PEPPER, DB_POOL_SIZE: "20",
      // Thousands of clients from one loopback address, and hundreds of orders a minute per key: the
      // request limits (src/ops/request-limits.ts) would refuse the very load being measured.
      ...Object.fromEntries(["KEY_READS", "KEY_WRITES", "KEY_HEAVY", "IP_READS", "IP_WRITES", "IP_HEAVY"].map((n) => [`RATE_LIMIT_${n}`, "0"])),
      ...env,
    },
    stdout: "ignore",
    stderr: "pipe",
  });
  const kill = () => proc.kill("SIGKILL");
  onInterrupt.add(kill);
  void proc.exited.then(() => onInterrupt.delete(kill));
  let errText = "";
  void (async () => {
    const reader = proc.stderr.getReader();
    const decoder = new TextDecoder();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) errText = (errText + decoder.decode(chunk.value)).slice(-20_000);
  })().catch(() => {});
  const baseUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before it was ready:\n${errText}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {}
    if (Date.now() > until) {
      proc.kill("SIGKILL");
      throw new Error(`server did not become ready within 30 s:\n${errText}`);
    }
    await Bun.sleep(100);
  }
  return {
    pid: proc.pid, baseUrl, port,
    rssKb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))?.[1] ?? NaN),
    stderr: () => errText,
    stop: async (timeoutMs = 15_000) => {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      const code = await proc.exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : "-");

/** A two-column Markdown table, so the output can be pasted into the README as it is. */
export function printTable(title: string, rows: [string, string | number][]): void {
  const width = Math.max(...rows.map(([k]) => k.length), 6);
  console.log(`\n${title}\n`);
  console.log(`| ${"metric".padEnd(width)} | value |`);
  console.log(`|${"-".repeat(width + 2)}|-------|`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
  console.log("");
}

/**
 * Bun's fetch keeps at most BUN_CONFIG_MAX_HTTP_REQUESTS (256 by default) requests in flight and reads
 * the variable only at start, so a scenario that needs more re-runs itself with it raised.
 */
export async function ensureFetchConcurrency(needed: number): Promise<void> {
  if (Number(process.env.BUN_CONFIG_MAX_HTTP_REQUESTS ?? 256) >= needed) return;
  const child = Bun.spawn([process.execPath, ...process.argv.slice(1)], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.min(65_535, needed + 64)) },
    stdio: ["inherit", "inherit", "inherit"],
  });
  const stop = () => child.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.exit(await child.exited);
}

/** The soft and hard limits on open files of this process, from /proc/self/limits. */
export function openFileLimits(): { soft: number; hard: number } {
  const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
  const [, soft, hard] = line?.split(/\s{2,}/) ?? [];
  const num = (v: string | undefined) => (v === "unlimited" ? Infinity : Number(v ?? 1024));
  return { soft: num(soft), hard: num(hard) };
}

/**
 * Checks there are file descriptors enough for the sockets a scenario opens. Bun raises its own soft
 * limit to the hard limit at start (measured: `ulimit -Sn 512; bun ...` sees 20000 here), and the
 * server child does the same, so only a low hard limit is a problem: raise it (`ulimit -Hn`, as root,
 * or LimitNOFILE in a unit file) and run again.
 */
export function ensureOpenFiles(needed: number): void {
  const { soft, hard } = openFileLimits();
  if (soft >= needed) return;
  console.warn(`open-file limit is ${soft} (hard ${hard}), ${needed} wanted: some streams may fail to connect; raise it with ulimit -n ${needed}`);
}

/** utime + stime of a process in seconds, from /proc/<pid>/stat (0 once it is gone). */
export function processCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
