import { Elysia, t, type Context } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { isHtmx, seeOther } from "../http/answer";
import { getMeta } from "../http/request-context";
import type { Principal } from "../auth/service";
import { allows } from "../auth/permissions";
import { checkManagerPin } from "../auth/override";
import { badRequest, HttpError, notFound } from "../http/errors";
import { parseMoney } from "../money";
import { actorOf, whoOf } from "../http/actor";
import {
  addItems, applyDiscount, cancelOrder, fireOrder, holdCourse, placeOrder, removeLine, requestHash, getOrder, type OrderView, type Override,
} from "../orders/service";
import { loadPickerItem, loadPosScreen, unsentNotOnSale } from "./service";
import type { NewLine, OrderHeader } from "../orders/validation";
import { OpenOrdersPage, PosPage } from "../../views/pos/page";
import { Ticket } from "../../views/pos/ticket";
import { posLiveRender } from "../../views/pos/live";
import { Picker } from "../../views/pos/picker";
import { MenuGrid } from "../../views/pos/menu-grid";
import { openScreenStream } from "../realtime/screen-stream";

const list = (v: unknown): string[] => (v == null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const optInt = (v: unknown, field: string): number | null => {
  if (v == null || v === "") return null;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`${field} must be a whole number`, field);
  return n;
};
const versionOf = (body: Record<string, unknown>) => optInt(body.version, "version");
/** The picker posts one field per modifier group (opt-<groupId>); collect every chosen option id. */
const chosenOptions = (body: Record<string, unknown>) =>
  Object.entries(body).filter(([k]) => k.startsWith("opt-") || k === "optionIds").flatMap(([, v]) => list(v));

/** "5.00" -> amount, "10%" -> percent. */
export function parseDiscount(text: string, currency: string) {
  const s = text.trim();
  if (s.endsWith("%")) {
    const pct = Number(s.slice(0, -1).trim());
    if (!Number.isFinite(pct) || pct <= 0 || pct > 100) throw badRequest("A percent discount must be more than 0% and at most 100%", "value");
    return { kind: "percent" as const, bps: Math.round(pct * 100) };
  }
  const cents = parseMoney(s, currency);
  if (cents === null || cents === 0) throw badRequest("Enter an amount like 5.00 or a percent like 10%", "value");
  return { kind: "amount" as const, cents };
}

