import { Redis } from "ioredis";
import { HttpError } from "../http/errors";
import type { Logger } from "./logger";

/**
 * Fixed-window counters behind one interface: Redis when REDIS_URL is set (shared by every process),
 * memory otherwise (one process, the embedded default).
 */
export interface CounterStore {
  readonly kind: "redis" | "memory";
  /** Adds one to the key's window, starting the window if there is none; returns the count and the ms left. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Takes one back: the attempt turned out to be a legitimate one. */
  decrement(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** The key's count and the ms left in its window, without counting; null when there is no window. */
  peek(key: string): Promise<{ count: number; resetInMs: number } | null>;
  close(): Promise<void>;
}

export class MemoryCounterStore implements CounterStore {
  readonly kind = "memory";
  private windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private now: () => number = Date.now) {}

  async increment(key: string, windowMs: number) {
    const now = this.now();
    if (this.windows.size > 10_000) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, resetInMs: w.resetAt - now };
  }

  async decrement(key: string) {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count -= 1;
  }

  async reset(key: string) {
    this.windows.delete(key);
  }

  async peek(key: string) {
    const w = this.windows.get(key);
    const now = this.now();
    return w && w.resetAt > now ? { count: w.count, resetInMs: w.resetAt - now } : null;
  }

  async close() {
    this.windows.clear();
  }

  private sweep(now: number) {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}

// INCR and PEXPIRE in one script, so a crash between them can never leave a counter without expiry,
// and concurrent attempts from several processes all see one count.
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

const DECREMENT = `
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then redis.call('DECR', KEYS[1]) end
return 1`;

export class RedisCounterStore implements CounterStore {
  readonly kind = "redis";

  constructor(private redis: Redis, private prefix = "ros:rl:") {}

  async increment(key: string, windowMs: number) {
    const [count, ttl] = (await this.redis.eval(INCREMENT, 1, this.prefix + key, String(windowMs))) as [number, number];
    return { count: Number(count), resetInMs: Number(ttl) };
  }

  async decrement(key: string) {
    await this.redis.eval(DECREMENT, 1, this.prefix + key);
  }

  async reset(key: string) {
    await this.redis.del(this.prefix + key);
  }

  async peek(key: string) {
    const [count, ttl] = await this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec() as [[Error | null, string | null], [Error | null, number]];
    if (count[1] === null || ttl[1] < 0) return null;
    return { count: Number(count[1]), resetInMs: ttl[1] };
  }

  async close() {
    this.redis.disconnect();
  }
}

export type LimitRule = { name: string; limit: number; windowMs: number; message: string };

const MINUTE = 60_000;

/** The numbers: generous enough for a busy shift, small enough that guessing a password, PIN or code takes days. */
export const RULES = {
  signInAccount: { name: "signin-account", limit: 10, windowMs: 15 * MINUTE, message: "Too many sign-in attempts for this account." },
  signInIp: { name: "signin-ip", limit: 50, windowMs: 15 * MINUTE, message: "Too many sign-in attempts from this network." },
  pinDevice: { name: "pin-device", limit: 10, windowMs: 15 * MINUTE, message: "Too many wrong PINs on this station." },
  pinIp: { name: "pin-ip", limit: 50, windowMs: 15 * MINUTE, message: "Too many wrong PINs from this network." },
  /** While a station is locked, a manager's PIN lifts the lock; those tries are guesses too, and few. */
  pinUnlockDevice: { name: "pin-unlock-device", limit: 5, windowMs: 15 * MINUTE, message: "Too many tries to unlock this station." },
  totpAccount: { name: "totp-account", limit: 10, windowMs: 15 * MINUTE, message: "Too many wrong codes for this account." },
} satisfies Record<string, LimitRule>;

/** A key a rule counts per (an account, a device, an IP); null when it is unknown, e.g. no client IP. */
export type LimitKey = readonly [LimitRule, string | null | undefined];

export class RateLimitedError extends HttpError {
  constructor(readonly rule: LimitRule, readonly retryAfterSeconds: number) {
    super(429, "rate_limited", `${rule.message} Please wait ${humanWait(retryAfterSeconds)} and try again.`, undefined, { "retry-after": String(retryAfterSeconds) });
  }
}

export function humanWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * Counts attempts. `attempt` takes one from every key before the work is done (so a burst of parallel
 * guesses cannot all slip through a check-then-count gap) and throws 429 when any key is over its
 * limit; `forgive` hands them back after a success, so only failures add up.
 */
export class RateLimiter {
  constructor(readonly store: CounterStore, private log?: Logger) {}

  async attempt(keys: readonly LimitKey[]): Promise<void> {
    let refusal: RateLimitedError | null = null;
    for (const [rule, id] of keys) {
      if (!id) continue;
      const hit = await this.safely(() => this.store.increment(keyOf(rule, id), rule.windowMs));
      if (hit && hit.count > rule.limit) {
        const wait = Math.max(1, Math.ceil(hit.resetInMs / 1000));
        if (!refusal || wait > refusal.retryAfterSeconds) refusal = new RateLimitedError(rule, wait);
      }
    }
    if (refusal) throw refusal;
  }

  async forgive(keys: readonly LimitKey[]): Promise<void> {
    for (const [rule, id] of keys) if (id) await this.safely(() => this.store.decrement(keyOf(rule, id)));
  }

  async reset(keys: readonly LimitKey[]): Promise<void> {
    for (const [rule, id] of keys) if (id) await this.safely(() => this.store.reset(keyOf(rule, id)));
  }

  /** The key over its limit with the longest wait, without counting an attempt; null when none is. */
  async blocked(keys: readonly LimitKey[]): Promise<RateLimitedError | null> {
    let refusal: RateLimitedError | null = null;
    for (const [rule, id] of keys) {
      if (!id) continue;
      const hit = await this.safely(() => this.store.peek(keyOf(rule, id)));
      if (hit && hit.count >= rule.limit) {
        const wait = Math.max(1, Math.ceil(hit.resetInMs / 1000));
        if (!refusal || wait > refusal.retryAfterSeconds) refusal = new RateLimitedError(rule, wait);
      }
    }
    return refusal;
  }

  close() {
    return this.store.close();
  }

  // A Redis outage must not stop a restaurant from signing in: fail open, loudly.
  private async safely<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      this.log?.error({ err: error }, "rate limiter store failed; allowing the attempt");
      return null;
    }
  }
}

const keyOf = (rule: LimitRule, id: string) => `${rule.name}:${id.toLowerCase()}`;

/** Redis when a URL is given, memory otherwise. */
export function createRateLimiter(redisUrl: string | null, log?: Logger, prefix = "ros:rl:"): RateLimiter {
  if (!redisUrl) return new RateLimiter(new MemoryCounterStore(), log);
  // Short timeouts: a slow Redis must fail open quickly rather than hold a sign-in for seconds.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000, enableOfflineQueue: true });
  redis.on("error", (error) => log?.warn({ err: error }, "redis error"));
  return new RateLimiter(new RedisCounterStore(redis, prefix), log);
}
