import pino from "pino";
import type { Config } from "../config";

export type Logger = pino.Logger;

export function createLogger(config: Pick<Config, "logLevel" | "nodeEnv">): Logger {
  const pretty = config.nodeEnv === "development" && process.stdout.isTTY;
  return pino({
    level: config.logLevel,
    base: { service: "restaurant-os" },
    // Never write credentials into logs, even when a handler logs a whole body by mistake.
    redact: ["password", "pin", "*.password", "*.pin", "headers.cookie", "headers.authorization"],
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}
