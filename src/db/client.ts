import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema";
import { useTenantPool } from "./tenant-pool";

export type Schema = typeof schema;
/** The driver-independent Drizzle database: everything above client.ts sees only this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** Subscribes to a NOTIFY channel; returns a function that stops listening. */
export type Listen = (channel: string, onNotify: (payload: string) => void, onReconnect: () => void) => Promise<() => Promise<void>>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  listen: Listen;
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
    // In-process: a notification cannot be lost to a dropped connection, so there is never a reconnect.
    listen: async (channel, onNotify) => {
      const unsubscribe = await client.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    exec: async (text) => { await client.exec(text); },
    close: async () => { if (!client.closed) await client.close(); },
  };
}

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 10,
  });
  // postgres.js connects lazily; ask once so an unreachable database fails at start, not at first order.
  await client`select 1`;
  preparedTransactions(client);
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
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
    close: async () => { await client.end({ timeout: 5 }); },
  };
}

/** The role tenant transactions run as (drizzle/0001_rls.sql); on Postgres the tenant pool logs in as it. */
export const TENANT_ROLE = "ros_app";

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
  await database.exec(`ALTER ROLE ${TENANT_ROLE} WITH LOGIN PASSWORD '${password}'`);
  const tenantUrl = new URL(url);
  tenantUrl.username = TENANT_ROLE;
  tenantUrl.password = password;
  const client = postgres(tenantUrl.toString(), { max: poolSize, onnotice: () => {}, connect_timeout: 10 });
  await client`select 1`;
  preparedTransactions(client);
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
