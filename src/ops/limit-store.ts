import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Logger } from "./logger";

/** One rule's counting parameters: `limit` attempts per window of `windowMs` (whole seconds). */
export type Window = { name: string; limit: number; windowMs: number };

/** What a counter says after one attempt. */
export type Hit = { allowed: boolean; remaining: number; resetInMs: number };

/**
 * Counters behind one interface, kept by rate-limiter-flexible: its Redis store when REDIS_URL is set
 * (shared by every process), its memory store otherwise (one process, the embedded default).
 */
export interface LimitStore {
  readonly kind: "redis" | "memory";
  /** Where counting happens right now: a Redis store counts in memory while Redis is unreachable. */
  active(): "redis" | "memory";
  consume(rule: Window, key: string): Promise<Hit>;
  /** Hands one attempt back: it turned out to be a legitimate one. */
  reward(rule: Window, key: string): Promise<void>;
  reset(rule: Window, key: string): Promise<void>;
  /** The key's count and the ms left in its window, without counting; null when there is no window. */
  peek(rule: Window, key: string): Promise<{ count: number; resetInMs: number } | null>;
  close(): Promise<void>;
}

/** What the library holds for a key, read without consuming. */
async function peekOn(limiter: RateLimiterAbstract, key: string): Promise<{ count: number; resetInMs: number } | null> {
  const res = await limiter.get(key);
  return res ? { count: res.consumedPoints, resetInMs: Math.max(0, res.msBeforeNext) } : null;
}

// The library counts whole seconds; a window shorter than one second would never expire in Redis.
const seconds = (rule: Window) => Math.max(1, Math.round(rule.windowMs / 1000));

function toHit(res: RateLimiterRes, allowed: boolean): Hit {
  return { allowed, remaining: res.remainingPoints, resetInMs: Math.max(0, res.msBeforeNext) };
}

/** Consumes one point; an over-limit answer is a Hit, any other failure (the store) is thrown. */
async function consumeOn(limiter: RateLimiterAbstract, key: string): Promise<Hit> {
  try {
    return toHit(await limiter.consume(key), true);
  } catch (error) {
    if (error instanceof RateLimiterRes) return toHit(error, false);
    throw error;
  }
}

/** One library limiter per rule, made on first use (rules are a handful of constants and tiers). */
class LimiterCache<T extends RateLimiterAbstract> {
  private limiters = new Map<string, T>();
  constructor(private make: (rule: Window) => T) {}
  get(rule: Window): T {
    const id = `${rule.name}/${rule.limit}/${seconds(rule)}`;
    let limiter = this.limiters.get(id);
    if (!limiter) this.limiters.set(id, (limiter = this.make(rule)));
    return limiter;
  }
}

export class MemoryLimitStore implements LimitStore {
  readonly kind = "memory";
  private cache = new LimiterCache((rule) => new RateLimiterMemory({ keyPrefix: rule.name, points: rule.limit, duration: seconds(rule) }));
  active() { return "memory" as const; }
  consume(rule: Window, key: string) { return consumeOn(this.cache.get(rule), key); }
  async reward(rule: Window, key: string) { await this.cache.get(rule).reward(key); }
  async reset(rule: Window, key: string) { await this.cache.get(rule).delete(key); }
  peek(rule: Window, key: string) { return peekOn(this.cache.get(rule), key); }
  async close() {}
}

/** How long a Redis that answered too slowly is left alone before a background probe tries it again. */
const PROBE_EVERY_MS = 1000;
/** A Redis command slower than this counts as Redis being down (a sign-in must never wait seconds). */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Redis counters that fail over to in-process ones at once. While Redis is unreachable (connection
 * closed, refused, or a command timed out) every call goes straight to memory without touching the
 * socket, so a sign-in costs no Redis timeouts; ioredis reconnects in the background, and a probe pings
 * a Redis that timed out. The switch each way is logged once, not per request.
 */
