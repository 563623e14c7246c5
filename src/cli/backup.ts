import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import type { Config } from "../config";
import { expectedMigrationCount } from "../db/migrate";

/**
 * Backups and restores, for an operator at a shell.
 *
 * Postgres: pg_dump in its compressed custom format, taken from a snapshot exported by a repeatable-read
 * transaction that also counts every table's rows and reads every restaurant's event seq, so the
 * manifest written beside the dump describes exactly what is in it. Online: orders keep going in.
 * Embedded PGlite: its own dumpDataDir (a gzipped tarball of the data directory). PGlite is one process's
 * database, so the server must be stopped first (its postmaster.pid in DATA_DIR says it is running).
 */
export class BackupError extends Error {}

export const BACKUP_PREFIX = "restaurant-os-";

export type Manifest = {
  format: "pg_dump-custom" | "pglite-datadir";
  createdAt: string;
  migrations: number;
  rowCounts: Record<string, number>;
  eventSeqs: Record<string, number>;
};

type Queryable = { query: <T>(text: string) => Promise<T[]> };

/** 2026-11-29T14:59:00.123Z -> 20261129T145900Z: sortable, and safe in a file name. */
export function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function stampDate(name: string): Date | null {
  const m = new RegExp(`^${BACKUP_PREFIX}(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})Z`).exec(name);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

// ---- what a database holds: the same reads for the manifest and for verification ----

async function tablesOf(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1");
  return rows.map((r) => r.name);
}

async function describe(db: Queryable): Promise<Omit<Manifest, "format" | "createdAt">> {
  const rowCounts: Record<string, number> = {};
  for (const table of await tablesOf(db)) {
    const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    rowCounts[table] = Number(row?.n ?? 0);
  }
  const migrations = rowCounts["drizzle.__drizzle_migrations"] ?? 0;
  const seqs = rowCounts["public.restaurants"] === undefined ? [] : await db.query<{ id: string; seq: number }>("select id::text, event_seq::int as seq from restaurants order by id");
  return { migrations, rowCounts, eventSeqs: Object.fromEntries(seqs.map((r) => [r.id, Number(r.seq)])) };
}

/** Every restaurant's event seq matches its events: seqs 1..event_seq, none missing, none beyond. */
async function seqProblems(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string; seq: number; n: number; max: number | null }>(
    `select r.id::text, r.event_seq::int as seq, count(e.seq)::int as n, max(e.seq)::int as max
     from restaurants r left join events e on e.restaurant_id = r.id group by r.id, r.event_seq`);
  return rows.filter((r) => Number(r.n) !== Number(r.seq) || Number(r.max ?? 0) !== Number(r.seq))
    .map((r) => `restaurant ${r.id}: event_seq ${r.seq} but ${r.n} events (highest ${r.max ?? 0})`);
}

export type Verification = { ok: boolean; lines: string[] };

/** Checks a restored database: migrations, row counts against the manifest, event seqs. */
export async function verify(db: Queryable, manifest: Manifest | null): Promise<Verification> {
  const lines: string[] = [];
  let ok = true;
  const now = await describe(db);
  const expected = expectedMigrationCount();
  if (now.migrations === expected) lines.push(`migrations: ${now.migrations} of ${expected} applied (current)`);
  else if (now.migrations < expected) lines.push(`migrations: ${now.migrations} of ${expected} applied; the server (or bun run cli migrate) applies the rest at start`);
  else { ok = false; lines.push(`migrations: ${now.migrations} applied but this version knows only ${expected}: restore with the version that made the backup`); }
  for (const [table, n] of Object.entries(now.rowCounts)) {
    const want = manifest?.rowCounts[table];
    if (manifest && want !== n) { ok = false; lines.push(`rows: ${table} ${n}, but the backup recorded ${want ?? "no such table"}`); }
    else lines.push(`rows: ${table} ${n}`);
  }
  for (const table of Object.keys(manifest?.rowCounts ?? {})) {
    if (!(table in now.rowCounts)) { ok = false; lines.push(`rows: ${table} missing from the restored database`); }
  }
  if (!manifest) lines.push("rows: no manifest beside the backup, so the counts above were not compared");
  const problems = now.rowCounts["public.restaurants"] === undefined ? [] : await seqProblems(db);
  if (problems.length) { ok = false; lines.push(...problems.map((p) => `event seq: ${p}`)); }
  else lines.push(`event seq: consistent for ${Object.keys(now.eventSeqs).length} restaurant(s)`);
  return { ok, lines };
}

