import type { Config } from "./config";
import type { Database } from "./db/client";
import type { Logger } from "./ops/logger";

/** What every feature module is built with: plain dependencies, passed in, never imported as globals. */
export type AppContext = {
  config: Config;
  database: Database;
  log: Logger;
  isShuttingDown: () => boolean;
};
