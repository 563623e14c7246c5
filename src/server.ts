import { ConfigError, loadConfig, type Config } from "./config";
import { createLogger } from "./ops/logger";
import { openAndMigrate, StartupError } from "./boot";
import { createApp } from "./app";
import { withSystem } from "./db/tenant";
import { openPostgres } from "./db/client";
import { countRestaurants } from "./restaurants/queries";
import { seedDemo } from "./restaurants/demo";
import { demoLines, signInUrl } from "./cli/print";
import { createRateLimiter } from "./ops/rate-limit";
import { wireProcessMetrics } from "./ops/metrics";
import { createBus } from "./realtime/bus";
import { createHub } from "./realtime/hub";
import { SSE_SERVER_IDLE_TIMEOUT_SECONDS } from "./realtime/sse";

async function main() {
  const config = loadConfig();
  const log = createLogger(config);
  const { database, applied } = await openAndMigrate(config, log, { role: "server", port: config.port });
  if (applied.length) log.info({ applied }, "applied migrations");
  // Never migrated: a replica follows the primary's schema. Connections open lazily, so a replica that is
  // down surfaces on the first report, not at start.
  const reportsDatabase = config.reportsDatabaseUrl ? await openPostgres(config.reportsDatabaseUrl, config.dbPoolSize) : undefined;

  let shuttingDown = false;
  const rateLimiter = createRateLimiter(config.redisUrl, log);
  const bus = createBus({ database, log });
  wireProcessMetrics({ database, poolSize: config.dbPoolSize, bus, rateLimiter });
  const shutdownController = new AbortController();
  const app = createApp({
    config, database, reportsDatabase, log, isShuttingDown: () => shuttingDown, rateLimiter, bus, hub: createHub(bus, log), shutdownSignal: shutdownController.signal,
  });
  // Listen before seeding: a port already in use stops the start before anything is written or printed.
  try {
    listen(app, config);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  const port = app.server!.port!;
  log.info({ port }, "listening");

  // First embedded start on an empty database: a demo, with random credentials printed once. Never in
  // production unless asked for (SEED_DEMO=1; config.seedDemo says which). A shutdown waits for it.
  const seeding = (async () => {
    if (database.kind === "pglite" && config.seedDemo && (await withSystem(database.db, countRestaurants)) === 0) {
      console.log(demoLines(await seedDemo(database.db, config.pinPepper), signInUrl(config, port)).join("\n"));
    }
  })();

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
    await seeding.catch(() => {});
    await database.close();
    await reportsDatabase?.close();
    await rateLimiter.close();
    clearTimeout(timer);
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await seeding;
}

function listen(app: ReturnType<typeof createApp>, config: Config): void {
  try {
    // Live streams send a heartbeat every 15 s; Bun's default 10 s idle timeout would cut them first.
    app.listen({ port: config.port, hostname: config.host, idleTimeout: SSE_SERVER_IDLE_TIMEOUT_SECONDS });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new StartupError(`PORT ${config.port} is already in use on ${config.host}: stop what listens there, or set PORT to a free port.`);
    if (code === "EACCES") throw new StartupError(`PORT ${config.port} needs privileges this process does not have: set PORT to 1024 or above.`);
    if (code === "EADDRNOTAVAIL") throw new StartupError(`HOST ${config.host} is not an address of this machine: set HOST to one (0.0.0.0 for all).`);
    throw error;
  }
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`restaurant-os: ${error.message}`);
  } else {
    console.error("restaurant-os: failed to start:", error);
  }
  process.exit(1);
});
