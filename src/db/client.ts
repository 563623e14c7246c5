import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema";
import { useTenantPool } from "./tenant-pool";
import { ACQUIRE_TIMEOUT_MS, alwaysUp, createHealth, DatabaseUnavailable, isConnectionFailure, type DbHealth, type HealthOptions } from "./health";

export type Schema = typeof schema;
/** The driver-independent Drizzle database: everything above client.ts sees only this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Subscribes to a NOTIFY channel; returns a function that stops listening. */
export type Listen = (channel: string, onNotify: (payload: string) => void, onReconnect: () => void) => Promise<() => Promise<void>>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  listen: Listen;
  /** Up or down, as this process sees it: while down, transactions are refused at once (src/db/health.ts). */
  health: DbHealth;
  /** Raw SQL for migrations, admin tasks and tests (owner privileges). */
  exec: (sqlText: string) => Promise<void>;
  close: () => Promise<void>;
};

export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    health: alwaysUp,
    // In-process: a notification cannot be lost to a dropped connection, so there is never a reconnect.
    listen: async (channel, onNotify) => {
      const unsubscribe = await client.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    exec: async (text) => { await client.exec(text); },
    close: async () => { if (!client.closed) await client.close(); },
  };
}

export type PostgresOptions = {
  log?: HealthOptions["log"];
  /** How long a transaction may wait for a connection before it is refused as unavailable. */
  acquireTimeoutMs?: number;
};

/**
 * postgres.js's default backoff grows with one retry counter shared by the whole pool and its LISTEN
 * connection, up to 20 s: after a 3 s outage the listener came back 10-15 s late and a waiting query
 * could wait 18 s. A reconnect is one refused TCP connect while the database is down, so a short flat
 * delay costs nothing and brings the pool and LISTEN back within a few hundred ms of the database.
 * The jitter keeps the connections of several processes from knocking in lockstep.
 */
export const reconnectDelaySeconds = () => 0.1 + Math.random() * 0.2;

export async function openPostgres(url: string, poolSize: number, options: PostgresOptions = {}): Promise<Database> {
  let health: DbHealth = alwaysUp;
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Bounds a connect to an address that does not answer at all (a refused one fails at once).
    connect_timeout: 5,
    backoff: reconnectDelaySeconds,
    // A connection that closes may mean the database went away: probe rather than wait for a request to find out.
    onclose: () => health.suspect(),
  });
  // postgres.js connects lazily; ask once so an unreachable database fails at start, not at first order.
  await client`select 1`;
  // The probe has a connection of its own: through the pool, a pool busy with long transactions would
  // look like an outage. It connects only while something is suspect and closes again when idle.
  const prober = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5, backoff: reconnectDelaySeconds, idle_timeout: 10, fetch_types: false });
  health = createHealth({ probe: () => prober`select 1`, log: options.log });
  preparedTransactions(client);
  guardedTransactions(client, health, options.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS);
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    health,
    listen: async (channel, onNotify, onReconnect) => {
      // postgres.js re-issues LISTEN after its dedicated connection drops and calls onlisten again:
      // every call after the first is a reconnect, during which notifications may have been lost.
      let first = true;
      const sub = await client.listen(channel, onNotify, () => {
        if (first) first = false;
        else onReconnect();
      });
      return async () => { await sub.unlisten(); };
    },
    exec: async (text) => { await client.unsafe(text); },
    close: async () => {
      health.close();
      await Promise.all([client.end({ timeout: 5 }), prober.end({ timeout: 1 })]);
    },
  };
}

/** The role tenant transactions run as (drizzle/0001_rls.sql); on Postgres the tenant pool logs in as it. */
export const TENANT_ROLE = "ros_app";

/** Advisory lock key serialising the tenant role's login set-up across processes ("ros" in ASCII). */
const TENANT_LOGIN_LOCK = 0x726f73;

/**
 * The password the tenant role logs in with: derived from SESSION_SECRET, so every process of one
 * deployment agrees on it without another secret to configure, and it is as strong as that secret.
 */
export function tenantRolePassword(sessionSecret: string): string {
  return createHmac("sha256", sessionSecret).update("restaurant-os tenant role login").digest("hex");
}

/**
 * A second pool, logged in as the tenant role itself, for tenant transactions (see withTenant). Under
 * SET ROLE a statement could RESET ROLE back to the owner; a session that logged in as ros_app has no
 * owner to go back to. The owner (this database's own pool) gives the role its login on every start,
 * after migrations created it. PGlite has one user and no second connection: it keeps SET ROLE.
 */
