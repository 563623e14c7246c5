import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Guests carry no cookie of ours (a phone at a table) or only the kiosk's device cookie, so a
 * cross-site page could post to our guest endpoints if they trusted ambient credentials alone. Every
 * guest menu page therefore carries a server-issued page token: an HMAC over what the page is for (the
 * kiosk device, or the table and its current QR token) and when it was issued. Checkout refuses a body
 * without one that matches the same kiosk or table; rotating a table's QR token voids its pages' tokens.
 */
export const PAGE_TOKEN_HOURS = 12;

const sign = (secret: string, subject: string, issued: number) =>
  createHmac("sha256", secret).update(`guest-page|${subject}|${issued}`).digest("base64url");

export function issuePageToken(secret: string, subject: string, now = Date.now()): string {
  const issued = Math.floor(now / 1000);
  return `${issued}.${sign(secret, subject, issued)}`;
}

export type PageTokenCheck = "ok" | "missing" | "expired" | "invalid";

export function checkPageToken(secret: string, subject: string, token: unknown, now = Date.now()): PageTokenCheck {
  if (typeof token !== "string" || !token) return "missing";
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return "invalid";
  const issued = Number(match[1]);
  const expected = Buffer.from(sign(secret, subject, issued));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  if (now / 1000 - issued > PAGE_TOKEN_HOURS * 3600 || issued - now / 1000 > 60) return "expired";
  return "ok";
}

/** A table's QR token: random, URL-safe, printed on the table. */
export const newTableToken = () => randomBytes(18).toString("base64url");


export const TABLE_TOKEN = /^[A-Za-z0-9_-]{24}$/;
/** A guest order's token (an HMAC, src/guest/service.ts orderToken): opens that one order's live page. */
export const ORDER_TOKEN = /^[A-Za-z0-9_-]{43}$/;
