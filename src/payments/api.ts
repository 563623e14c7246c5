import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { badRequest, forbidden, HttpError, notFound } from "../http/errors";
import { actorOf, whoOf } from "../http/actor";
import { requestHash } from "../orders/service";
import { closeDrawer, drawerMovement, drawerReport, listDrawers, openDrawer, currentDrawer } from "./drawers";
import { compLine, completeOrder, getPayableOrder, leaveUnpaid, orderOfPayment, refundPayment, reopenCheck, shareLine, splitOrder, takePayment, unsplitOrder, voidPayment } from "./service";
import type { SplitPlan } from "./checks";
import { drawerJson, payableOrderJson, paymentJson, refundJson, summaryJson } from "./json";

const IDEMPOTENCY_KEY = /^[\w.:-]{8,100}$/;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const idParams = t.Object({ id: t.String({ format: "uuid", error: "id must be an order id" }) });

/** Reads a split request: {kind: "even", guests} | {kind: "seat"} | {kind: "lines", checks: [[itemId...]...]}. */
function readSplit(body: unknown): SplitPlan {
  if (!isObject(body) || typeof body.kind !== "string") throw badRequest('Send {"kind": "even" | "seat" | "lines", ...}', "kind");
  if (body.kind === "even") return { kind: "even", guests: body.guests as number };
  if (body.kind === "seat") return { kind: "seat" };
  if (body.kind === "lines") {
    if (!Array.isArray(body.checks) || body.checks.some((c) => !Array.isArray(c) || c.some((id) => typeof id !== "string"))) throw badRequest("checks must be a list of lists of item ids", "checks");
    return { kind: "lines", checks: body.checks as string[][] };
  }
  throw badRequest(`Unknown kind of split "${body.kind}" (use even, seat or lines)`, "kind");
}