export async function openTenantPool(database: Database, url: string, password: string, poolSize: number): Promise<Database> {
  if (database.kind !== "postgres") return database;
  // The password is hex: nothing in it can end the literal.
  // Several processes starting at once each give the role its login; two concurrent ALTER ROLEs on the same
  // catalog row fail with "tuple concurrently updated". One simple query is one transaction, so the
  // transaction-scoped advisory lock makes them take turns.
  await database.exec(`SELECT pg_advisory_xact_lock(${TENANT_LOGIN_LOCK}); ALTER ROLE ${TENANT_ROLE} WITH LOGIN PASSWORD '${password}'`);
  const tenantUrl = new URL(url);
  tenantUrl.username = TENANT_ROLE;
  tenantUrl.password = password;
  // The same reconnect and outage rules as the owner's pool (openPostgres): one health for both.
  const client = postgres(tenantUrl.toString(), {
    max: poolSize, onnotice: () => {}, connect_timeout: 5, backoff: reconnectDelaySeconds, onclose: () => database.health.suspect(),
  });
  await client`select 1`;
  preparedTransactions(client);
  guardedTransactions(client, database.health, ACQUIRE_TIMEOUT_MS);
  useTenantPool(database.db, drizzlePostgres({ client, schema }) as unknown as Db);
  return { ...database, close: async () => { await client.end({ timeout: 5 }); await database.close(); } };
}

/** db.execute returns an array on postgres.js and { rows } on PGlite; this reads either. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Drizzle's postgres.js driver sends every statement unnamed, so Postgres parses and plans each one on
 * every order (about half of Postgres's CPU per order under load, measured by load-test/orders.ts).
 * Inside transactions, where all tenant work runs, statements are sent as named prepared statements
 * instead: postgres.js caches them per connection by SQL text. Plans stay correct under row-level
 * security: Postgres re-plans a cached statement when the role differs, and the policies read
 * app.restaurant_id at execution time. The root client (migrations, BEGIN itself) is left alone.
 */
function preparedTransactions(client: postgres.Sql): void {
  type Unsafe = postgres.Sql["unsafe"];
  const prepared = (sql: postgres.TransactionSql) => {
    const unsafe = sql.unsafe.bind(sql) as Unsafe;
    sql.unsafe = ((query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
      unsafe(query, params as never, { ...options, prepare: true })) as Unsafe;
    return sql;
  };
  const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
  client.begin = ((options: unknown, fn?: (sql: postgres.TransactionSql) => unknown) => {
    if (typeof options === "function") return begin((sql: postgres.TransactionSql) => (options as typeof fn)!(prepared(sql)));
    return begin(options, (sql: postgres.TransactionSql) => fn!(prepared(sql)));
  }) as typeof client.begin;
}

/**
 * Every transaction (all tenant work, the listener's reads) either starts within acquireTimeoutMs or is
 * refused as DatabaseUnavailable, and is refused at once while the database is known to be down. A
 * transaction that gave up may still be handed a connection later: its body then throws before running
 * a statement, so nothing the caller was told had failed can happen after all. Connection failures
 * seen here start the health probe.
 */
function guardedTransactions(client: postgres.Sql, health: DbHealth, acquireTimeoutMs: number): void {
  type Begin = (options: string, fn: (sql: postgres.TransactionSql) => unknown) => Promise<unknown>;
  const begin = client.begin.bind(client) as unknown as Begin;
  client.begin = ((options: unknown, fn?: (sql: postgres.TransactionSql) => unknown) => {
    const body = (typeof options === "function" ? options : fn) as (sql: postgres.TransactionSql) => unknown;
    const mode = typeof options === "string" ? options : "";
    if (!health.isUp()) return Promise.reject(new DatabaseUnavailable());
    return new Promise<unknown>((resolve, reject) => {
      let gaveUp = false;
      const timer = setTimeout(() => {
        gaveUp = true;
        health.suspect();
        reject(new DatabaseUnavailable(`No database connection within ${acquireTimeoutMs} ms`));
      }, acquireTimeoutMs);
      begin(mode, (sql) => {
        clearTimeout(timer);
        if (gaveUp) throw new DatabaseUnavailable("The caller stopped waiting for this transaction");
        return body(sql);
      }).then(resolve, (error) => {
        clearTimeout(timer);
        if (isConnectionFailure(error)) health.suspect();
        reject(error);
      });
    });
  }) as typeof client.begin;
}
