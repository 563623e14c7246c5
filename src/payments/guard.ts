import type { Tx } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { conflict } from "../http/errors";
import { TAKEN_STATES } from "./states";
import * as q from "./queries";

type Who = { userId: string | null; deviceId: string | null; ip?: string | null };
type Order = { id: string; number: number; totalCents: number; reopenedAt: Date | null };

/**
 * Called by the order engine before a change to the check (items, voids, discounts): a paid check is
 * closed until a manager reopens it, and any change once money was taken is audited.
 */
export async function guardPaidCheck(tx: Tx, restaurantId: string, order: Order, who: Who, change: string): Promise<void> {
  const payments = await q.paymentsOfOrders(tx, restaurantId, [order.id]);
  const paid = payments.filter((p) => TAKEN_STATES.includes(p.status)).reduce((s, p) => s + p.amountCents - Math.min(p.refundedCents, p.amountCents), 0);
  if (paid <= 0) return;
  if (paid >= order.totalCents && !order.reopenedAt) throw conflict(`Order #${order.number} is paid: a manager must reopen the check to change it`, "orderId");
  await recordAudit(tx, { restaurantId, action: "order.change_after_payment", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip ?? null, data: { orderId: order.id, number: order.number, change, paidCents: paid } });
}
