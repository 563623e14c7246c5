import postgres from "postgres";
import { openPglite, openPostgres, openTenantPool, tenantRolePassword, type Database } from "../../src/db/client";
import { loadConfig } from "../../src/config";
import { migrate } from "../../src/db/migrate";

/** The real Postgres the tests use; each test file gets a database of its own, dropped afterwards. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type TestDatabase = Database & { url: string | null; drop: () => Promise<void> };

export const DRIVERS = ["pglite", "postgres"] as const;
export type Driver = (typeof DRIVERS)[number];

export async function createEmptyPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ros_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A migrated, empty database of the given kind. */
export async function openTestDatabase(driver: Driver = "postgres", options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let database: Database;
  let url: string | null = null;
  let dropDb = async () => {};
  if (driver === "pglite") {
    database = await openPglite(null);
  } else {
    const created = await createEmptyPgDatabase();
    url = created.url;
    dropDb = created.drop;
    database = await openPostgres(url, 20);
  }
  if (options.migrate !== false) {
    await migrate(database);
    // As in the server: tenant transactions on Postgres run on a pool logged in as ros_app.
    if (url) database = await openTenantPool(database, url, tenantRolePassword(loadConfig({ NODE_ENV: "test" }).sessionSecret), 20);
  }
  return {
    ...database,
    url,
    drop: async () => {
      await database.close();
      await dropDb();
    },
  };
}
