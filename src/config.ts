import { proxyEntryError } from "./ops/client-ip";

/**
 * The one place that reads the environment. Every value is validated at start; a bad value stops the
 * process with a message naming the variable and what it expects.
 */
export class ConfigError extends Error {}

export type Config = {
  port: number;
  host: string;
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | null;
  /** A read replica of DATABASE_URL that reports read from; null: reports read the primary. */
  reportsDatabaseUrl: string | null;
  dataDir: string;
  redisUrl: string | null;
  sessionSecret: string;
  pinPepper: string;
  sessionIdleHours: number;
  logLevel: string;
  dbPoolSize: number;
  seedDemo: boolean;
  squareAccessToken: string | null;
  squareBaseUrl: string | null;
  /** Square application id the kiosk's Web Payments SDK starts with; null: no card at kiosks. */
  squareApplicationId: string | null;
  /** Where the kiosk loads Square's Web Payments SDK from; null: Square's CDN for the connection's environment. */
  squareWebSdkUrl: string | null;
  openaiApiKey: string | null;
  openaiBaseUrl: string | null;
  /** Peers whose X-Forwarded-For is believed (addresses or CIDR blocks); empty: nobody's. */
  trustedProxies: string[];
  /** Bearer token for GET /metrics; null: /metrics answers 404. */
  metricsToken: string | null;
  rateLimits: RateLimitConfig;
  backupDir: string;
  backupKeepDays: number;
};

/** Requests per window for each tier, per API key and per client IP; 0 turns that limit off. */
export type RateLimitConfig = {
  windowSeconds: number;
  key: { reads: number; writes: number; heavy: number };
  ip: { reads: number; writes: number; heavy: number };
};

type Env = Record<string, string | undefined>;

/** A replica only makes sense beside a Postgres primary: the embedded database has none. */
function reportsUrl(env: Env): string | null {
  const value = url(env, "REPORTS_DATABASE_URL", ["postgres:", "postgresql:"]);
  if (value && !env.DATABASE_URL) throw new ConfigError("REPORTS_DATABASE_URL needs DATABASE_URL: it names a read replica of that database");
  return value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL like ${protocols[0]}//user@host:port/name (got a value that does not parse)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(" or ")} (got "${parsed.protocol}")`);
  }
  if (!parsed.hostname) throw new ConfigError(`${name} must name a host`);
  return raw;
}

function secret(env: Env, name: string, nodeEnv: Config["nodeEnv"]): string {
  const raw = env[name];
  if (raw) {
    if (raw.length < 32) throw new ConfigError(`${name} must be at least 32 characters long`);
    return raw;
  }
  if (nodeEnv === "production") throw new ConfigError(`${name} must be set in production (32+ random characters)`);
  // Development and tests: a fixed, obviously-not-secret value keeps sessions valid across restarts.
  return `dev-only-${name.toLowerCase()}-not-for-production-use`;
}

function proxies(env: Env): string[] {
  const entries = (env.TRUSTED_PROXIES ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const error = proxyEntryError(entry);
    if (error) throw new ConfigError(`TRUSTED_PROXIES must be a comma-separated list of addresses or CIDR blocks: ${error}`);
  }
  return entries;
}

function metricsToken(env: Env): string | null {
  const raw = env.METRICS_TOKEN;
  if (!raw) return null;
  if (raw.length < 16) throw new ConfigError("METRICS_TOKEN must be at least 16 characters long");
  return raw;
}

function rateLimits(env: Env): RateLimitConfig {
  const n = (name: string, fallback: number) => int(env, name, fallback, 0, 1_000_000);
  return {
    windowSeconds: int(env, "RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400),
    key: { reads: n("RATE_LIMIT_KEY_READS", 300), writes: n("RATE_LIMIT_KEY_WRITES", 60), heavy: n("RATE_LIMIT_KEY_HEAVY", 10) },
    ip: { reads: n("RATE_LIMIT_IP_READS", 1200), writes: n("RATE_LIMIT_IP_WRITES", 600), heavy: n("RATE_LIMIT_IP_HEAVY", 30) },
  };
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = (env.NODE_ENV || "development") as Config["nodeEnv"];
  if (!["development", "production", "test"].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test (got "${env.NODE_ENV}")`);
  }
  const logLevel = env.LOG_LEVEL || (nodeEnv === "test" ? "warn" : "info");
  if (!["trace", "debug", "info", "warn", "error", "fatal", "silent"].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent`);
  }
  const seed = env.SEED_DEMO ?? "auto";
  if (!["auto", "0", "1", "false", "true"].includes(seed)) throw new ConfigError(`SEED_DEMO must be auto, 0 or 1`);
  return {
    port: int(env, "PORT", 3000, 0, 65535),
    host: env.HOST || "0.0.0.0",
    nodeEnv,
    databaseUrl: url(env, "DATABASE_URL", ["postgres:", "postgresql:"]),
    reportsDatabaseUrl: reportsUrl(env),
    dataDir: env.DATA_DIR || "./data",
    redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
    sessionSecret: secret(env, "SESSION_SECRET", nodeEnv),
    pinPepper: secret(env, "PIN_PEPPER", nodeEnv),
    sessionIdleHours: int(env, "SESSION_IDLE_HOURS", 8, 1, 24 * 30),
    logLevel,
    dbPoolSize: int(env, "DB_POOL_SIZE", 10, 1, 200),
    // A production image started without a volume must not go live with a demo anyone can sign in to.
    seedDemo: seed === "1" || seed === "true" || (seed === "auto" && nodeEnv !== "production"),
    squareAccessToken: env.SQUARE_ACCESS_TOKEN || null,
    squareBaseUrl: url(env, "SQUARE_BASE_URL", ["http:", "https:"]),
    squareApplicationId: env.SQUARE_APPLICATION_ID || null,
    squareWebSdkUrl: url(env, "SQUARE_WEB_SDK_URL", ["http:", "https:"]),
    openaiApiKey: env.OPENAI_API_KEY || null,
    openaiBaseUrl: url(env, "OPENAI_BASE_URL", ["http:", "https:"]),
    trustedProxies: proxies(env),
    metricsToken: metricsToken(env),
    rateLimits: rateLimits(env),
    backupDir: env.BACKUP_DIR || "./backups",
    backupKeepDays: int(env, "BACKUP_KEEP_DAYS", 30, 1, 3650),
  };
}
