import { Elysia, t, type Context } from "elysia";
import { seeOther } from "../http/answer";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import type { Principal } from "../auth/service";
import { allows } from "../auth/permissions";
import { checkManagerPin } from "../auth/override";
import { badRequest, HttpError, notFound } from "../http/errors";
import { wantsJson } from "../http/request-context";
import { parseMoney } from "../money";
import { actorOf } from "../http/actor";
import { getPayableOrder, orderOfPayment, type Approver } from "../payments/service";
import { findCardPayment, findSquareRefund, refundsOfPayment } from "../payments/card";
import { paymentJson } from "../payments/json";
import { chosenCheck } from "../../views/payments/pay-page";
import { CardPage, CardStatus, type CardPageProps } from "../../views/square/card-page";
import { SquareSettingsPage } from "../../views/square/settings";
import { ReconcilePage } from "../../views/square/reconcile";
import { connectionRow, disconnect, loadConnection, saveConnection, summarizeConnection, terminalOf } from "./connection";
import { cancelTender, chargeOnTerminal, refreshPairing, startPairing, syncTender, type SquareEnv } from "./terminal";
import { refundCardTender, syncRefund } from "./refunds";
import { receiveWebhook } from "./webhooks";
import { chargeCardToken } from "./web-payments";
import { reconcileDay } from "./reconcile";
import { businessDate } from "../orders/service";

type Set = Context["set"];
const form = t.Record(t.String(), t.Any());
const uuid = (error: string) => t.String({ format: "uuid", error });
const str = (v: unknown) => (v == null ? "" : String(v).trim());

const redirect = seeOther;

/**
 * Square: the owner's connection page, Terminal pairing, the POS card screen (charge, cancel, check,
 * refund), the card API, reconciliation and the per-restaurant webhook.
 */
