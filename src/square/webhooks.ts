import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { withTenant } from "../db/tenant";
import { squareWebhookEvents } from "../db/schema";
import type { Logger } from "../ops/logger";
import { HttpError } from "../http/errors";
import { findSquareRefund } from "../payments/card";
import { loadConnection } from "./connection";
import { refreshPairing, syncCheckoutById, type SquareEnv } from "./terminal";
import { syncRefund } from "./refunds";

/**
 * Square's signature: base64 HMAC-SHA256, keyed with the subscription's signature key, over the exact
 * notification URL followed by the raw body (never re-serialised JSON). Compared in constant time,
 * unlike the SDK's WebhooksHelper, which uses ===.
 */
export function squareSignature(notificationUrl: string, rawBody: string, signatureKey: string): string {
  return createHmac("sha256", signatureKey).update(notificationUrl + rawBody).digest("base64");
}

export function signatureMatches(notificationUrl: string, rawBody: string, header: string | null, signatureKey: string): boolean {
  if (!header) return false;
  const want = Buffer.from(squareSignature(notificationUrl, rawBody, signatureKey));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}

type Notice = { event_id?: unknown; type?: unknown; data?: { id?: unknown; type?: unknown; object?: Record<string, unknown> } };

export type WebhookOutcome = { status: 200; result: "handled" | "duplicate" | "ignored" };

/**
 * One restaurant's webhook: refuse anything not signed with its key (401, logged), take each event_id
 * once, then act only on what is read back from Square. The payload's state is never trusted, so a
 * late (out-of-order) event re-reads the current state and a replay finds its event_id already taken.
 */
export async function receiveWebhook(env: SquareEnv, log: Logger, restaurantId: string, requestUrl: string, rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  const conn = /^[0-9a-f-]{36}$/i.test(restaurantId) ? await loadConnection(env.db, env.pepper, restaurantId) : null;
  if (!conn?.signatureKey) {
    log.warn({ restaurantId }, "square webhook refused: no Square connection with a signature key");
    throw new HttpError(401, "unauthorized", "No webhook signature key is configured for this restaurant");
  }
  // The URL Square signed is the one registered in the subscription; behind a proxy it differs from ours.
  const url = conn.notificationUrl ?? requestUrl;
  if (!signatureMatches(url, rawBody, signature, conn.signatureKey)) {
    log.warn({ restaurantId, signed: !!signature }, "square webhook refused: bad or missing signature");
    throw new HttpError(401, "unauthorized", "The webhook signature does not match");
  }
  let notice: Notice;
  try {
    notice = JSON.parse(rawBody) as Notice;
  } catch {
    throw new HttpError(400, "bad_request", "The webhook body is not JSON");
  }
  const eventId = typeof notice.event_id === "string" ? notice.event_id : "";
  const type = typeof notice.type === "string" ? notice.type : "";
  if (!eventId || !type) throw new HttpError(400, "bad_request", "The webhook has no event_id or type", "event_id");
  const objectId = typeof notice.data?.id === "string" ? notice.data.id : null;
  const fresh = await withTenant(env.db, restaurantId, (tx) => tx.insert(squareWebhookEvents).values({ restaurantId, eventId, type, objectId, data: notice.data ?? null }).onConflictDoNothing().returning());
  if (!fresh.length) return { status: 200, result: "duplicate" };
  try {
    const acted = await act(env, restaurantId, type, objectId, notice);
    return { status: 200, result: acted ? "handled" : "ignored" };
  } catch (error) {
    // Square could not be read back: forget the event so Square's own retry is taken in, not deduped away.
    await withTenant(env.db, restaurantId, (tx) => tx.delete(squareWebhookEvents).where(and(eq(squareWebhookEvents.restaurantId, restaurantId), eq(squareWebhookEvents.eventId, eventId))));
    log.warn({ restaurantId, eventId, type, err: error }, "square webhook could not be acted on; Square will retry");
    throw new HttpError(503, "unavailable", "Square could not be read back; retry later", undefined, { "retry-after": "30" });
  }
}

async function act(env: SquareEnv, restaurantId: string, type: string, objectId: string | null, notice: Notice): Promise<boolean> {
  if (type.startsWith("terminal.checkout.")) {
    const checkout = notice.data?.object?.checkout as { id?: unknown } | undefined;
    const id = typeof checkout?.id === "string" ? checkout.id : objectId;
    return !!id && !!(await syncCheckoutById(env, restaurantId, id));
  }
  if (type.startsWith("refund.")) {
    if (!objectId) return false;
    const row = await findSquareRefund(env.db, restaurantId, { squareRefundId: objectId });
    if (!row) return false;
    await syncRefund(env, restaurantId, row.id);
    return true;
  }
  if (type === "device.code.paired") {
    await refreshPairing(env, restaurantId, objectId ? { codeId: objectId } : {});
    return true;
  }
  // payment.created/updated follow terminal.checkout.updated; the checkout read-back already settles the tender.
  return false;
}