// ---- backup ----

export async function backup(config: Config, now = new Date()): Promise<{ path: string; manifest: Manifest; deleted: string[] }> {
  const dir = resolve(config.backupDir);
  mkdirSync(dir, { recursive: true });
  const written = config.databaseUrl ? await backupPostgres(config.databaseUrl, dir, now) : await backupPglite(config.dataDir, dir, now);
  const deleted = pruneBackups(dir, config.backupKeepDays, now);
  return { ...written, deleted };
}

async function backupPostgres(url: string, dir: string, now: Date) {
  const path = join(dir, `${BACKUP_PREFIX}${stamp(now)}.pgdump`);
  const partial = `${path}.partial`;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const manifest = await sql.begin("isolation level repeatable read read only", async (tx) => {
      // The snapshot this transaction sees is the one pg_dump dumps: the manifest matches the file.
      const [{ snapshot }] = (await tx`select pg_export_snapshot() as snapshot`) as unknown as [{ snapshot: string }];
      const described = await describe({ query: async <T>(text: string) => (await tx.unsafe(text)) as unknown as T[] });
      const dump = Bun.spawn(["pg_dump", "--format=custom", "--compress=6", "--enable-row-security", `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${url}`], { stdout: "ignore", stderr: "pipe" });
      const [code, err] = await Promise.all([dump.exited, new Response(dump.stderr).text()]);
      if (code !== 0) throw new BackupError(`pg_dump failed (exit ${code}): ${err.trim()}`);
      return { format: "pg_dump-custom" as const, createdAt: now.toISOString(), ...described };
    });
    // Readable end to end: pg_restore can list every entry of the archive.
    const list = Bun.spawnSync(["pg_restore", "--list", partial], { stdout: "ignore", stderr: "pipe" });
    if (list.exitCode !== 0) throw new BackupError(`the dump cannot be read back: ${list.stderr.toString().trim()}`);
    renameSync(partial, path);
    writeFileSync(manifestPath(path), JSON.stringify(manifest, null, 2));
    return { path, manifest };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function backupPglite(dataDir: string, dir: string, now: Date) {
  if (!existsSync(join(dataDir, "PG_VERSION"))) throw new BackupError(`There is no embedded database in DATA_DIR (${dataDir}) to back up.`);
  if (existsSync(join(dataDir, "postmaster.pid"))) {
    throw new BackupError(`The embedded database in ${dataDir} is open (postmaster.pid is there): stop the server first. ` +
      "PGlite is a one-process database; for backups while serving, use Postgres (DATABASE_URL). " +
      "If no server is running (it crashed), delete postmaster.pid and try again.");
  }
  const path = join(dir, `${BACKUP_PREFIX}${stamp(now)}-embedded.tar.gz`);
  const pg = new PGlite(dataDir);
  try {
    await pg.waitReady;
    const described = await describe({ query: async <T>(text: string) => (await pg.query(text)).rows as T[] });
    const blob = await pg.dumpDataDir("gzip");
    const bytes = new Uint8Array(await blob.arrayBuffer());
    Bun.gunzipSync(bytes); // a truncated or corrupt archive throws here, before anything is kept
    writeFileSync(`${path}.partial`, bytes);
    renameSync(`${path}.partial`, path);
    const manifest: Manifest = { format: "pglite-datadir", createdAt: now.toISOString(), ...described };
    writeFileSync(manifestPath(path), JSON.stringify(manifest, null, 2));
    return { path, manifest };
  } finally {
    await pg.close();
  }
}

const manifestPath = (path: string) => `${path}.json`;

/** Deletes backups (and their manifests) whose file-name time is more than keepDays old. */
export function pruneBackups(dir: string, keepDays: number, now: Date): string[] {
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const deleted: string[] = [];
  for (const name of readdirSync(dir)) {
    const when = stampDate(name);
    if (!when || when.getTime() >= cutoff || !statSync(join(dir, name)).isFile()) continue;
    rmSync(join(dir, name));
    deleted.push(name);
  }
  return deleted;
}

// ---- restore ----

export async function restore(config: Config, file: string, force: boolean): Promise<Verification & { target: string }> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError(`No backup file at ${file}.`);
  const manifest = existsSync(manifestPath(file)) ? (JSON.parse(readFileSync(manifestPath(file), "utf8")) as Manifest) : null;
  const isDump = file.endsWith(".pgdump") || manifest?.format === "pg_dump-custom";
  if (config.databaseUrl) {
    if (!isDump) throw new BackupError(`${basename(file)} is an embedded-database backup; restore it with DATA_DIR set and DATABASE_URL unset.`);
    return { ...(await restorePostgres(config.databaseUrl, file, force, manifest)), target: config.databaseUrl.replace(/\/\/[^@/]*@/, "//***@") };
  }
  if (isDump) throw new BackupError(`${basename(file)} is a Postgres dump; restore it with DATABASE_URL set.`);
  return { ...(await restorePglite(config.dataDir, file, force, manifest)), target: resolve(config.dataDir) };
}