export function posRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const screenFor = (p: Principal, orderId: string | null) => loadPosScreen(db, p.restaurant.id, p.restaurant.taxRateBps, orderId);
  const ticketProps = (p: Principal) => ({ currency: p.restaurant.currency, canVoid: allows(p.actor, "orders.void_fired"), canDiscount: allows(p.actor, "orders.discount") });

  /** The ticket as this screen shows it, with every unsent line that was 86'd since it was taken marked. */
  async function ticketHtml(p: Principal, order: OrderView, extra: { error?: string } = {}): Promise<string> {
    const soldOut = await unsentNotOnSale(db, p.restaurant.id, p.restaurant.taxRateBps, order);
    return Ticket({ order, ...ticketProps(p), soldOut, ...extra }) as string;
  }

  /**
   * A manager's PIN typed at the till for something the kitchen has seen (a fired line's void, a sent
   * order's cancel). A PIN is guessable: the guard rate-limits and audits wrong ones like PIN sign-on.
   */
  async function overrideFrom(p: Principal, body: Record<string, unknown>, ip: string | null, action: string): Promise<Override> {
    const pin = body.managerPin ? String(body.managerPin) : "";
    if (!pin) return null;
    const approver = await checkManagerPin(db, ctx.config.pinPepper, p.restaurant.id, pin, {
      ctx, deviceId: p.device?.id ?? null, ip, requestedBy: p.user?.id ?? null, action,
    });
    if (!approver) throw new HttpError(403, "manager_required", "That is not a manager's PIN", "managerPin");
    return approver;
  }

  /** Answers a ticket action: the ticket fragment for htmx (errors shown on it), a redirect for plain forms. */
  async function respond(p: Principal, request: Request, set: Context["set"], orderId: string, work: () => Promise<OrderView>, extra = "") {
    try {
      const order = await work();
      if (!isHtmx(request)) return seeOther(set, `/pos?order=${order.id}`);
      return (await ticketHtml(p, order)) + extra;
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      const order = await getOrder(db, p.restaurant.id, orderId).catch(() => null);
      if (!order) throw error;
      set.status = error.status;
      Object.assign(set.headers, error.headers); // e.g. Retry-After on a 429
      if (!isHtmx(request)) {
        const screen = await screenFor(p, orderId);
        return PosPage(pageProps(p, screen, { ticketError: error.message }));
      }
      return ticketHtml(p, order, { error: error.message });
    }
  }

  function pageProps(p: Principal, screen: Awaited<ReturnType<typeof screenFor>>, extra: { error?: string; ticketError?: string; picker?: JSX.Element } = {}) {
    return {
      nonce: "", screen, restaurantName: p.restaurant.name, staffName: p.user?.name ?? p.device?.name ?? "",
      ...ticketProps(p), idempotencyKey: crypto.randomUUID(), lastSeq: p.restaurant.eventSeq, ...extra,
    };
  }

  const idParams = t.Object({ id: t.String({ format: "uuid", error: "No such order" }) });
  const form = t.Record(t.String(), t.Any());

  return new Elysia({ name: "pos" })
    .use(authPlugin(ctx))
    .get("/pos", async ({ principal, query, nonce }) => {
      const screen = await screenFor(principal, query.order ?? null);
      if (query.order && !screen.order) throw notFound("No such order");
      const mode = query.mode === "86" && allows(principal.actor, "menu.availability") ? "86" : "order";
      return PosPage({ ...pageProps(principal, screen), nonce, mode });
    }, { need: "orders.create", query: t.Object({ order: t.Optional(t.String({ format: "uuid", error: "No such order" })), mode: t.Optional(t.String()) }) })
    .get("/pos/stream", async ({ principal, request, query }) => {
      const orderId = query.order ?? null;
      const rights = ticketProps(principal);
      return openScreenStream(ctx, {
        request, principal, key: `pos:${orderId ?? "-"}:${rights.canVoid}:${rights.canDiscount}`, scope: orderId ?? "",
        render: posLiveRender(db, principal, orderId, ticketHtml), since: query.since,
        snapshot: async () => {
          const screen = await screenFor(principal, orderId);
          const ticket = screen.order ? await ticketHtml(principal, screen.order) : "";
          return (MenuGrid({ menu: screen.menu, orderId, currency: principal.restaurant.currency }) as string) + ticket;
        },
      });
    }, { need: "orders.create", query: t.Object({ order: t.Optional(t.String({ format: "uuid", error: "No such order" })), since: t.Optional(t.String()) }) })
    .get("/pos/orders", async ({ principal, nonce }) => {
      const screen = await screenFor(principal, null);
      return OpenOrdersPage({ nonce, screen, restaurantName: principal.restaurant.name, currency: principal.restaurant.currency, staffName: principal.user?.name ?? "" });
    }, { need: "orders.view" })
    .post("/pos/orders", async ({ principal, body, set, nonce, request, server }) => {
      const header: OrderHeader = {
        type: String(body.type ?? "") as OrderHeader["type"], table: body.table ? String(body.table) : null,
        guests: optInt(body.guests, "guests"),
      };
      const key = String(body.idempotencyKey ?? "");
      try {
        const { order } = await placeOrder(db, principal.restaurant.id, { ...header, items: [], fire: false, draft: true, idempotencyKey: key || null },
          whoOf(principal, request), requestHash(header));
        return seeOther(set, `/pos?order=${order.id}`);
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500) throw error;
        set.status = error.status;
        return PosPage({ ...pageProps(principal, await screenFor(principal, null), { error: error.message }), nonce });
      }
    }, { need: "orders.create", body: form })
    .get("/pos/orders/:id/pick/:itemId", async ({ principal, params, request, nonce }) => {
      const item = await loadPickerItem(db, principal.restaurant.id, principal.restaurant.taxRateBps, params.itemId);
      if (!item) throw notFound("No such item on this menu");
      const picker = Picker({ item, orderId: params.id, currency: principal.restaurant.currency }) as string;
      if (isHtmx(request)) return picker;
      const screen = await screenFor(principal, params.id);
      if (!screen.order) throw notFound("No such order");
      return PosPage({ ...pageProps(principal, screen, { picker }), nonce });
    }, { need: "orders.create", params: t.Object({ id: t.String({ format: "uuid" }), itemId: t.String({ format: "uuid" }) }) })
    .post("/pos/orders/:id/items", async ({ principal, params, body, request, set, server }) => {
      const line: NewLine = {
        menuItemId: String(body.itemId ?? ""), quantity: optInt(body.quantity, "quantity") ?? 1, modifierOptionIds: chosenOptions(body),
        note: body.note ? String(body.note) : null, seat: optInt(body.seat, "seat"), course: optInt(body.course, "course"),
      };
      const who = whoOf(principal, request);
      try {
        const order = await addItems(db, principal.restaurant.id, params.id, null, [line], who);
        if (!isHtmx(request)) return seeOther(set, `/pos?order=${order.id}`);
        // Close the picker along with the swap.
        return (await ticketHtml(principal, order)) + `<div id="picker" hx-swap-oob="true"></div>`;
      } catch (error) {
        // A refusal about the line's own choices (modifiers, quantity, note, seat, course) belongs in the
        // picker, with the guest's choices kept; anything else (the item is gone or 86'd) on the ticket.
        const inPicker = error instanceof HttpError && error.status < 500 && !!error.field && error.field !== "items[0].menuItemId";
        const item = inPicker ? await loadPickerItem(db, principal.restaurant.id, principal.restaurant.taxRateBps, line.menuItemId) : null;
        if (!item?.groups.length || !(error instanceof HttpError)) return respond(principal, request, set, params.id, () => { throw error; });
        set.status = error.status;
        set.headers["hx-retarget"] = "#picker";
        set.headers["hx-reswap"] = "innerHTML";
        return Picker({ item, orderId: params.id, currency: principal.restaurant.currency, error: error.message, chosen: line.modifierOptionIds });
      }
    }, { need: "orders.create", params: idParams, body: form })
    .post("/pos/orders/:id/send", ({ principal, params, body, request, set, server }) =>
      respond(principal, request, set, params.id, () => fireOrder(db, principal.restaurant.id, params.id, versionOf(body), whoOf(principal, request))),
      { need: "orders.create", params: idParams, body: form })
    .post("/pos/orders/:id/fire", ({ principal, params, body, request, set, server }) =>
      respond(principal, request, set, params.id, () => fireOrder(db, principal.restaurant.id, params.id, versionOf(body), whoOf(principal, request), { course: optInt(body.course, "course") ?? undefined })),
      { need: "orders.create", params: idParams, body: form })
    .post("/pos/orders/:id/hold", ({ principal, params, body, request, set, server }) =>
      respond(principal, request, set, params.id, () => holdCourse(db, principal.restaurant.id, params.id, versionOf(body), optInt(body.course, "course") ?? 0, body.held === "true", whoOf(principal, request))),
      { need: "orders.create", params: idParams, body: form })
    .post("/pos/orders/:id/discount", ({ principal, params, body, request, set, server }) =>
      respond(principal, request, set, params.id, () => applyDiscount(db, principal.restaurant.id, params.id, versionOf(body), parseDiscount(String(body.value ?? ""), principal.restaurant.currency), String(body.reason ?? ""), whoOf(principal, request))),
      { need: "orders.discount", params: idParams, body: form })
    .post("/pos/orders/:id/cancel", ({ principal, params, body, request, set, server }) =>
      respond(principal, request, set, params.id, async () => {
        const ip = getMeta(request)?.ip ?? null;
        const overrideBy = await overrideFrom(principal, body, ip, "orders.cancel_sent");
        return cancelOrder(db, principal.restaurant.id, params.id, versionOf(body), actorOf(principal, ip), { reason: body.reason ? String(body.reason) : null, overrideBy });
      }),
      { need: "orders.transition", params: idParams, body: form })
    .post("/pos/orders/:id/lines/:lineId/remove", ({ principal, params, body, request, set, server }) =>
      respond(principal, request, set, params.id, async () => {
        const ip = getMeta(request)?.ip ?? null;
        const overrideBy = await overrideFrom(principal, body, ip, "orders.void_fired");
        return removeLine(db, principal.restaurant.id, params.id, params.lineId, versionOf(body), actorOf(principal, ip), { reason: body.reason ? String(body.reason) : null, overrideBy });
      }),
      { need: "orders.create", params: t.Object({ id: t.String({ format: "uuid" }), lineId: t.String({ format: "uuid" }) }), body: form });
}
