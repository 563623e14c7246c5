import type { Config } from "./config";
import type { Database } from "./db/client";
import type { Logger } from "./ops/logger";
import type { RateLimiter } from "./ops/rate-limit";

/** What every feature module is built with: plain dependencies, passed in, never imported as globals. */
export type AppContext = {
  config: Config;
  database: Database;
  log: Logger;
  isShuttingDown: () => boolean;
  /** Sign-in, PIN and TOTP attempt counters: Redis when REDIS_URL is set, in-process otherwise. */
  rateLimiter: RateLimiter;
};
