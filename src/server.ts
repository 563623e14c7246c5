import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./ops/logger";
import { openAndMigrate, StartupError } from "./boot";
import { createApp } from "./app";
import { withSystem } from "./db/tenant";
import { openPostgres } from "./db/client";
import { countRestaurants } from "./restaurants/queries";
import { seedDemo } from "./restaurants/demo";
import { printDemo } from "./cli/print";
import { createRateLimiter } from "./ops/rate-limit";
import { createBus } from "./realtime/bus";
import { createHub } from "./realtime/hub";
import { SSE_SERVER_IDLE_TIMEOUT_SECONDS } from "./realtime/sse";

async function main() {
  const config = loadConfig();
  const log = createLogger(config);
  const database = await openAndMigrate(config, log);
  // Never migrated: a replica follows the primary's schema. Connections open lazily, so a replica that is
  // down surfaces on the first report, not at start.
  const reportsDatabase = config.reportsDatabaseUrl ? await openPostgres(config.reportsDatabaseUrl, config.dbPoolSize) : undefined;

  // First embedded start on an empty database: seed a demo so there is something to sign in to.
  if (database.kind === "pglite" && config.seedDemo && (await withSystem(database.db, countRestaurants)) === 0) {
    printDemo(await seedDemo(database.db, config.pinPepper), `http://localhost:${config.port}`);
  }

  let shuttingDown = false;
  const rateLimiter = createRateLimiter(config.redisUrl, log);
  const bus = createBus({ database, log });
  const shutdownController = new AbortController();
  const app = createApp({
    config, database, reportsDatabase, log, isShuttingDown: () => shuttingDown, rateLimiter, bus, hub: createHub(bus, log), shutdownSignal: shutdownController.signal,
  });
  // Live streams send a heartbeat every 15 s; Bun's default 10 s idle timeout would cut them first.
  app.listen({ port: config.port, hostname: config.host, idleTimeout: SSE_SERVER_IDLE_TIMEOUT_SECONDS });
  log.info({ port: app.server?.port }, "listening");

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, "draining");
    // Stop taking new connections, let in-flight requests finish (bounded), then close the database.
    const timer = setTimeout(() => { log.warn("drain timed out"); process.exit(1); }, 10_000);
    // End live streams first: screens reconnect (to another process) and replay what they missed.
    shutdownController.abort();
    await bus.close();
    await app.stop();
    await database.close();
    await reportsDatabase?.close();
    await rateLimiter.close();
    clearTimeout(timer);
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`restaurant-os: ${error.message}`);
  } else {
    console.error("restaurant-os: failed to start:", error);
  }
  process.exit(1);
});
