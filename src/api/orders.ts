import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { getMeta } from "../http/request-context";
import { whoOf } from "../http/actor";
import type { Principal } from "../auth/service";
import { badRequest } from "../http/errors";
import { ORDER_STATUSES, type OrderStatus } from "../orders/states";
import { listOrders, placeOrder, requestHash, transitionOrder, type OrderActor, type OrderView } from "../orders/service";
import type { NewLine, OrderHeader } from "../orders/validation";
import { completeOrder, getPayableOrder } from "../payments/service";
import { payableOrderJson } from "../payments/json";
import { orderJson } from "./order-json";

export { orderJson };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const optString = (v: unknown, field: string) => {
  if (v == null) return null;
  if (typeof v !== "string") throw badRequest(`${field} must be text`, field);
  return v;
};

/** Reads the JSON body of POST /api/v1/orders into plain input; types only, the rules live in the service. */
export function parseOrderBody(body: unknown): OrderHeader & { items: NewLine[] } {
  if (!isObject(body)) throw badRequest("The body must be a JSON object with type and items");
  if (typeof body.type !== "string") throw badRequest("type is required: dine_in, takeout, delivery or kiosk", "type");
  if (!Array.isArray(body.items)) throw badRequest("items must be a list", "items");
  const items = body.items.map((raw, i): NewLine => {
    if (!isObject(raw)) throw badRequest("Each item must be an object", `items[${i}]`);
    return {
      menuItemId: raw.menuItemId as string, quantity: raw.quantity as number,
      modifierOptionIds: (raw.modifierOptionIds ?? []) as string[], note: optString(raw.note, `items[${i}].note`),
      seat: raw.seat as number | null, course: raw.course as number | null,
    };
  });
  return {
    type: body.type as OrderHeader["type"], table: body.table == null ? null : String(body.table), guests: (body.guests ?? null) as number | null,
    note: optString(body.note, "note"), items,
  };
}

const IDEMPOTENCY_KEY = /^[\w.:-]{8,100}$/;

/** Orders per page of GET /api/v1/orders: the default, and the most one page may ask for. */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;

const CURSOR = /^o1:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Opaque to clients: the last order of a page (the next page starts after it), versioned so its form
 * can change. It names a position, not a permission: the order must belong to the caller's restaurant.
 */
export function encodeCursor(orderId: string): string {
  return Buffer.from(`o1:${orderId}`).toString("base64url");
}

export function decodeCursor(cursor: string): string {
  const text = /^[\w-]{1,120}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("latin1") : "";
  const match = CURSOR.exec(text);
  if (!match) throw badRequest("cursor is not one this API gave out: pass nextCursor from the previous page unchanged", "cursor");
  return match[1]!;
}

export function orderApiRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "orders-api", prefix: "/api/v1/orders" })
    .use(authPlugin(ctx))
    .post("/", async ({ body, principal, request, set, server }) => {
      const key = request.headers.get("idempotency-key");
      if (!key) throw badRequest("An Idempotency-Key header is required (any unique string of 8-100 letters, digits, - _ . :)", "Idempotency-Key");
      if (!IDEMPOTENCY_KEY.test(key)) throw badRequest("The Idempotency-Key must be 8-100 letters, digits, - _ . or :", "Idempotency-Key");
      const input = parseOrderBody(body);
      const result = await placeOrder(db, principal.restaurant.id, { ...input, fire: true, idempotencyKey: key }, whoOf(principal, request), requestHash(body));
      set.status = 201;
      if (result.replayed) set.headers["idempotent-replayed"] = "true";
      set.headers.location = `/api/v1/orders/${result.order.id}`;
      return orderJson(result.order);
    }, { need: "orders.create", body: t.Unknown() })
    .get("/", async ({ principal, query }) => {
      const statuses = query.status ? query.status.split(",") : undefined;
      // An empty entry ("sent,,") is as wrong as an unknown one: it must never reach the enum cast.
      const bad = statuses?.find((s) => !ORDER_STATUSES.includes(s as OrderStatus));
      if (bad !== undefined) throw badRequest(`${bad ? `Unknown status "${bad}"` : "status has an empty entry"} (use a comma-separated list of ${ORDER_STATUSES.join(", ")})`, "status");
      const limit = query.limit ? Number(query.limit) : PAGE_DEFAULT;
      if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) throw badRequest(`limit must be 1 to ${PAGE_MAX}`, "limit");
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      // One more than asked tells whether another page follows, without a count over the whole table.
      const rows = await listOrders(db, principal.restaurant.id, { statuses: statuses as OrderStatus[] | undefined, limit: limit + 1, after });
      const page = rows.slice(0, limit);
      return { orders: page.map(orderJson), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
    }, { need: "orders.view", query: t.Object({ status: t.Optional(t.String()), limit: t.Optional(t.String()), cursor: t.Optional(t.String()) }) })
    // With its payment state (paidCents, balanceDueCents, paymentStatus, payments, checks): src/payments/.
    .get("/:id", async ({ principal, params }) => payableOrderJson(await getPayableOrder(db, principal.restaurant.id, params.id)),
      { need: "orders.view", params: t.Object({ id: t.String({ format: "uuid", error: "id must be an order id" }) }) })
    .post("/:id/transitions", async ({ principal, params, body, request, server }) => {
      if (!isObject(body) || typeof body.to !== "string") throw badRequest(`Send {"to": "<status>"} with one of ${ORDER_STATUSES.join(", ")}`, "to");
      if (!ORDER_STATUSES.includes(body.to as OrderStatus)) throw badRequest(`Unknown status "${body.to}" (use ${ORDER_STATUSES.join(", ")})`, "to");
      const version = body.version == null ? null : Number(body.version);
      if (version !== null && !Number.isInteger(version)) throw badRequest("version must be a whole number", "version");
      if (body.reason != null && typeof body.reason !== "string") throw badRequest("reason must be text", "reason");
      const who = whoOf(principal, request);
      // Completing is settling: the payments module refuses it while the check still owes money.
      // Cancelling an order the kitchen has seen needs a manager and a reason (the service decides);
      // an API key is nobody's PIN, so for such an order it is refused with 403 manager_required.
      const order = body.to === "completed" && body.recall !== true
        ? await completeOrder(db, principal.restaurant.id, params.id, version, who)
        : await transitionOrder(db, principal.restaurant.id, params.id, body.to as OrderStatus, version, who,
          { recall: body.recall === true, reason: (body.reason as string | undefined) ?? null });
      return orderJson(order);
    }, { need: "orders.transition", params: t.Object({ id: t.String({ format: "uuid", error: "id must be an order id" }) }), body: t.Unknown() });
}
