import type { Config } from "./config";
import { openPglite, openPostgres, type Database } from "./db/client";
import { migrate } from "./db/migrate";
import type { Logger } from "./ops/logger";

/** Opens the configured database (embedded PGlite when DATABASE_URL is unset) and brings its schema up to date. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
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
  return openPglite(config.dataDir);
}

export async function openAndMigrate(config: Config, log: Logger): Promise<Database> {
  const database = await openDatabase(config, log);
  await migrate(database);
  return database;
}

/** A start-up failure with a message for the operator; the process prints it and exits non-zero. */
export class StartupError extends Error {}
