import type { Square } from "square";
import { badRequest, HttpError, unprocessable } from "../http/errors";
import type { OrderActor } from "../orders/service";
import { findCardPayment, openCardTender, settleCardTender } from "../payments/card";
import type { PaymentRow } from "../payments/queries";
import { moneySettings } from "../payments/queries";
import { withTenant } from "../db/tenant";
import { fromSquareMoney, isSquareRefusal, squareClient, squareMessage, toSquareMoney, unreachable } from "./client";
import { requireConnection, requireOrder, type SquareEnv } from "./terminal";

export const webPaymentKey = (payment: Pick<PaymentRow, "id">) => `ros-web-${payment.id}`;

/**
 * Card not present (guest self-order): the browser tokenized the card with Square's Web Payments SDK;
 * the server charges that token (source_id) for the server-computed amount due, never an amount from
 * the browser. The key is the tender's id: a retried submit with the same pending tender repeats the
 * same request, and when Square already has it (found by our reference id) nothing is charged again.
 */
export async function chargeCardToken(env: SquareEnv, restaurantId: string, orderId: string, input: { sourceId?: unknown; verificationToken?: unknown; checkId?: unknown }, who: OrderActor): Promise<PaymentRow> {
  await requireOrder(env, restaurantId, orderId);
  const sourceId = typeof input.sourceId === "string" ? input.sourceId.trim() : "";
  if (!sourceId || sourceId.length > 500) throw badRequest("sourceId must be the card token from Square's Web Payments SDK", "sourceId");
  const verificationToken = typeof input.verificationToken === "string" && input.verificationToken.trim() ? input.verificationToken.trim() : undefined;
  if (verificationToken && verificationToken.length > 1000) throw badRequest("verificationToken is too long", "verificationToken");
  const conn = await requireConnection(env, restaurantId);
  const { payment } = await openCardTender(env.db, restaurantId, orderId, { checkId: input.checkId }, who);
  if (payment.providerCheckoutId) throw new HttpError(409, "conflict", "A Terminal payment is in progress on this check; finish or cancel it first", "tender");
  const sq = squareClient(conn, env.baseUrl);
  const earlier = await findAtSquare(sq, conn.locationId, payment);
  if (earlier) return settleFrom(env, restaurantId, payment, earlier);
  const { currency } = (await withTenant(env.db, restaurantId, (tx) => moneySettings(tx, restaurantId)))!;
  try {
    const res = await sq.payments.create({
      sourceId, idempotencyKey: webPaymentKey(payment), amountMoney: toSquareMoney(payment.amountCents, currency), locationId: conn.locationId,
      referenceId: payment.id, autocomplete: true, ...(verificationToken ? { verificationToken } : {}),
    });
    return settleFrom(env, restaurantId, payment, res.payment!);
  } catch (error) {
    if (isSquareRefusal(error)) {
      await settleCardTender(env.db, restaurantId, payment.id, { outcome: "failed", reason: squareMessage(error) });
      throw unprocessable(`The card was not charged: ${squareMessage(error)}`, "sourceId");
    }
    throw unreachable(error);
  }
}

/** A payment Square already made for this tender (an earlier attempt whose answer was lost). */
async function findAtSquare(sq: ReturnType<typeof squareClient>, locationId: string, payment: PaymentRow): Promise<Square.Payment | null> {
  const begin = new Date(payment.createdAt.getTime() - 60_000).toISOString();
  try {
    const page = await sq.payments.list({ locationId, beginTime: begin });
    for await (const p of page) if (p.referenceId === payment.id) return p;
  } catch (error) {
    throw unreachable(error);
  }
  return null;
}

async function settleFrom(env: SquareEnv, restaurantId: string, payment: PaymentRow, paid: Square.Payment): Promise<PaymentRow> {
  if (paid.status === "COMPLETED") {
    await settleCardTender(env.db, restaurantId, payment.id, {
      outcome: "completed", providerRef: paid.id!, amountCents: fromSquareMoney(paid.amountMoney), tipCents: fromSquareMoney(paid.tipMoney),
      cardBrand: paid.cardDetails?.card?.cardBrand ?? null, cardLast4: paid.cardDetails?.card?.last4 ?? null,
    });
  } else if (paid.status === "FAILED" || paid.status === "CANCELED") {
    await settleCardTender(env.db, restaurantId, payment.id, { outcome: "failed", reason: `Square says ${paid.status}` });
  }
  return (await findCardPayment(env.db, restaurantId, { id: payment.id }))!;
}

/**
 * The Content-Security-Policy additions for a page that loads Square's Web Payments SDK, and only such
 * a page: the SDK script and its card iframe (web.squarecdn.com), its PCI endpoint, and its fonts and
 * styles (REFERENCE.md A2; Square's CSP page and forum threads). 3-D Secure issuer frames are not listed
 * by Square; they are the one open question (see README).
 */
export function squareCspSources(environment: "sandbox" | "production"): { script: string[]; frame: string[]; connect: string[]; style: string[]; font: string[] } {
  const cdn = environment === "production" ? "https://web.squarecdn.com" : "https://sandbox.web.squarecdn.com";
  const pci = environment === "production" ? "https://pci-connect.squareup.com" : "https://pci-connect.squareupsandbox.com";
  return {
    script: [cdn],
    frame: [cdn],
    connect: [pci, environment === "production" ? "https://connect.squareup.com" : "https://connect.squareupsandbox.com"],
    style: [cdn, "https://square-fonts-production-f.squarecdn.com", "https://d1g145x70srn7h.cloudfront.net"],
    font: ["https://square-fonts-production-f.squarecdn.com", "https://d1g145x70srn7h.cloudfront.net"],
  };
}

/** Widens one response's CSP header for the Square SDK (used by the page that loads it, nowhere else). */
export function withSquareCsp(csp: string, environment: "sandbox" | "production"): string {
  const add = squareCspSources(environment);
  const extra: Record<string, string[]> = { "script-src": add.script, "frame-src": add.frame, "connect-src": add.connect, "style-src": add.style, "font-src": add.font };
  const parts = csp.split(";").map((d) => d.trim()).filter(Boolean);
  for (const [name, hosts] of Object.entries(extra)) {
    const i = parts.findIndex((d) => d.split(/\s+/)[0] === name);
    if (i >= 0) parts[i] = `${parts[i]} ${hosts.join(" ")}`;
    else parts.push(`${name} 'self' ${hosts.join(" ")}`);
  }
  return parts.join("; ");
}