export class RedisLimitStore implements LimitStore {
  readonly kind = "redis";
  private redisLimiters: LimiterCache<RateLimiterRedis>;
  private memory = new MemoryLimitStore();
  private down = false;
  private probe: ReturnType<typeof setInterval> | null = null;
  /** Resolves once the first connection attempt has an outcome, so start-up does not count in memory by accident. */
  private firstContact: Promise<void>;

  constructor(private redis: Redis, prefix: string, private log?: Logger) {
    this.redisLimiters = new LimiterCache((rule) => new RateLimiterRedis({
      storeClient: redis, keyPrefix: prefix + rule.name, points: rule.limit, duration: seconds(rule), rejectIfRedisNotReady: true,
    }));
    this.firstContact = new Promise((resolve) => {
      const done = () => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(done, 1000);
      redis.once("ready", done);
      redis.once("error", done);
      redis.once("close", done);
    });
    redis.on("ready", () => this.markUp());
    redis.on("close", () => this.markDown("connection closed"));
    // ioredis reports every failed reconnect; the switch to memory has been logged once already.
    redis.on("error", (error) => { if (!this.down) this.markDown(error.message); });
  }

  active(): "redis" | "memory" {
    return this.usable() ? "redis" : "memory";
  }

  async consume(rule: Window, key: string): Promise<Hit> {
    return this.run((r) => consumeOn(r.get(rule), key), () => this.memory.consume(rule, key));
  }

  async reward(rule: Window, key: string) {
    await this.run(async (r) => { await r.get(rule).reward(key); }, () => this.memory.reward(rule, key));
  }

  async reset(rule: Window, key: string) {
    // Forget the key in both places: an attempt counted in memory during an outage must not linger.
    await this.memory.reset(rule, key);
    await this.run(async (r) => { await r.get(rule).delete(key); }, async () => {});
  }

  peek(rule: Window, key: string) {
    return this.run((r) => peekOn(r.get(rule), key), () => this.memory.peek(rule, key));
  }

  async close() {
    if (this.probe) clearInterval(this.probe);
    this.redis.removeAllListeners();
    this.redis.on("error", () => {});
    this.redis.disconnect();
  }

  private usable() {
    return !this.down && this.redis.status === "ready";
  }

  private async run<T>(onRedis: (r: LimiterCache<RateLimiterRedis>) => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    if (this.redis.status !== "ready" && !this.down) await this.firstContact;
    if (!this.usable()) {
      if (!this.down) this.markDown(`not connected (${this.redis.status})`);
      return inMemory();
    }
    try {
      return await onRedis(this.redisLimiters);
    } catch (error) {
      this.markDown((error as Error).message);
      return inMemory();
    }
  }

  private markDown(reason: string) {
    if (this.down) return;
    this.down = true;
    this.log?.warn({ reason }, "rate limits: Redis unreachable; counting in this process until it answers again");
    // ioredis reconnects a closed connection by itself; a connection that is open but too slow needs a probe.
    this.probe ??= setInterval(() => void this.tryRedis(), PROBE_EVERY_MS);
    (this.probe as { unref?: () => void }).unref?.();
  }

  private markUp() {
    if (!this.down) return;
    this.down = false;
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
    this.log?.info("rate limits: Redis answers again; counting in Redis");
  }

  private async tryRedis() {
    if (this.redis.status !== "ready") return;
    try {
      await this.redis.ping();
      this.markUp();
    } catch {
      // Still down; the next tick tries again.
    }
  }
}

/** Redis when a URL is given, memory otherwise. */
export function createLimitStore(redisUrl: string | null, log?: Logger, prefix = "ros:rl:"): LimitStore {
  if (!redisUrl) return new MemoryLimitStore();
  const redis = new Redis(redisUrl, {
    // Never queue commands for a Redis that is not there: the store counts in memory meanwhile.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    // Reconnect forever in the background, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  return new RedisLimitStore(redis, prefix, log);
}
