import type { Config } from "./config";
import type { Database } from "./db/client";
import type { Logger } from "./ops/logger";
import type { RateLimiter } from "./ops/rate-limit";
import type { EventBus } from "./realtime/bus";
import type { Hub } from "./realtime/hub";

/** What every feature module is built with: plain dependencies, passed in, never imported as globals. */
export type AppContext = {
  config: Config;
  database: Database;
  /** A streaming read replica that reports read from (REPORTS_DATABASE_URL); absent: reports read `database`. */
  reportsDatabase?: Database;
  log: Logger;
  isShuttingDown: () => boolean;
  /** Request, sign-in, PIN and TOTP counters: Redis when REDIS_URL is set (in-process while it is down), in-process otherwise. */
  rateLimiter: RateLimiter;
  /** One LISTEN per process: every change of every restaurant, in seq order (src/realtime/bus.ts). */
  bus: EventBus;
  /** Live screens grouped so one render serves every screen of a kind (src/realtime/hub.ts). */
  hub: Hub;
  /** Aborted when the process shuts down: every live stream ends with it. */
  shutdownSignal: AbortSignal;
};
