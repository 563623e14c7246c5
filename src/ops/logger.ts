import pino from "pino";
import type { Config } from "../config";

export type Logger = pino.Logger;

/** Field names that hold a credential or card data wherever they appear, at the top or one level down. */
const SECRET_FIELDS = [
  "password", "newPassword", "currentPassword", "pin", "managerPin", "totp", "totpCode", "totpSecret", "secret", "recoveryCodes",
  "token", "sessionToken", "deviceToken", "apiKey", "bearer", "authorization", "cookie",
  "card", "cardNumber", "pan", "cvv", "cvc", "expiry", "sourceId", "nonce",
];

/**
 * Never write credentials or card data into logs, even when a handler logs a whole body, a request's
 * headers or an error carrying its query parameters by mistake. Request lines themselves log only the
 * path (no query string, headers or body): src/ops/request-log.ts.
 */
export const REDACT_PATHS = [
  ...SECRET_FIELDS, ...SECRET_FIELDS.map((f) => `*.${f}`),
  "headers.cookie", "headers.authorization", "req.headers.cookie", "req.headers.authorization", "*.headers.cookie", "*.headers.authorization",
  '["set-cookie"]', '*["set-cookie"]', "err.parameters", "err.query", "*.parameters", "body", "*.body",
];

export function createLogger(config: Pick<Config, "logLevel" | "nodeEnv">, destination?: pino.DestinationStream): Logger {
  const pretty = config.nodeEnv === "development" && process.stdout.isTTY && !destination;
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: "restaurant-os" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    ...(pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
