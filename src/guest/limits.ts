import type { AppContext } from "../context";
import type { LimitKey, LimitRule } from "../ops/rate-limit";

const MINUTE = 60_000;

/**
 * Guests' own buckets (never the staff's: /guest/ is exempt from the request limits of
 * src/ops/request-limits.ts). Per IP generous enough for a restaurant's shared Wi-Fi full of phones;
 * per kiosk or table enough for a busy table, small enough that one script cannot flood the kitchen.
 */
export const GUEST_RULES = {
  readsIp: { name: "guest-reads-ip", limit: 1200, windowMs: MINUTE, message: "Too many requests from this network." },
  readsToken: { name: "guest-reads-token", limit: 300, windowMs: MINUTE, message: "Too many requests from this table or kiosk." },
  ordersIp: { name: "guest-orders-ip", limit: 60, windowMs: MINUTE, message: "Too many orders from this network." },
  ordersToken: { name: "guest-orders-token", limit: 30, windowMs: MINUTE, message: "Too many orders from this table or kiosk." },
} satisfies Record<string, LimitRule>;

/** Counts a guest page or stream; throws 429 (with Retry-After) once either bucket is spent. */
export function countGuestRead(ctx: AppContext, ip: string | null, token: string | null) {
  const keys: LimitKey[] = [[GUEST_RULES.readsIp, ip], [GUEST_RULES.readsToken, token]];
  return ctx.rateLimiter.attempt(keys);
}

/** Counts a checkout attempt (placed or refused: a refused flood is still a flood). */
export function countGuestOrder(ctx: AppContext, ip: string | null, token: string | null) {
  const keys: LimitKey[] = [[GUEST_RULES.ordersIp, ip], [GUEST_RULES.ordersToken, token]];
  return ctx.rateLimiter.attempt(keys);
}
