import { HttpError } from "../http/errors";
import type { Logger } from "./logger";
import { createLimitStore, type Hit, type LimitStore } from "./limit-store";
import { countRefusal } from "./metrics";

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
  constructor(readonly rule: LimitRule, readonly retryAfterSeconds: number, extraHeaders: Record<string, string> = {}) {
    super(429, "rate_limited", `${rule.message} Please wait ${humanWait(retryAfterSeconds)} and try again.`, undefined, { ...extraHeaders, "retry-after": String(retryAfterSeconds) });
  }
}

export function humanWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** One key's outcome: the rule, and what its counter said (null when the key was unknown). */
export type Counted = { rule: LimitRule; hit: Hit };

/**
 * Counts attempts. `attempt` takes one from every key before the work is done (so a burst of parallel
 * guesses cannot all slip through a check-then-count gap) and throws 429 when any key is over its
 * limit; `forgive` hands them back after a success, so only failures add up.
 */
export class RateLimiter {
  constructor(readonly store: LimitStore, private log?: Logger) {}

  async attempt(keys: readonly LimitKey[]): Promise<void> {
    const refusal = refusalOf(await this.count(keys));
    if (refusal) throw refusal;
  }

  /** Counts one attempt against every known key at once and reports each; throws nothing. */
  async count(keys: readonly LimitKey[]): Promise<Counted[]> {
    const known = keys.filter((k): k is readonly [LimitRule, string] => !!k[1]);
    const hits = await Promise.all(known.map(([rule, id]) => this.safely(() => this.store.consume(rule, keyOf(id)))));
    const counted: Counted[] = [];
    known.forEach(([rule], i) => { const hit = hits[i]; if (hit) counted.push({ rule, hit }); });
    for (const c of counted) if (!c.hit.allowed) countRefusal(c.rule.name);
    return counted;
  }

  async forgive(keys: readonly LimitKey[]): Promise<void> {
    await Promise.all(keys.map(([rule, id]) => id ? this.safely(() => this.store.reward(rule, keyOf(id))) : null));
  }

  async reset(keys: readonly LimitKey[]): Promise<void> {
    await Promise.all(keys.map(([rule, id]) => id ? this.safely(() => this.store.reset(rule, keyOf(id))) : null));
  }

  /** The key over its limit with the longest wait, without counting an attempt; null when none is. */
  async blocked(keys: readonly LimitKey[]): Promise<RateLimitedError | null> {
    let refusal: RateLimitedError | null = null;
    for (const [rule, id] of keys) {
      if (!id) continue;
      const seen = await this.safely(() => this.store.peek(rule, keyOf(id)));
      if (seen && seen.count >= rule.limit) {
        const wait = Math.max(1, Math.ceil(seen.resetInMs / 1000));
        if (!refusal || wait > refusal.retryAfterSeconds) refusal = new RateLimitedError(rule, wait);
      }
    }
    return refusal;
  }

  close() {
    return this.store.close();
  }

  // The store already fails over to memory; anything still failing (a bug) must not stop a sign-in.
  private async safely<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      this.log?.error({ err: error }, "rate limiter failed; allowing the attempt");
      return null;
    }
  }
}

/** The refusal for the longest wait among the keys over their limit, or null when all are within. */
export function refusalOf(counted: readonly Counted[], headers: Record<string, string> = {}): RateLimitedError | null {
  let refusal: RateLimitedError | null = null;
  for (const { rule, hit } of counted) {
    if (hit.allowed) continue;
    const wait = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    if (!refusal || wait > refusal.retryAfterSeconds) refusal = new RateLimitedError(rule, wait, headers);
  }
  return refusal;
}

const keyOf = (id: string) => id.toLowerCase();

/** Redis when a URL is given (falling over to memory while it is down), memory otherwise. */
export function createRateLimiter(redisUrl: string | null, log?: Logger, prefix = "ros:rl:"): RateLimiter {
  return new RateLimiter(createLimitStore(redisUrl, log, prefix), log);
}
