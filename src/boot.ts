import type { Config } from "./config";
import { openPglite, openPostgres, openTenantPool, TENANT_ROLE, tenantRolePassword, type Database } from "./db/client";
import { DataDirBusy, lockDataDir, type LockHolder } from "./db/data-dir-lock";
import { migrate } from "./db/migrate";
import type { Logger } from "./ops/logger";

/** Who opens the database: the embedded one's lock file names it to anyone else who tries. */
export type Opener = Pick<LockHolder, "role" | "port">;

/** Opens the configured database (embedded PGlite when DATABASE_URL is unset). */
export async function openDatabase(config: Config, log: Logger, opener: Opener): Promise<Database> {
  if (config.databaseUrl) {
    const safeUrl = config.databaseUrl.replace(/\/\/[^@/]*@/, "//***@");
    try {
      const database = await openPostgres(config.databaseUrl, config.dbPoolSize, { log });
      log.info({ database: safeUrl }, "connected to Postgres");
      return database;
    } catch (error) {
      throw new StartupError(`Cannot reach the database at DATABASE_URL (${safeUrl}): ${(error as Error).message}`);
    }
  }
  log.info({ dataDir: config.dataDir }, "using embedded Postgres (PGlite)");
  return openEmbedded(config.dataDir, opener);
}

/** PGlite behind the data directory's lock: taken before the files are touched, released after they are closed. */
async function openEmbedded(dataDir: string, opener: Opener): Promise<Database> {
  let release: () => void;
  try {
    release = lockDataDir(dataDir, opener);
  } catch (error) {
    if (error instanceof DataDirBusy) throw new StartupError(error.message);
    throw error;
  }
  try {
    const database = await openPglite(dataDir);
    return { ...database, close: async () => { try { await database.close(); } finally { release(); } } };
  } catch (error) {
    release();
    throw error;
  }
}

/** Opens the database and brings its schema up to date; `applied` names the migrations this call ran. */
export async function openAndMigrate(config: Config, log: Logger, opener: Opener): Promise<{ database: Database; applied: string[] }> {
  const database = await openDatabase(config, log, opener);
  let applied: string[];
  try {
    applied = await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  if (!config.databaseUrl) return { database, applied };
  try {
    return { database: await openTenantPool(database, config.databaseUrl, tenantRolePassword(config.sessionSecret), config.dbPoolSize), applied };
  } catch (error) {
    await database.close();
    throw new StartupError(`Cannot log in to DATABASE_URL as the tenant role ${TENANT_ROLE} (the DATABASE_URL user gives it a login on start, `
      + `so it needs CREATEROLE or to have created the role): ${(error as Error).message}`);
  }
}

/** A start-up failure with a message for the operator; the process prints it and exits non-zero. */
export class StartupError extends Error {}
