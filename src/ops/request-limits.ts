import { Elysia } from "elysia";
import type { AppContext } from "../context";
import type { RateLimitConfig } from "../config";
import { getMeta } from "../http/request-context";
import { refusalOf, type Counted, type LimitKey, type LimitRule } from "./rate-limit";

/**
 * Limits for every API call and page, on top of the sign-in, PIN and code limits: per API key (the
 * Bearer token) and per client IP, in three tiers. Reads are GET/HEAD; writes everything else; heavy
 * the few requests that cost far more than a page (CSV import and export). A refused request gets 429
 * with Retry-After; every counted response carries the IETF RateLimit-Policy and RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers: `"name";q=quota;w=window` and `"name";r=remaining;t=reset`).
 */
export type Tier = "reads" | "writes" | "heavy";

/** Probes and assets: a load balancer's health checks and a page's scripts must never be refused. */
// Guest pages (/guest/...) are counted in buckets of their own (src/guest/limits.ts), so a flood of
// guests behind the restaurant's Wi-Fi never spends the staff's per-IP allowance.
const EXEMPT = [/^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/public\//, /^\/vendor\//, /^\/guest\//];
const HEAVY = [/^\/admin\/menu\/import$/, /^\/admin\/menu\/export\.csv$/, /^\/admin\/menu\/csv$/];

export function tierOf(method: string, path: string): Tier | null {
  if (EXEMPT.some((re) => re.test(path))) return null;
  if (HEAVY.some((re) => re.test(path))) return "heavy";
  return method === "GET" || method === "HEAD" ? "reads" : "writes";
}

type Rules = Record<"key" | "ip", Record<Tier, LimitRule | null>>;

const MESSAGES: Record<"key" | "ip", string> = {
  key: "Too many requests with this API key.",
  ip: "Too many requests from this network.",
};

export function requestRules(limits: RateLimitConfig): Rules {
  const make = (scope: "key" | "ip", tier: Tier): LimitRule | null => {
    const limit = limits[scope][tier];
    return limit > 0 ? { name: `${scope}-${tier}`, limit, windowMs: limits.windowSeconds * 1000, message: MESSAGES[scope] } : null;
  };
  const tiers = (scope: "key" | "ip") => ({ reads: make(scope, "reads"), writes: make(scope, "writes"), heavy: make(scope, "heavy") });
  return { key: tiers("key"), ip: tiers("ip") };
}

/** The API key's counter id: a digest, so a raw key is never written into Redis or memory. */
function keyId(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header?.startsWith("Bearer ")) return null;
  return new Bun.CryptoHasher("sha256").update(header.slice(7).trim()).digest("hex").slice(0, 32);
}

/** RateLimit-Policy lists every limit that applied; RateLimit reports the one closest to refusing. */
export function rateLimitHeaders(counted: readonly Counted[]): Record<string, string> {
  if (!counted.length) return {};
  const policy = counted.map(({ rule }) => `"${rule.name}";q=${rule.limit};w=${Math.round(rule.windowMs / 1000)}`).join(", ");
  const tightest = counted.reduce((a, b) => (b.hit.remaining < a.hit.remaining ? b : a));
  const reset = Math.max(0, Math.ceil(tightest.hit.resetInMs / 1000));
  return { "ratelimit-policy": policy, ratelimit: `"${tightest.rule.name}";r=${tightest.hit.remaining};t=${reset}` };
}

export function requestLimits(ctx: AppContext) {
  const rules = requestRules(ctx.config.rateLimits);
  return new Elysia({ name: "request-limits" }).onRequest(async ({ request, set }) => {
    const tier = tierOf(request.method, new URL(request.url).pathname);
    if (!tier) return;
    const keys: LimitKey[] = [];
    const keyRule = rules.key[tier];
    const ipRule = rules.ip[tier];
    if (keyRule) keys.push([keyRule, keyId(request)]);
    if (ipRule) keys.push([ipRule, getMeta(request)?.ip]);
    if (!keys.length) return;
    const counted = await ctx.rateLimiter.count(keys);
    const headers = rateLimitHeaders(counted);
    Object.assign(set.headers, headers);
    const refusal = refusalOf(counted, headers);
    if (refusal) throw refusal;
  });
}
