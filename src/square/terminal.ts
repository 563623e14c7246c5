import type { Square } from "square";
import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { appendEvent } from "../realtime/events";
import { conflict, HttpError, notFound, unprocessable } from "../http/errors";
import type { OrderActor } from "../orders/service";
import { moneySettings } from "../payments/queries";
import { findCardPayment, noteCardProgress, openCardTender, settleCardTender } from "../payments/card";
import type { PaymentRow } from "../payments/queries";
import { getPayableOrder } from "../payments/service";
import { fromSquareMoney, isSquareRefusal, squareClient, squareMessage, toSquareMoney, unreachable } from "./client";
import { loadConnection, setPairing, setTerminal, terminalByCode, terminalOf, type Connection } from "./connection";

/** What every Square call needs from the process: the pepper that opens the secrets and SQUARE_BASE_URL. */
export type SquareEnv = { db: Db; pepper: string; baseUrl: string | null };

export async function requireConnection(env: SquareEnv, restaurantId: string): Promise<Connection> {
  const conn = await loadConnection(env.db, env.pepper, restaurantId);
  if (!conn) throw unprocessable("Card payments are not set up for this restaurant: an owner connects Square under Settings", "tender");
  return conn;
}

/** Another restaurant's order is a 404 before anything else is said about the request. */
export async function requireOrder(env: SquareEnv, restaurantId: string, orderId: string): Promise<void> {
  await getPayableOrder(env.db, restaurantId, orderId);
}

const client = (env: SquareEnv, conn: Connection) => squareClient(conn, env.baseUrl);

/** Idempotency keys come from our own rows, never per request: a retried tap repeats the same request. */
export const checkoutKey = (payment: Pick<PaymentRow, "id" | "orderId">) => `ros-co-${payment.orderId.slice(0, 8)}-${payment.id}`;

// ---- pairing

/**
 * Asks Square for a device code to type on the Terminal (product type TERMINAL_API), for one POS device
 * (that station charges on it) or, without one, for the restaurant's Terminal. A new code each time is
 * harmless (an unused code expires), so this one key is random. The Terminal paired now keeps taking
 * cards until the new code is paired.
 */
export async function startPairing(env: SquareEnv, restaurantId: string, posDeviceId: string | null = null): Promise<{ code: string; codeId: string }> {
  const conn = await requireConnection(env, restaurantId);
  try {
    const res = await client(env, conn).devices.codes.create({ idempotencyKey: crypto.randomUUID(), deviceCode: { productType: "TERMINAL_API", locationId: conn.locationId, name: "Restaurant OS" } });
    const code = res.deviceCode;
    if (!code?.id || !code.code) throw new HttpError(502, "square_unreachable", "Square did not return a device code");
    if (posDeviceId) await setTerminal(env.db, restaurantId, posDeviceId, { deviceCodeId: code.id, deviceCode: code.code });
    else await setPairing(env.db, restaurantId, { deviceCodeId: code.id, deviceCode: code.code });
    return { code: code.code, codeId: code.id };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw isSquareRefusal(error) ? unprocessable(`Square refused the pairing: ${squareMessage(error)}`) : unreachable(error);
  }
}

/**
 * Reads a device code back from Square (the webhook's trigger or a poll): PAIRED records the Terminal's
 * device id on the POS device that asked for the code, or on the restaurant.
 */
export async function refreshPairing(env: SquareEnv, restaurantId: string, target: { posDeviceId?: string | null; codeId?: string } = {}): Promise<{ status: string; deviceId: string | null }> {
  const conn = await requireConnection(env, restaurantId);
  const station = target.posDeviceId ? await terminalOf(env.db, restaurantId, target.posDeviceId)
    : target.codeId ? await terminalByCode(env.db, restaurantId, target.codeId) : null;
  const current = station ? station.squareDeviceId : conn.deviceId;
  const codeId = station ? station.deviceCodeId : target.posDeviceId ? null : conn.deviceCodeId;
  if (!codeId) return { status: current ? "PAIRED" : "NONE", deviceId: current };
  let code: Square.DeviceCode | undefined;
  try {
    code = (await client(env, conn).devices.codes.get({ id: codeId })).deviceCode;
  } catch (error) {
    throw unreachable(error);
  }
  const status = code?.status ?? "UNPAIRED";
  if (status === "PAIRED" && code?.deviceId) {
    if (code.deviceId !== current) {
      if (station) await setTerminal(env.db, restaurantId, station.posDeviceId, { squareDeviceId: code.deviceId, deviceCode: null });
      else await setPairing(env.db, restaurantId, { deviceId: code.deviceId, deviceCode: null });
      await withTenant(env.db, restaurantId, (tx) => appendEvent(tx, restaurantId, "square.paired", { deviceId: code!.deviceId! }));
    }
    return { status, deviceId: code.deviceId };
  }
  return { status, deviceId: current };
}

