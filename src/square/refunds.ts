import type { OrderActor } from "../orders/service";
import type { Approver } from "../payments/service";
import { findSquareRefund, openCardRefund, settleCardRefund, type SquareRefundRow } from "../payments/card";
import { findCardPayment } from "../payments/card";
import { HttpError, notFound } from "../http/errors";
import { isSquareRefusal, squareClient, squareMessage, toSquareMoney, unreachable } from "./client";
import { requireConnection, type SquareEnv } from "./terminal";
import { moneySettings } from "../payments/queries";
import { withTenant } from "../db/tenant";

/** The refund's own row id is its idempotency key at Square: a retried click repeats the same refund. */
export const refundKey = (row: Pick<SquareRefundRow, "id">) => `ros-rf-${row.id}`;

/**
 * Refunds part or all of a card tender through Square's refunds API. The request is recorded pending
 * first (capped at what was collected), then sent; it settles from Square's answer or, when Square
 * says PENDING, from a later webhook or sync read back from Square.
 */
export async function refundCardTender(env: SquareEnv, restaurantId: string, paymentId: string, input: { amountCents: unknown; reason: unknown }, who: OrderActor, overrideBy: Approver = null): Promise<SquareRefundRow> {
  await requireConnection(env, restaurantId);
  const row = await openCardRefund(env.db, restaurantId, paymentId, input, who, overrideBy);
  return sendRefund(env, restaurantId, row);
}

async function sendRefund(env: SquareEnv, restaurantId: string, row: SquareRefundRow): Promise<SquareRefundRow> {
  const conn = await requireConnection(env, restaurantId);
  const payment = await findCardPayment(env.db, restaurantId, { id: row.paymentId });
  const money = await withTenant(env.db, restaurantId, (tx) => moneySettings(tx, restaurantId));
  try {
    const res = await squareClient(conn, env.baseUrl).refunds.refundPayment({
      idempotencyKey: refundKey(row), paymentId: payment!.providerRef!, amountMoney: toSquareMoney(row.amountCents, money!.currency), reason: row.reason.slice(0, 192),
    });
    const refund = res.refund!;
    await settleCardRefund(env.db, restaurantId, row.id, { squareRefundId: refund.id, status: normalize(refund.status) });
  } catch (error) {
    if (isSquareRefusal(error)) {
      await settleCardRefund(env.db, restaurantId, row.id, { status: "REJECTED", reason: squareMessage(error) });
      throw new HttpError(422, "unprocessable", `Square refused the refund: ${squareMessage(error)}`, "amountCents");
    }
    // Unknown outcome: the refund stays pending; "Check refund" repeats it with the same key.
    throw unreachable(error);
  }
  return (await findSquareRefund(env.db, restaurantId, { id: row.id }))!;
}

const normalize = (s: string | null | undefined): "PENDING" | "COMPLETED" | "FAILED" | "REJECTED" =>
  s === "COMPLETED" || s === "FAILED" || s === "REJECTED" ? s : "PENDING";

/** Reads a pending refund back from Square (webhook, poll, or the POS's "Check refund"). */
export async function syncRefund(env: SquareEnv, restaurantId: string, id: string): Promise<SquareRefundRow> {
  const row = await findSquareRefund(env.db, restaurantId, { id });
  if (!row) throw notFound("No such refund");
  if (row.status !== "pending") return row;
  // Never confirmed by Square: sending it again with the same key is safe and tells us what happened.
  if (!row.squareRefundId) return sendRefund(env, restaurantId, row);
  const conn = await requireConnection(env, restaurantId);
  try {
    const refund = (await squareClient(conn, env.baseUrl).refunds.get({ refundId: row.squareRefundId })).refund;
    if (refund) await settleCardRefund(env.db, restaurantId, id, { squareRefundId: refund.id, status: normalize(refund.status) });
  } catch (error) {
    throw unreachable(error);
  }
  return (await findSquareRefund(env.db, restaurantId, { id }))!;
}
