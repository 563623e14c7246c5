import type { AppContext } from "../context";
import { withTenant } from "../db/tenant";
import { badRequest } from "../http/errors";
import type { OrderActor } from "../orders/service";
import { getPayableOrder } from "../payments/service";
import { connectionRow } from "../square/connection";
import { chargeCardToken } from "../square/web-payments";
import * as q from "./queries";
import { releaseAfterPayment } from "./service";

export type KioskCardSdk = { applicationId: string; locationId: string; environment: "sandbox" | "production"; sdkUrl: string };

/**
 * What the kiosk page needs to load Square's Web Payments SDK, or null when card is not on offer: the
 * restaurant has no Square connection, or the server has no Square application id to start the SDK with.
 */
export async function kioskCardSdk(ctx: AppContext, restaurantId: string): Promise<KioskCardSdk | null> {
  const row = await connectionRow(ctx.database.db, restaurantId);
  const applicationId = ctx.config.squareApplicationId;
  if (!row || !applicationId) return null;
  const cdn = row.environment === "production" ? "https://web.squarecdn.com" : "https://sandbox.web.squarecdn.com";
  return { applicationId, locationId: row.locationId, environment: row.environment, sdkUrl: ctx.config.squareWebSdkUrl ?? `${cdn}/v1/square.js` };
}

/** A kiosk offers "Pay by card" only while its restaurant has Square connected. */
export async function kioskCardReady(ctx: AppContext, restaurantId: string): Promise<boolean> {
  return !!(await kioskCardSdk(ctx, restaurantId));
}

/** The card token a card checkout must carry; checked before any order is placed. */
export function cardTokenOf(body: unknown): { sourceId: string; verificationToken?: unknown } {
  const b = (body ?? {}) as { sourceId?: unknown; verificationToken?: unknown };
  if (typeof b.sourceId !== "string" || !b.sourceId.trim()) throw badRequest("sourceId must be the card token from Square's Web Payments SDK", "sourceId");
  return { sourceId: b.sourceId, verificationToken: b.verificationToken };
}

/**
 * Card payment at the kiosk (issue 13 point 3): the browser tokenized the card with Square's Web
 * Payments SDK and sent the token with the checkout. The server charges what the order owes (never an
 * amount from the browser); once nothing is due the order is released to the kitchen exactly as a paid
 * pay-at-counter order is. A decline throws Square's refusal (422 naming sourceId) and the order stays
 * held: nothing reaches the kitchen. A resubmit with the same idempotency key finds the order already
 * paid and only makes sure it was released, so a double submit charges once.
 */
export async function payKioskOrderByCard(ctx: AppContext, restaurantId: string, orderId: string, key: string, body: unknown, who: OrderActor): Promise<void> {
  const b = cardTokenOf(body);
  const env = { db: ctx.database.db, pepper: ctx.config.pinPepper, baseUrl: ctx.config.squareBaseUrl };
  const order = await getPayableOrder(ctx.database.db, restaurantId, orderId);
  if (order.pay.balanceDueCents > 0) await chargeCardToken(env, restaurantId, orderId, { sourceId: b.sourceId, verificationToken: b.verificationToken }, who);
  const find = () => withTenant(ctx.database.db, restaurantId, (tx) => q.findGuestOrderByKey(tx, restaurantId, key));
  const row = await find();
  if (row?.state !== "awaiting_payment") return;
  try {
    await releaseAfterPayment(ctx, { restaurantId, who }, row.id);
  } catch (error) {
    // Two submits at once: both found the one charge, and the other one is releasing (or released) it.
    if ((await find())?.state !== "awaiting_payment") return;
    const now = await getPayableOrder(ctx.database.db, restaurantId, orderId);
    if (now.pay.balanceDueCents > 0 || now.lines.some((l) => !l.firedAt && !l.voidedAt && !l.held)) throw error;
  }
}
