import { Elysia, t, type Context } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import type { Principal } from "../auth/service";
import { allows } from "../auth/permissions";
import { checkManagerPin } from "../auth/override";
import { getMeta } from "../http/request-context";
import { badRequest, HttpError, notFound } from "../http/errors";
import { withTenant } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { actorOf, whoOf } from "../http/actor";
import { parseDiscount } from "./routes";
import { unsentNotOnSale } from "./service";
import { isHtmx } from "../http/answer";
import { addItems, applyDiscount, getOrder, type OrderView } from "../orders/service";
import { Ticket } from "../../views/pos/ticket";

const form = t.Record(t.String(), t.Any());
const version = (body: Record<string, unknown>) => {
  if (body.version == null || body.version === "") return null;
  const n = Number(body.version);
  if (!Number.isInteger(n)) throw badRequest("version must be a whole number", "version");
  return n;
};

/**
 * The POS's quick actions (issue 9, points 3 and 5): Repeat a line in one tap, and a discount asked
 * for by anyone at the till with a manager's PIN typed on the spot, as a fired line's void is.
 * Refusals (4xx) go through the app's refusal answer: nothing swapped, the message shown over the screen.
 */
export function posQuickRoutes(ctx: AppContext) {
  const db = ctx.database.db;

  async function answer(p: Principal, request: Request, set: Context["set"], order: OrderView) {
    if (!isHtmx(request)) {
      set.status = 303;
      set.headers.location = `/pos?order=${order.id}`;
      return "";
    }
    const soldOut = await unsentNotOnSale(db, p.restaurant.id, p.restaurant.taxRateBps, order);
    return Ticket({
      order, currency: p.restaurant.currency, soldOut,
      canVoid: allows(p.actor, "orders.void_fired"), canDiscount: allows(p.actor, "orders.discount"),
    });
  }

  const lineParams = t.Object({ id: t.String({ format: "uuid", error: "No such order" }), lineId: t.String({ format: "uuid", error: "No such line" }) });

  return new Elysia({ name: "pos-quick" })
    .use(authPlugin(ctx))
    // Repeat: the same item, choices, note, seat and course again, as a new unsent line. The menu's
    // rules are checked afresh (an option 86'd since is refused with its name).
    .post("/pos/orders/:id/lines/:lineId/repeat", async ({ principal, params, request, set }) => {
      const order = await getOrder(db, principal.restaurant.id, params.id);
      const line = order.lines.find((l) => l.id === params.lineId);
      if (!line) throw notFound("No such line on this order");
      if (!line.menuItemId) throw badRequest("This line's item is no longer on the menu", "lineId");
      const repeated = await addItems(db, principal.restaurant.id, order.id, null, [{
        menuItemId: line.menuItemId, quantity: line.quantity, modifierOptionIds: line.modifiers.map((m) => m.optionId),
        note: line.note, seat: line.seat, course: line.course,
      }], whoOf(principal, request));
      return answer(principal, request, set, repeated);
    }, { need: "orders.create", params: lineParams })
    // A discount asked for at the till: the value and reason are checked first (no PIN spent on a typo),
    // then the manager's PIN (rate-limited and audited when wrong, like a void's). The discount is
    // applied as the approving manager, and a second audit row names who asked and who approved.
    .post("/pos/orders/:id/discount-request", async ({ principal, params, body, request, set }) => {
      const ip = getMeta(request)?.ip ?? null;
      await getOrder(db, principal.restaurant.id, params.id); // another restaurant's order is not found, whatever the form says
      const discount = parseDiscount(String(body.value ?? ""), principal.restaurant.currency);
      const reason = String(body.reason ?? "").trim();
      if (!reason) throw badRequest("Say why the discount is given", "reason");
      const pin = String(body.managerPin ?? "");
      if (!pin) throw badRequest("A manager's PIN is needed to give a discount", "managerPin");
      const approver = await checkManagerPin(db, ctx.config.pinPepper, principal.restaurant.id, pin, {
        ctx, deviceId: principal.device?.id ?? null, ip, requestedBy: principal.user?.id ?? null, action: "orders.discount",
      });
      if (!approver || !allows(approver.actor, "orders.discount")) throw new HttpError(403, "manager_required", "That is not a manager's PIN", "managerPin");
      const who = actorOf(principal, ip);
      // One transaction: the discount and its audit row naming who asked and who approved.
      const order = await applyDiscount(db, principal.restaurant.id, params.id, version(body), discount, reason, who, { overrideBy: approver });
      return answer(principal, request, set, order);
    }, { need: "orders.create", params: t.Object({ id: t.String({ format: "uuid", error: "No such order" }) }), body: form });
}