/** The Terminal a POS device charges on: its own, else the restaurant's. */
export async function terminalFor(env: SquareEnv, conn: Connection, posDeviceId: string | null): Promise<string | null> {
  const own = posDeviceId ? await terminalOf(env.db, conn.restaurantId, posDeviceId) : null;
  return own?.squareDeviceId ?? conn.deviceId;
}

// ---- charging

export type TerminalCharge = { payment: PaymentRow; reused: boolean };

/**
 * Charges a tender on the paired Terminal: our pending tender first (so nothing is lost if Square's
 * answer never arrives), then a Terminal checkout for that tender's server-computed amount, the
 * restaurant's tip percentages (at most 3, the Terminal asks the guest) and a 5-minute deadline.
 */
export async function chargeOnTerminal(env: SquareEnv, restaurantId: string, orderId: string, input: { checkId?: unknown; amountCents?: unknown }, who: OrderActor): Promise<TerminalCharge> {
  await requireOrder(env, restaurantId, orderId);
  const conn = await requireConnection(env, restaurantId);
  if (!(await terminalFor(env, conn, who.deviceId))) throw conflict("Pair a Square Terminal with this POS first (Pair this POS on the card screen)", "tender");
  const opened = await openCardTender(env.db, restaurantId, orderId, input, who);
  // A retried tap on a tender whose checkout Square already confirmed: nothing to send again.
  if (opened.payment.providerCheckoutId) return opened;
  await createCheckout(env, conn, restaurantId, opened.payment);
  return { payment: (await findCardPayment(env.db, restaurantId, { id: opened.payment.id }))!, reused: opened.reused };
}

async function createCheckout(env: SquareEnv, conn: Connection, restaurantId: string, payment: PaymentRow): Promise<Square.TerminalCheckout> {
  const { currency, tipPercentages } = await restaurantMoney(env.db, restaurantId);
  // The Terminal of the POS that opened the tender, so a retry reaches the same Terminal.
  const deviceId = await terminalFor(env, conn, payment.deviceId);
  if (!deviceId) throw conflict("No Square Terminal is paired with this POS", "tender");
  try {
    const res = await client(env, conn).terminal.checkouts.create({
      idempotencyKey: checkoutKey(payment),
      checkout: {
        amountMoney: toSquareMoney(payment.amountCents, currency),
        referenceId: payment.id,
        note: `Order ${payment.orderId.slice(0, 8)}`,
        deadlineDuration: "PT5M",
        deviceOptions: { deviceId, skipReceiptScreen: false, tipSettings: tipPercentages.length ? { allowTipping: true, separateTipScreen: true, customTipField: true, tipPercentages } : { allowTipping: false } },
        paymentOptions: { autocomplete: true },
      },
    });
    const checkout = res.checkout!;
    await noteCardProgress(env.db, restaurantId, payment.id, { checkoutId: checkout.id, providerStatus: checkout.status ?? "PENDING" });
    return checkout;
  } catch (error) {
    if (isSquareRefusal(error)) {
      // Square refused the checkout itself (bad device, amount): the tender fails and the POS says why.
      await settleCardTender(env.db, restaurantId, payment.id, { outcome: "failed", reason: squareMessage(error) });
      throw unprocessable(`Square refused the charge: ${squareMessage(error)}`, "tender");
    }
    // The SDK already retried 5xx/429/408; the checkout may exist. The tender stays pending and the next
    // tap (or a sync) sends the same idempotency key, which finds that same checkout.
    await noteCardProgress(env.db, restaurantId, payment.id, { providerStatus: "PENDING", failureReason: squareMessage(error) });
    throw unreachable(error);
  }
}

async function restaurantMoney(db: Db, restaurantId: string) {
  const r = await withTenant(db, restaurantId, (tx) => moneySettings(tx, restaurantId));
  if (!r) throw notFound("No such restaurant");
  const tipPercentages = [...new Set(r.tipPresetsBps.map((bps) => Math.round(bps / 100)).filter((p) => p > 0 && p <= 100))].slice(0, 3);
  return { currency: r.currency, tipPercentages };
}

/**
 * Reads the tender's checkout (and its payment) back from Square and moves the tender to match. Used by
 * the webhook, the POS's poll and the sync button; the state is never taken from a webhook body.
 */