async function restorePostgres(url: string, file: string, force: boolean, manifest: Manifest | null): Promise<Verification> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const db: Queryable = { query: async <T>(text: string) => (await sql.unsafe(text)) as unknown as T[] };
  try {
    const tables = await tablesOf(db);
    if (tables.length && !force) {
      throw new BackupError(`The database at DATABASE_URL is not empty (${tables.length} tables). Restore into an empty database, or pass --force to replace this one.`);
    }
    if (tables.length) {
      await sql.unsafe("drop schema if exists drizzle cascade; drop schema public cascade; create schema public");
    }
    // Grants in the dump name the application role; a new cluster does not have it yet (as in drizzle/0001_rls.sql).
    await sql.unsafe("do $$ begin if not exists (select from pg_roles where rolname = 'ros_app') then create role ros_app nologin; end if; end $$");
    const run = Bun.spawn(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", `--dbname=${url}`, file], { stdout: "ignore", stderr: "pipe" });
    const [code, err] = await Promise.all([run.exited, new Response(run.stderr).text()]);
    if (code !== 0) throw new BackupError(`pg_restore failed (exit ${code}); nothing was restored: ${err.trim()}`);
    return await verify(db, manifest);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function restorePglite(dataDir: string, file: string, force: boolean, manifest: Manifest | null): Promise<Verification> {
  const dir = resolve(dataDir);
  const inUse = existsSync(dir) && readdirSync(dir).length > 0;
  if (inUse && !force) throw new BackupError(`DATA_DIR (${dir}) is not empty. Restore into an empty directory, or pass --force to replace it.`);
  if (existsSync(join(dir, "postmaster.pid"))) throw new BackupError(`The embedded database in ${dir} is open (postmaster.pid is there): stop the server first.`);
  // Replaced, not deleted: the old directory stays beside the new one until the operator removes it.
  if (inUse) renameSync(dir, `${dir}.replaced-${stamp(new Date())}`);
  const pg = new PGlite(dir, { loadDataDir: new Blob([readFileSync(file)]) });
  try {
    await pg.waitReady;
    return await verify({ query: async <T>(text: string) => (await pg.query(text)).rows as T[] }, manifest);
  } finally {
    await pg.close();
  }
}