export function squareRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const env: SquareEnv = { db, pepper: ctx.config.pinPepper, baseUrl: ctx.config.squareBaseUrl };
  const who = (p: Principal, request: Request, server: { requestIP(r: Request): { address: string } | null } | null) => actorOf(p, server?.requestIP(request)?.address);

  async function cardProps(p: Principal, nonce: string, orderId: string, checkId: string | null, extra: { error?: string; notice?: string } = {}): Promise<CardPageProps> {
    const [order, conn, own] = await Promise.all([
      getPayableOrder(db, p.restaurant.id, orderId), loadConnection(db, ctx.config.pinPepper, p.restaurant.id), p.device ? terminalOf(db, p.restaurant.id, p.device.id) : null,
    ]);
    const cards = order.pay.payments.filter((x) => x.tender === "card");
    const refunds = (await Promise.all(cards.map((c) => refundsOfPayment(db, p.restaurant.id, c.id)))).flat();
    return {
      nonce, restaurantName: p.restaurant.name, staffName: p.user?.name ?? p.device?.name ?? "", currency: p.restaurant.currency,
      order, check: chosenCheck(order, checkId), connected: !!conn, paired: !!(own?.squareDeviceId ?? conn?.deviceId), refunds,
      pos: p.device ? { terminal: own?.squareDeviceId ?? null, code: own?.deviceCode ?? null, fallback: conn?.deviceId ?? null } : null, canRefund: allows(p.actor, "payments.refund"), ...extra,
    };
  }

  /** A POS card action: JSON callers get the problem; the screen shows it (502: Square did not confirm) and nothing changed. */
  async function onCardPage(p: Principal, nonce: string, set: Set, request: Request, orderId: () => Promise<string | null>, checkId: string | null, work: () => Promise<string>) {
    try {
      return redirect(set, await work());
    } catch (error) {
      if (!(error instanceof HttpError) || wantsJson(request) || error.status === 404 || (error.status >= 500 && error.status !== 502)) throw error;
      const of = await orderId();
      if (!of) throw notFound("No such order");
      set.status = error.status;
      return CardPage(await cardProps(p, nonce, of, checkId, { error: error.message }));
    }
  }

  async function approverFrom(p: Principal, body: Record<string, unknown>, ip: string | null): Promise<Approver> {
    if (allows(p.actor, "payments.refund")) return null;
    const pin = str(body.managerPin);
    if (!pin) return null;
    const approver = await checkManagerPin(db, ctx.config.pinPepper, p.restaurant.id, pin, { ctx, deviceId: p.device?.id ?? null, ip, requestedBy: p.user?.id ?? null, action: "payments.refund" });
    if (!approver) throw new HttpError(403, "manager_required", "That is not a manager's PIN", "managerPin");
    return approver;
  }

  const cardBack = (orderId: string, checkId: string | null) => `/pos/orders/${orderId}/card${checkId ? `?check=${checkId}` : ""}`;

  async function settingsPage(p: Principal, nonce: string, request: Request, extra: { flash?: string; error?: HttpError } = {}) {
    const origin = new URL(request.url).origin;
    return SquareSettingsPage({
      nonce, restaurantName: p.restaurant.name, userName: p.user?.name ?? "", connection: summarizeConnection(await connectionRow(db, p.restaurant.id)),
      suggestedUrl: `${origin}/square/webhooks/${p.restaurant.id}`, flash: extra.flash, error: extra.error?.message, errorField: extra.error?.field,
    });
  }

  async function onSettings(p: Principal, nonce: string, set: Set, request: Request, work: () => Promise<string>) {
    try {
      return redirect(set, await work());
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === 404 || (error.status >= 500 && error.status !== 502)) throw error;
      set.status = error.status;
      return settingsPage(p, nonce, request, { error });
    }
  }

  const FLASH: Record<string, string> = { saved: "Square connection saved.", pairing: "Type the code on the Terminal, then check pairing.", paired: "Terminal paired.", unpaired: "Not paired yet: type the code on the Terminal, then check again.", disconnected: "Square disconnected: card is no longer offered." };
  const payIdParams = t.Object({ id: uuid("No such payment") });
  const orderParams = t.Object({ id: uuid("No such order") });

  return new Elysia({ name: "square" })
    .use(authPlugin(ctx))
    // ---- the owner's connection
    .get("/admin/square", ({ principal, nonce, request, query }) => settingsPage(principal, nonce, request, { flash: FLASH[query.done ?? ""] }),
      { need: "square.connect", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/admin/square", ({ principal, nonce, body, set, request, clientIp }) => onSettings(principal, nonce, set, request, async () => {
      await saveConnection(db, ctx.config.pinPepper, principal.restaurant.id, body, { userId: principal.user?.id ?? null, deviceId: principal.device?.id ?? null, ip: clientIp });
      return "/admin/square?done=saved";
    }), { need: "square.connect", body: form })
    .post("/admin/square/disconnect", async ({ principal, set, clientIp }) => {
      await disconnect(db, principal.restaurant.id, { userId: principal.user?.id ?? null, deviceId: principal.device?.id ?? null, ip: clientIp });
      return redirect(set, "/admin/square?done=disconnected");
    }, { need: "square.connect" })
    .post("/admin/square/pair", ({ principal, nonce, set, request }) => onSettings(principal, nonce, set, request, async () => {
      await startPairing(env, principal.restaurant.id);
      return "/admin/square?done=pairing";
    }), { need: "devices.manage" })
    .post("/admin/square/pair/check", ({ principal, nonce, set, request }) => onSettings(principal, nonce, set, request, async () => {
      const r = await refreshPairing(env, principal.restaurant.id);
      return `/admin/square?done=${r.status === "PAIRED" ? "paired" : "unpaired"}`;
    }), { need: "devices.manage" })
    .get("/admin/square/reconcile", async ({ principal, nonce, query, request }) => {
      const date = query.date || businessDate(new Date(), principal.restaurant.timeZone, principal.restaurant.dayStartsAtHour);
      const result = await reconcileDay(env, principal.restaurant.id, date);
      if (wantsJson(request)) return result;
      return ReconcilePage({ nonce, restaurantName: principal.restaurant.name, userName: principal.user?.name ?? "", currency: principal.restaurant.currency, result });
    }, { need: "reports.view", query: t.Object({ date: t.Optional(t.String()) }) })
    // ---- the POS card screen
    .get("/pos/orders/:id/card", async ({ principal, nonce, params, query }) => CardPage(await cardProps(principal, nonce, params.id, query.check ?? null)),
      { need: "payments.take", params: orderParams, query: t.Object({ check: t.Optional(uuid("No such check")) }) })
    // Polled by the screen: pending tenders are read back from Square here too, for when webhooks do not reach us.
    .get("/pos/orders/:id/card/status", async ({ principal, nonce, params, query }) => {
      const order = await getPayableOrder(db, principal.restaurant.id, params.id);
      for (const p of order.pay.payments.filter((x) => x.tender === "card" && x.status === "pending")) {
        await syncTender(env, principal.restaurant.id, p.id).catch(() => undefined);
      }
      return CardStatus(await cardProps(principal, nonce, params.id, query.check ?? null));
    }, { need: "payments.take", params: orderParams, query: t.Object({ check: t.Optional(uuid("No such check")) }) })
    .post("/pos/orders/:id/card", async ({ principal, nonce, params, body, set, request, server }) => {
      const checkId = str(body.checkId) || null;
      const charge = async () => {
        const amount = str(body.amount);
        const amountCents = amount ? parseMoney(amount, principal.restaurant.currency) : null;
        if (amount && amountCents === null) throw badRequest("Enter an amount like 12.95", "amount");
        return chargeOnTerminal(env, principal.restaurant.id, params.id, { checkId, amountCents: body.amountCents ?? amountCents }, who(principal, request, server));
      };
      if (wantsJson(request)) {
        const r = await charge();
        set.status = r.reused ? 200 : 201;
        return { payment: paymentJson(r.payment), reused: r.reused, squareCheckoutId: r.payment.providerCheckoutId };
      }
      return onCardPage(principal, nonce, set, request, async () => params.id, checkId, async () => {
        await charge();
        return cardBack(params.id, checkId);
      });
    }, { need: "payments.take", params: orderParams, body: form })
    .post("/pos/card-payments/:id/sync", ({ principal, nonce, params, set, request }) =>
      onCardPage(principal, nonce, set, request, () => orderOfPayment(db, principal.restaurant.id, params.id), null, async () => {
        const p = await syncTender(env, principal.restaurant.id, params.id);
        return cardBack(p.orderId, p.checkId);
      }), { need: "payments.take", params: payIdParams })
    .post("/pos/card-payments/:id/cancel", ({ principal, nonce, params, set, request }) =>
      onCardPage(principal, nonce, set, request, () => orderOfPayment(db, principal.restaurant.id, params.id), null, async () => {
        const p = await cancelTender(env, principal.restaurant.id, params.id);
        return cardBack(p.orderId, p.checkId);
      }), { need: "payments.take", params: payIdParams })
    .post("/pos/card-payments/:id/refund", ({ principal, nonce, params, body, set, request, server }) =>
      onCardPage(principal, nonce, set, request, () => orderOfPayment(db, principal.restaurant.id, params.id), null, async () => {
        const actor = who(principal, request, server);
        const approver = await approverFrom(principal, body, actor.ip ?? null);
        const amountCents = body.amountCents ?? (parseMoney(str(body.amount), principal.restaurant.currency) ?? (() => { throw badRequest("Enter an amount like 12.95", "amount"); })());
        const r = await refundCardTender(env, principal.restaurant.id, params.id, { amountCents, reason: body.reason }, actor, approver);
        return cardBack(r.orderId, null);
      }), { need: "payments.take", params: payIdParams, body: form })
    .post("/pos/card-refunds/:id/sync", ({ principal, nonce, params, set, request }) =>
      onCardPage(principal, nonce, set, request, async () => (await findSquareRefund(db, principal.restaurant.id, { id: params.id }))?.orderId ?? null, null, async () => {
        const r = await syncRefund(env, principal.restaurant.id, params.id);
        return cardBack(r.orderId, null);
      }), { need: "payments.take", params: t.Object({ id: uuid("No such refund") }) })
    // A POS pairs its own Terminal from the card screen: the code shows there, to type on the Terminal.
    .post("/pos/terminal/pair", ({ principal, nonce, body, set, request }) => {
      const orderId = str(body.orderId);
      return onCardPage(principal, nonce, set, request, async () => (/^[0-9a-f-]{36}$/i.test(orderId) ? orderId : null), null, async () => {
        if (!principal.device) throw badRequest("Pair a Terminal from a POS device", "device");
        await startPairing(env, principal.restaurant.id, principal.device.id);
        return `/pos/orders/${orderId}/card`;
      });
    }, { need: "payments.take", body: form })
    .post("/pos/terminal/pair/check", ({ principal, nonce, body, set, request }) => {
      const orderId = str(body.orderId);
      return onCardPage(principal, nonce, set, request, async () => (/^[0-9a-f-]{36}$/i.test(orderId) ? orderId : null), null, async () => {
        if (!principal.device) throw badRequest("Pair a Terminal from a POS device", "device");
        const r = await refreshPairing(env, principal.restaurant.id, { posDeviceId: principal.device.id });
        if (r.status !== "PAIRED") throw new HttpError(409, "conflict", "Not paired yet: type the code on the Terminal, then check again", "device");
        return `/pos/orders/${orderId}/card`;
      });
    }, { need: "payments.take", body: form })
    // ---- the card API (JSON)
    .get("/api/v1/card-payments/:id", async ({ principal, params }) => {
      const p = await findCardPayment(db, principal.restaurant.id, { id: params.id });
      if (!p) throw notFound("No such card payment");
      return { payment: paymentJson(p), card: { brand: p.cardBrand, last4: p.cardLast4, squareStatus: p.providerStatus, squarePaymentId: p.providerRef, squareCheckoutId: p.providerCheckoutId, failureReason: p.failureReason }, refunds: await refundsOfPayment(db, principal.restaurant.id, p.id) };
    }, { need: "orders.view", params: payIdParams })
    .post("/api/v1/orders/:id/card-payments", async ({ principal, params, body, request, server, set }) => {
      const b = (body ?? {}) as Record<string, unknown>;
      const p = await chargeCardToken(env, principal.restaurant.id, params.id, { sourceId: b.sourceId, verificationToken: b.verificationToken, checkId: b.checkId }, who(principal, request, server));
      set.status = 201;
      return { payment: paymentJson(p), card: { brand: p.cardBrand, last4: p.cardLast4 } };
    }, { need: "payments.take", params: orderParams, body: t.Unknown() })
    // ---- Square's webhook: signed with the restaurant's key, nothing else identifies the caller
    .post("/square/webhooks/:restaurantId", async ({ params, request, body }) => {
      // Read as text, never parsed and re-serialised: the signature covers these exact characters.
      const raw = typeof body === "string" ? body : "";
      const out = await receiveWebhook(env, ctx.log, params.restaurantId, request.url, raw, request.headers.get("x-square-hmacsha256-signature"));
      return { ok: true, result: out.result };
    }, { need: "public", parse: "text", params: t.Object({ restaurantId: t.String({ maxLength: 64 }) }) });
}