export function paymentApiRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  /**
   * Another restaurant's order, payment or drawer is a 404 whatever the body holds: a refusal of the
   * input is only reported once the named row is known to be this restaurant's.
   */
  const scoped = async <T>(rid: string, ref: { order?: string; payment?: string; drawer?: string }, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HttpError && error.status < 500 && error.status !== 404) {
        if (ref.order) await getPayableOrder(db, rid, ref.order);
        if (ref.payment && !(await orderOfPayment(db, rid, ref.payment))) throw notFound("No such payment");
        if (ref.drawer) await drawerReport(db, rid, ref.drawer);
      }
      throw error;
    }
  };
  const who = (principal: Parameters<typeof actorOf>[0], request: Request, server: { requestIP(r: Request): { address: string } | null } | null) => actorOf(principal, server?.requestIP(request)?.address);
  return new Elysia({ name: "payments-api" })
    .use(authPlugin(ctx))
    .post("/api/v1/orders/:id/payments", async ({ principal, params, body, request, set, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        const key = request.headers.get("idempotency-key");
        if (!key) throw badRequest("An Idempotency-Key header is required, so a retried payment is never taken twice", "Idempotency-Key");
        if (!IDEMPOTENCY_KEY.test(key)) throw badRequest("The Idempotency-Key must be 8-100 letters, digits, - _ . or :", "Idempotency-Key");
        if (!isObject(body)) throw badRequest('Send {"tender": "cash", "amountCents": ...}', "tender");
        const result = await takePayment(db, principal.restaurant.id, params.id, {
          tender: body.tender, amountCents: body.amountCents, tipCents: body.tipCents, tenderedCents: body.tenderedCents, checkId: body.checkId,
          // A person signed on at a POS puts cash in that till's drawer; an integration's cash is reported apart.
          idempotencyKey: `api:${key}`, requestHash: requestHash({ orderId: params.id, body }), channel: principal.device ? "pos" : "api",
        }, who(principal, request, server));
        set.status = 201;
        if (result.replayed) set.headers["idempotent-replayed"] = "true";
        set.headers.location = `/api/v1/payments/${result.payment.id}`;
        const p = paymentJson(result.payment);
        return { id: p.id, tender: p.tender, status: p.status, amountCents: p.amountCents, tipCents: p.tipCents, changeCents: p.changeCents, tenderedCents: p.tenderedCents, checkId: p.checkId };
      });
    }, { need: "payments.take", params: idParams, body: t.Unknown() })
    .get("/api/v1/orders/:id/payments", async ({ principal, params }) => summaryJson((await getPayableOrder(db, principal.restaurant.id, params.id)).pay),
      { need: "orders.view", params: idParams })
    .post("/api/v1/payments/:id/refunds", async ({ principal, params, body, request, set, server }) => {
      return scoped(principal.restaurant.id, { payment: params.id }, async () => {
        if (!isObject(body)) throw badRequest('Send {"amountCents": ..., "reason": "..."}', "amountCents");
        const result = await refundPayment(db, principal.restaurant.id, params.id, { amountCents: body.amountCents, reason: body.reason }, who(principal, request, server), { channel: principal.device ? "pos" : "api" });
        set.status = 201;
        return { ...refundJson(result.refund), payment: paymentJson(result.payment) };
      });
    }, { need: "payments.refund", params: t.Object({ id: t.String({ format: "uuid", error: "id must be a payment id" }) }), body: t.Unknown() })
    .post("/api/v1/payments/:id/void", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { payment: params.id }, async () => {
        if (principal.actor === "integration") throw forbidden("Voiding a payment needs a manager; an API key cannot");
        const order = await voidPayment(db, principal.restaurant.id, params.id, isObject(body) ? body.reason : null, who(principal, request, server));
        return paymentJson(order.pay.payments.find((p) => p.id === params.id)!);
      });
    }, { need: "payments.refund", params: t.Object({ id: t.String({ format: "uuid", error: "id must be a payment id" }) }), body: t.Unknown() })
    .post("/api/v1/orders/:id/split", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        await splitOrder(db, principal.restaurant.id, params.id, readSplit(body), who(principal, request, server));
        return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
      });
    }, { need: "payments.take", params: idParams, body: t.Unknown() })
    .post("/api/v1/orders/:id/split/share", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        if (!isObject(body) || typeof body.itemId !== "string" || !Array.isArray(body.weights)) throw badRequest('Send {"itemId": "...", "weights": [1, 2]}', "weights");
        await shareLine(db, principal.restaurant.id, params.id, body.itemId, body.weights as number[], who(principal, request, server));
        return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
      });
    }, { need: "payments.take", params: idParams, body: t.Unknown() })
    .post("/api/v1/orders/:id/unsplit", async ({ principal, params, request, server }) => {
      await unsplitOrder(db, principal.restaurant.id, params.id, who(principal, request, server));
      return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
    }, { need: "payments.take", params: idParams })
    .post("/api/v1/orders/:id/items/:itemId/comp", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        await compLine(db, principal.restaurant.id, params.id, params.itemId, isObject(body) ? body.reason : null, who(principal, request, server));
        return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
      });
    }, { need: "payments.comp", params: t.Object({ id: t.String({ format: "uuid", error: "id must be an order id" }), itemId: t.String({ format: "uuid", error: "itemId must be an item id" }) }), body: t.Unknown() })
    .post("/api/v1/orders/:id/unpaid", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        await leaveUnpaid(db, principal.restaurant.id, params.id, isObject(body) ? body.reason : null, who(principal, request, server));
        return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
      });
    }, { need: "payments.leave_unpaid", params: idParams, body: t.Unknown() })
    .post("/api/v1/orders/:id/reopen", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        await reopenCheck(db, principal.restaurant.id, params.id, isObject(body) ? body.reason : null, who(principal, request, server));
        return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
      });
    }, { need: "payments.reopen", params: idParams, body: t.Unknown() })
    .post("/api/v1/orders/:id/complete", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { order: params.id }, async () => {
        const version = isObject(body) && body.version != null ? Number(body.version) : null;
        if (version !== null && !Number.isInteger(version)) throw badRequest("version must be a whole number", "version");
        await completeOrder(db, principal.restaurant.id, params.id, version, who(principal, request, server));
        return payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id));
      });
    }, { need: "orders.transition", params: idParams, body: t.Unknown() })
    // Drawers belong to the POS device the caller is signed on at (PIN session + device cookie).
    .get("/api/v1/drawer", async ({ principal }) => {
      const current = await currentDrawer(db, principal.restaurant.id, principal.device?.id ?? null);
      return current ? drawerJson(current) : { status: "none" };
    }, { need: "drawers.operate" })
    .post("/api/v1/drawers", async ({ principal, body, request, set, server }) => {
      const drawer = await openDrawer(db, principal.restaurant.id, isObject(body) ? body.floatCents : undefined, who(principal, request, server));
      set.status = 201;
      return drawerJson(await drawerReport(db, principal.restaurant.id, drawer.id));
    }, { need: "drawers.operate", body: t.Unknown() })
    .post("/api/v1/drawer/movements", async ({ principal, body, request, set, server }) => {
      if (!isObject(body)) throw badRequest('Send {"kind": "pay_in" | "pay_out" | "no_sale", "amountCents", "reason"}', "kind");
      const m = await drawerMovement(db, principal.restaurant.id, body.kind as "pay_in", { amountCents: body.amountCents, reason: body.reason }, who(principal, request, server));
      set.status = 201;
      return { id: m.id, kind: m.kind, amountCents: m.amountCents, reason: m.reason };
    }, { need: "drawers.operate", body: t.Unknown() })
    .post("/api/v1/drawers/:id/close", async ({ principal, params, body, request, server }) => {
      return scoped(principal.restaurant.id, { drawer: params.id }, async () => {
        const count = isObject(body) ? { countedCents: body.countedCents, denominations: body.denominations, note: body.note } : {};
        return drawerJson(await closeDrawer(db, principal.restaurant.id, params.id, count, who(principal, request, server)));
      });
    }, { need: "drawers.operate", params: t.Object({ id: t.String({ format: "uuid", error: "id must be a drawer id" }) }), body: t.Unknown() })
    .get("/api/v1/drawers", async ({ principal }) => ({ drawers: (await listDrawers(db, principal.restaurant.id)).map(drawerJson) }), { need: "drawers.review" })
    .get("/api/v1/drawers/:id", async ({ principal, params }) => drawerJson(await drawerReport(db, principal.restaurant.id, params.id)),
      { need: "drawers.review", params: t.Object({ id: t.String({ format: "uuid", error: "id must be a drawer id" }) }) });
}
