import { createHmac } from "node:crypto";

/**
 * A local Square that speaks the wire format the real `square` SDK sends and reads: snake_case JSON
 * under /v2/, money as { amount, currency } in minor units, errors as {errors:[{category, code, detail}]}.
 * Tests drive the REAL SDK against it (SQUARE_BASE_URL); the SDK module itself is never mocked.
 *
 * It models what the failure tests need: slow answers, 5xx and 429 (the SDK retries those),
 * a connection dropped after the charge succeeded, declines, and webhooks sent twice or out of order.
 */
type Money = { amount: number; currency: string };
type Json = Record<string, any>;
export type FakeCheckout = Json & { id: string; status: string; amount_money: Money; reference_id?: string; payment_ids: string[]; device_options: Json; cancel_reason?: string };
export type FakePayment = Json & { id: string; status: string; amount_money: Money; tip_money?: Money; total_money: Money; location_id: string; created_at: string; card_details: Json; refunded_money?: Money };
export type FakeRefund = Json & { id: string; status: string; amount_money: Money; payment_id: string };

export type FakeSquare = ReturnType<typeof startFakeSquare>;

let seq = 0;
const id = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36).padStart(4, "0")}`.toUpperCase();
const err = (status: number, category: string, code: string, detail: string, field?: string) =>
  new Response(JSON.stringify({ errors: [{ category, code, detail, ...(field ? { field } : {}) }] }), { status, headers: { "content-type": "application/json" } });
const ok = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

/**
 * A stand-in for Square's Web Payments SDK (SQUARE_WEB_SDK_URL points here in browser tests): the same
 * calls (Square.payments(appId, locationId).card(), attach, tokenize) and a fixed card nonce, which the
 * fake's /v2/payments accepts. window.fakeSquareToken overrides the token a test wants.
 */
const FAKE_WEB_SDK = `window.Square = { payments: function (appId, locationId) {
  if (!appId || !locationId) throw new Error("applicationId and locationId are required");
  return { card: function () { return Promise.resolve({
    attach: function (sel) { var el = document.querySelector(sel); var f = document.createElement("p"); f.className = "fake-square-card"; f.textContent = "Card number 4111 1111 1111 1111 (test card)"; el.appendChild(f); return Promise.resolve(); },
    tokenize: function () { return Promise.resolve({ status: "OK", token: window.fakeSquareToken || "cnon:browser-card-ok" }); }
  }); } };
} };`;

export function startFakeSquare(opts: { locationId?: string } = {}) {
  const locationId = opts.locationId ?? "LOC_FAKE_1";
  const codes = new Map<string, Json>();
  const checkouts = new Map<string, FakeCheckout>();
  const payments = new Map<string, FakePayment>();
  const refunds = new Map<string, FakeRefund>();
  /** Idempotency: the same key answers the same object, as Square does. */
  const byKey = new Map<string, { kind: string; id: string }>();
  const requests: { method: string; path: string; body: Json | null; auth: string | null; squareVersion: string | null }[] = [];
  const knobs = {
    /** Milliseconds to wait before answering every request. */
    delayMs: 0,
    /** Answer the next N requests (matching `failPath`, or any) with this status. */
    fail: { status: 503, count: 0, path: "" as string, retryAfter: null as string | null },
    /** Do the next matching write, then drop the connection instead of answering. */
    dropAfter: { count: 0, path: "" },
    /** The status a new refund gets: COMPLETED at once, or PENDING until settleRefund. */
    refundStatus: "COMPLETED" as "COMPLETED" | "PENDING",
    /** The next web payment is declined with this code (e.g. CARD_DECLINED). */
    declineNext: null as string | null,
    /** 3-D Secure: card-not-present payments need a verification_token. */
    requireVerification: false,
  };

  const money = (m: Json | undefined): Money => ({ amount: Number(m?.amount ?? 0), currency: String(m?.currency ?? "USD") });

  function makePayment(amount: Money, tip: Money | undefined, card: { brand: string; last4: string }, extra: Json = {}): FakePayment {
    const p: FakePayment = {
      id: id("PAY"), status: "COMPLETED", amount_money: amount, ...(tip && tip.amount ? { tip_money: tip } : {}),
      total_money: { amount: amount.amount + (tip?.amount ?? 0), currency: amount.currency }, location_id: locationId, created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
      source_type: "CARD", card_details: { status: "CAPTURED", card: { card_brand: card.brand, last_4: card.last4 }, entry_method: extra.entry ?? "EMV" }, refund_ids: [], ...extra.fields,
    };
    payments.set(p.id, p);
    return p;
  }

  function addRefunded(pay: FakePayment, cents: number) {
    pay.refunded_money = { amount: (pay.refunded_money?.amount ?? 0) + cents, currency: pay.amount_money.currency };
  }

  async function route(req: Request, url: URL, body: Json | null): Promise<Response> {
    const p = url.pathname;
    const m = req.method;
    let match: RegExpMatchArray | null;
    if (m === "POST" && p === "/v2/devices/codes") {
      const key = String(body?.idempotency_key ?? "");
      if (byKey.has(key)) return ok({ device_code: codes.get(byKey.get(key)!.id) });
      if (body?.device_code?.product_type !== "TERMINAL_API") return err(400, "INVALID_REQUEST_ERROR", "INVALID_VALUE", "product_type must be TERMINAL_API", "device_code.product_type");
      const code = { id: id("DC"), code: Math.random().toString(36).slice(2, 8).toUpperCase(), product_type: "TERMINAL_API", location_id: body.device_code.location_id ?? locationId, name: body.device_code.name, status: "UNPAIRED", created_at: new Date().toISOString() };
      codes.set(code.id, code);
      byKey.set(key, { kind: "code", id: code.id });
      return ok({ device_code: code });
    }
    if (m === "GET" && (match = p.match(/^\/v2\/devices\/codes\/([\w-]+)$/))) {
      const code = codes.get(match[1]!);
      return code ? ok({ device_code: code }) : err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "Device code not found");
    }
    if (m === "POST" && p === "/v2/terminals/checkouts") {
      const key = String(body?.idempotency_key ?? "");
      if (!key) return err(400, "INVALID_REQUEST_ERROR", "MISSING_REQUIRED_PARAMETER", "idempotency_key is required", "idempotency_key");
      if (byKey.has(key)) return ok({ checkout: checkouts.get(byKey.get(key)!.id) });
      const c = body?.checkout ?? {};
      const deviceId = c.device_options?.device_id;
      if (![...codes.values()].some((d) => d.device_id === deviceId)) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `Device ${deviceId} is not paired`, "checkout.device_options.device_id");
      const tips = c.device_options?.tip_settings?.tip_percentages;
      if (Array.isArray(tips) && tips.length > 3) return err(400, "INVALID_REQUEST_ERROR", "INVALID_ARRAY_LENGTH", "tip_percentages has at most 3 values", "checkout.device_options.tip_settings.tip_percentages");
      const checkout: FakeCheckout = {
        id: id("CO"), status: "PENDING", amount_money: money(c.amount_money), reference_id: c.reference_id, note: c.note, device_options: c.device_options, deadline_duration: c.deadline_duration ?? "PT5M",
        payment_ids: [], location_id: locationId, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), payment_type: "CARD_PRESENT",
      };
      checkouts.set(checkout.id, checkout);
      byKey.set(key, { kind: "checkout", id: checkout.id });
      return ok({ checkout });
    }
    if (m === "GET" && (match = p.match(/^\/v2\/terminals\/checkouts\/([\w-]+)$/))) {
      const c = checkouts.get(match[1]!);
      return c ? ok({ checkout: c }) : err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "Checkout not found");
    }
    if (m === "POST" && (match = p.match(/^\/v2\/terminals\/checkouts\/([\w-]+)\/cancel$/))) {
      const c = checkouts.get(match[1]!);
      if (!c) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "Checkout not found");
      if (c.status === "COMPLETED" || c.status === "CANCELED") return err(400, "INVALID_REQUEST_ERROR", "BAD_REQUEST", `Checkout is ${c.status}`);
      // Cancel is a request: a guest mid-payment may still complete it (payOnCancel models that).
      if (c.pay_on_cancel) { complete(c.id, c.pay_on_cancel); return ok({ checkout: checkouts.get(c.id) }); }
      Object.assign(c, { status: "CANCELED", cancel_reason: "SELLER_CANCELED", updated_at: new Date().toISOString() });
      return ok({ checkout: c });
    }
    if (m === "POST" && p === "/v2/payments") {
      const key = String(body?.idempotency_key ?? "");
      if (byKey.has(key)) return ok({ payment: payments.get(byKey.get(key)!.id) });
      if (knobs.declineNext) {
        const code = knobs.declineNext;
        knobs.declineNext = null;
        return err(402, "PAYMENT_METHOD_ERROR", code, "Authorization error: 'CARD_DECLINED'");
      }
      if (knobs.requireVerification && !body?.verification_token) return err(400, "INVALID_REQUEST_ERROR", "CARD_DECLINED_VERIFICATION_REQUIRED", "This card needs buyer verification", "verification_token");
      if (!String(body?.source_id ?? "").startsWith("cnon:")) return err(400, "INVALID_REQUEST_ERROR", "INVALID_CARD_DATA", "source_id is not a card nonce", "source_id");
      const pay = makePayment(money(body!.amount_money), body!.tip_money ? money(body!.tip_money) : undefined, { brand: "VISA", last4: "1111" }, { entry: "KEYED", fields: { reference_id: body!.reference_id, verification_token: body!.verification_token ?? null } });
      byKey.set(key, { kind: "payment", id: pay.id });
      return ok({ payment: pay });
    }
    if (m === "GET" && p === "/v2/payments") {
      const begin = url.searchParams.get("begin_time");
      const end = url.searchParams.get("end_time");
      const list = [...payments.values()].filter((x) => (!begin || x.created_at >= begin) && (!end || x.created_at < end));
      return ok({ payments: list });
    }
    if (m === "GET" && (match = p.match(/^\/v2\/payments\/([\w-]+)$/))) {
      const pay = payments.get(match[1]!);
      return pay ? ok({ payment: pay }) : err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "Payment not found");
    }
    if (m === "POST" && p === "/v2/refunds") {
      const key = String(body?.idempotency_key ?? "");
      if (byKey.has(key)) return ok({ refund: refunds.get(byKey.get(key)!.id) });
      const pay = payments.get(String(body?.payment_id));
      if (!pay) return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "Payment not found", "payment_id");
      const amount = money(body!.amount_money);
      const already = [...refunds.values()].filter((r) => r.payment_id === pay.id && r.status !== "FAILED" && r.status !== "REJECTED").reduce((s, r) => s + r.amount_money.amount, 0);
      if (amount.amount + already > pay.total_money.amount) return err(400, "INVALID_REQUEST_ERROR", "REFUND_AMOUNT_INVALID", "The refund is more than the payment", "amount_money");
      const refund: FakeRefund = { id: id("RF"), status: knobs.refundStatus, amount_money: amount, payment_id: pay.id, reason: body!.reason, location_id: locationId, created_at: new Date().toISOString() };
      refunds.set(refund.id, refund);
      pay.refund_ids = [...(pay.refund_ids ?? []), refund.id];
      if (refund.status === "COMPLETED") addRefunded(pay, amount.amount);
      byKey.set(key, { kind: "refund", id: refund.id });
      return ok({ refund });
    }
    if (m === "GET" && (match = p.match(/^\/v2\/refunds\/([\w-]+)$/))) {
      const r = refunds.get(match[1]!);
      return r ? ok({ refund: r }) : err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", "Refund not found");
    }
    return err(404, "INVALID_REQUEST_ERROR", "NOT_FOUND", `No route ${m} ${p}`);
  }

  /** The guest pays at the Terminal: the checkout completes with a payment carrying the tip and the card. */
  function complete(checkoutId: string, how: { tipCents?: number; brand?: string; last4?: string } = {}) {
    const c = checkouts.get(checkoutId)!;
    const pay = makePayment(c.amount_money, how.tipCents ? { amount: how.tipCents, currency: c.amount_money.currency } : undefined, { brand: how.brand ?? "VISA", last4: how.last4 ?? "4242" }, { fields: { reference_id: c.reference_id } });
    Object.assign(c, { status: "COMPLETED", payment_ids: [pay.id], tip_money: pay.tip_money, updated_at: new Date().toISOString() });
    return pay;
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method === "GET" && url.pathname === "/v1/square.js") return new Response(FAKE_WEB_SDK, { headers: { "content-type": "text/javascript" } });
      const text = req.method === "GET" ? "" : await req.text();
      const body = text ? (JSON.parse(text) as Json) : null;
      requests.push({ method: req.method, path: url.pathname, body, auth: req.headers.get("authorization"), squareVersion: req.headers.get("square-version") });
      if (knobs.delayMs) await Bun.sleep(knobs.delayMs);
      if (knobs.fail.count > 0 && (!knobs.fail.path || url.pathname.startsWith(knobs.fail.path))) {
        knobs.fail.count--;
        const res = err(knobs.fail.status, knobs.fail.status === 429 ? "RATE_LIMIT_ERROR" : "API_ERROR", knobs.fail.status === 429 ? "RATE_LIMITED" : "SERVICE_UNAVAILABLE", "Try again later");
        if (knobs.fail.retryAfter) res.headers.set("retry-after", knobs.fail.retryAfter);
        return res;
      }
      const res = await route(req, url, body);
      if (knobs.dropAfter.count > 0 && req.method !== "GET" && (!knobs.dropAfter.path || url.pathname.startsWith(knobs.dropAfter.path))) {
        knobs.dropAfter.count--;
        // The write happened; the answer never arrives: a body that errors makes the connection drop.
        return new Response(new ReadableStream({ start(c) { c.error(new Error("dropped")); } }), { headers: { "content-type": "application/json" } });
      }
      return res;
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    locationId,
    codes, checkouts, payments, refunds, requests, knobs,
    stop: () => server.stop(true),
    /** Someone types the code on a Terminal: the code becomes PAIRED with a device id. */
    pair(codeId: string, deviceId = id("DEV")) {
      const code = codes.get(codeId)!;
      Object.assign(code, { status: "PAIRED", device_id: deviceId, paired_at: new Date().toISOString() });
      return deviceId;
    },
    /** The guest picked up the Terminal (IN_PROGRESS); a declined card also leaves it here. */
    progress(checkoutId: string, status = "IN_PROGRESS") {
      Object.assign(checkouts.get(checkoutId)!, { status, updated_at: new Date().toISOString() });
    },
    complete,
    /** The guest walks away / the deadline passes. */
    cancel(checkoutId: string, reason = "BUYER_CANCELED") {
      Object.assign(checkouts.get(checkoutId)!, { status: "CANCELED", cancel_reason: reason, updated_at: new Date().toISOString() });
    },
    settleRefund(refundId: string, status: "COMPLETED" | "FAILED" = "COMPLETED") {
      const r = refunds.get(refundId)!;
      r.status = status;
      if (status === "COMPLETED") addRefunded(payments.get(r.payment_id)!, r.amount_money.amount);
    },
    /** Checkouts created per idempotency key: more than one create per key would be a double charge. */
    checkoutCreates: () => requests.filter((r) => r.method === "POST" && r.path === "/v2/terminals/checkouts"),
  };
}

/** A Square webhook body and its signature, as Square signs it: base64 HMAC-SHA256 of URL + raw body. */
export function squareEvent(type: string, object: { id: string; kind: string; value: unknown }, eventId: string = crypto.randomUUID()) {
  return JSON.stringify({ merchant_id: "MERCHANT_FAKE", type, event_id: eventId, created_at: new Date().toISOString(), data: { type: object.kind, id: object.id, object: { [object.kind]: object.value } } });
}

export function signSquare(notificationUrl: string, body: string, key: string): string {
  return createHmac("sha256", key).update(notificationUrl + body).digest("base64");
}