export async function syncTender(env: SquareEnv, restaurantId: string, paymentId: string): Promise<PaymentRow> {
  const conn = await requireConnection(env, restaurantId);
  const payment = await findCardPayment(env.db, restaurantId, { id: paymentId });
  if (!payment) throw notFound("No such card payment");
  if (payment.status !== "pending") return payment;
  const sq = client(env, conn);
  let checkout: Square.TerminalCheckout | undefined;
  try {
    checkout = payment.providerCheckoutId
      ? (await sq.terminal.checkouts.get({ checkoutId: payment.providerCheckoutId })).checkout
      // Square never confirmed the create: repeating it with the same key finds the checkout if it exists.
      : await createCheckout(env, conn, restaurantId, payment);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw unreachable(error);
  }
  if (checkout) await applyCheckout(env, conn, restaurantId, payment, checkout);
  return (await findCardPayment(env.db, restaurantId, { id: paymentId }))!;
}

async function applyCheckout(env: SquareEnv, conn: Connection, restaurantId: string, payment: PaymentRow, checkout: Square.TerminalCheckout): Promise<void> {
  const status = checkout.status ?? "PENDING";
  if (status === "COMPLETED") {
    const squarePaymentId = checkout.paymentIds?.[0];
    if (!squarePaymentId) return;
    let paid: Square.Payment | undefined;
    try {
      paid = (await client(env, conn).payments.get({ paymentId: squarePaymentId })).payment;
    } catch (error) {
      throw unreachable(error);
    }
    if (!paid || paid.status !== "COMPLETED") return;
    await settleCardTender(env.db, restaurantId, payment.id, {
      outcome: "completed", providerRef: squarePaymentId, amountCents: fromSquareMoney(paid.amountMoney), tipCents: fromSquareMoney(paid.tipMoney),
      cardBrand: paid.cardDetails?.card?.cardBrand ?? null, cardLast4: paid.cardDetails?.card?.last4 ?? null,
    });
    return;
  }
  if (status === "CANCELED") {
    await settleCardTender(env.db, restaurantId, payment.id, { outcome: "voided", reason: `Terminal checkout canceled (${checkout.cancelReason ?? "no reason given"})` });
    return;
  }
  await noteCardProgress(env.db, restaurantId, payment.id, { checkoutId: checkout.id, providerStatus: status });
}

/**
 * Cancel is a request: Square may still complete the checkout if the guest already paid, so the tender
 * moves only once the final state is read back (here, straight after, and by webhook or poll later).
 */
export async function cancelTender(env: SquareEnv, restaurantId: string, paymentId: string): Promise<PaymentRow> {
  const conn = await requireConnection(env, restaurantId);
  const payment = await findCardPayment(env.db, restaurantId, { id: paymentId });
  if (!payment) throw notFound("No such card payment");
  if (payment.status !== "pending") throw conflict(`This card payment is already ${payment.status}`, "paymentId");
  const checkoutId = payment.providerCheckoutId ?? (await syncTender(env, restaurantId, paymentId)).providerCheckoutId;
  if (!checkoutId) throw new HttpError(502, "square_unreachable", "Square has not confirmed this checkout yet; try cancelling again in a moment");
  try {
    await client(env, conn).terminal.checkouts.cancel({ checkoutId });
  } catch (error) {
    // Already completed or canceled at Square: the read-back below settles it either way.
    if (!isSquareRefusal(error)) throw unreachable(error);
  }
  return syncTender(env, restaurantId, paymentId);
}

/**
 * A checkout named by Square (webhook): read it back, find our tender by the checkout id or, when the
 * webhook outran the create's answer, by the reference id we put on it (our payment id).
 */
export async function syncCheckoutById(env: SquareEnv, restaurantId: string, checkoutId: string): Promise<PaymentRow | null> {
  const conn = await requireConnection(env, restaurantId);
  let checkout: Square.TerminalCheckout | undefined;
  try {
    checkout = (await client(env, conn).terminal.checkouts.get({ checkoutId })).checkout;
  } catch (error) {
    if (isSquareRefusal(error)) return null;
    throw unreachable(error);
  }
  if (!checkout) return null;
  const payment = await findCardPayment(env.db, restaurantId, { checkoutId })
    ?? (checkout.referenceId && /^[0-9a-f-]{36}$/i.test(checkout.referenceId) ? await findCardPayment(env.db, restaurantId, { id: checkout.referenceId }) : null);
  if (!payment || payment.status !== "pending") return payment;
  await applyCheckout(env, conn, restaurantId, payment, checkout);
  return findCardPayment(env.db, restaurantId, { id: payment.id });
}
