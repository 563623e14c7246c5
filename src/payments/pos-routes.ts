import { Elysia, t, type Context } from "elysia";
import { seeOther } from "../http/answer";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import type { Principal } from "../auth/service";
import { allows } from "../auth/permissions";
import { checkManagerPin } from "../auth/override";
import { badRequest, HttpError, notFound } from "../http/errors";
import { parseMoney, roundDiv } from "../money";
import { actorOf, whoOf } from "../http/actor";
import { listStaff } from "../staff/service";
import { listDevices } from "../devices/service";
import { preTaxCents } from "./checks";
import { closeDrawer, currentDrawer, drawerMovement, drawerReport, listDrawers, openDrawer } from "./drawers";
import {
  compLine, completeOrder, getPayableOrder, leaveUnpaid, orderOfPayment, refundPayment, searchHistory, reopenCheck, shareLine, splitOrder, summariesFor, takePayment, unsplitOrder, type Approver,
} from "./service";
import { requestHash, touchedOrders, type OrderView } from "../orders/service";
import { chosenCheck, PayPage, PaySummary } from "../../views/payments/pay-page";
import { openScreenStream } from "../realtime/screen-stream";
import { ReceiptPage } from "../../views/payments/receipt";
import { DrawerListPage, DrawerPage, DrawerReportPage } from "../../views/payments/drawer";
import { connectionRow } from "../square/connection";
import { HistoryOrderPage, HistoryPage, type HistoryQuery } from "../../views/payments/history";

type Set = Context["set"];
const form = t.Record(t.String(), t.Any());
const uuid = (error: string) => t.String({ format: "uuid", error });
const str = (v: unknown) => (v == null ? "" : String(v).trim());

const redirect = seeOther;

/** A typed amount ("12.95") in the restaurant's currency, or a refusal naming the field. */
function typedMoney(raw: unknown, currency: string, field: string, opts: { optional?: boolean } = {}): number | null {
  const text = str(raw);
  if (!text && opts.optional) return null;
  const cents = parseMoney(text, currency);
  if (cents === null) throw badRequest(`Enter an amount like 12.95, with at most the currency's decimals`, field);
  return cents;
}

/**
 * The POS side of payments: the pay screen, cash drawer, receipts and order history. Forms post and
 * redirect (so a reload never re-posts); a refusal re-renders the page with the message by its field.
 */
export function paymentPosRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const who = (p: Principal, request: Request, server: { requestIP(r: Request): { address: string } | null } | null) => actorOf(p, server?.requestIP(request)?.address);
  const frame = (p: Principal, nonce: string) => ({ nonce, restaurantName: p.restaurant.name, staffName: p.user?.name ?? p.device?.name ?? "", currency: p.restaurant.currency });

  /** A manager's PIN typed at the till approves what the signed-on person may not do alone. */
  async function approverFrom(p: Principal, body: Record<string, unknown>, ip: string | null, action: string): Promise<Approver> {
    const pin = str(body.managerPin);
    if (!pin) return null;
    const approver = await checkManagerPin(db, ctx.config.pinPepper, p.restaurant.id, pin, { ctx, deviceId: p.device?.id ?? null, ip, requestedBy: p.user?.id ?? null, action });
    if (!approver) throw new HttpError(403, "manager_required", "That is not a manager's PIN", "managerPin");
    return approver;
  }

  async function payPage(p: Principal, nonce: string, orderId: string, extra: { checkId?: string | null; error?: HttpError; paidId?: string | null } = {}) {
    const [order, drawer] = await Promise.all([getPayableOrder(db, p.restaurant.id, orderId), currentDrawer(db, p.restaurant.id, p.device?.id ?? null)]);
    return PayPage({
      ...frame(p, nonce), taxInclusive: p.restaurant.taxInclusive, order, checkId: extra.checkId ?? null, tipPresetsBps: p.restaurant.tipPresetsBps,
      formKey: crypto.randomUUID(), drawerOpen: !!drawer, onDevice: !!p.device, error: extra.error?.message, errorField: extra.error?.field ?? (extra.error ? "" : undefined),
      paid: extra.paidId ? order.pay.payments.find((x) => x.id === extra.paidId) ?? null : null,
      can: { comp: allows(p.actor, "payments.comp"), reopen: allows(p.actor, "payments.reopen"), leaveUnpaid: allows(p.actor, "payments.leave_unpaid") },
      lastSeq: p.restaurant.eventSeq, cardOffered: !!(await connectionRow(db, p.restaurant.id)),
    });
  }

  /** Runs a pay-screen action; a refusal shows on the pay screen with its status, nothing changed. */
  async function onPayPage(p: Principal, nonce: string, set: Set, orderId: string, checkId: string | null, work: () => Promise<string>) {
    try {
      return redirect(set, await work());
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500 || error.status === 404) throw error;
      set.status = error.status;
      Object.assign(set.headers, error.headers);
      return payPage(p, nonce, orderId, { checkId, error });
    }
  }

  async function drawerPage(p: Principal, nonce: string, extra: { error?: HttpError; notice?: string } = {}) {
    return DrawerPage({
      ...frame(p, nonce), deviceName: p.device?.name ?? null, report: await currentDrawer(db, p.restaurant.id, p.device?.id ?? null),
      error: extra.error?.message, errorField: extra.error?.field, notice: extra.notice,
    });
  }

  async function onDrawerPage(p: Principal, nonce: string, set: Set, work: () => Promise<string>, drawerId?: string) {
    try {
      return redirect(set, await work());
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500 || error.status === 404) throw error;
      // Another restaurant's drawer is a 404 whatever the count said.
      if (drawerId) await drawerReport(db, p.restaurant.id, drawerId);
      set.status = error.status;
      return drawerPage(p, nonce, { error });
    }
  }

  const orderParams = t.Object({ id: uuid("No such order") });

  return new Elysia({ name: "payments-pos" })
    .use(authPlugin(ctx))
    .get("/pos/orders/:id/pay", async ({ principal, params, query, nonce }) => payPage(principal, nonce, params.id, { checkId: query.check ?? null, paidId: query.paid ?? null }),
      { need: "payments.take", params: orderParams, query: t.Object({ check: t.Optional(uuid("No such check")), paid: t.Optional(uuid("No such payment")) }) })
    // Live: a tender at another till, a comp or a kitchen change re-renders the check's summary here.
    .get("/pos/orders/:id/pay/stream", async ({ principal, params, request, query }) => {
      const canComp = allows(principal.actor, "payments.comp");
      const summary = async () => PaySummary({ order: await getPayableOrder(db, principal.restaurant.id, params.id), currency: principal.restaurant.currency, canComp }) as string;
      await getPayableOrder(db, principal.restaurant.id, params.id);
      return openScreenStream(ctx, {
        request, principal, key: `pay:${params.id}:${canComp}`, scope: params.id, since: query.since, snapshot: summary,
        render: async (_rid, _scope, events) => (touchedOrders(events).includes(params.id) ? summary() : null),
      });
    }, { need: "payments.take", params: orderParams, query: t.Object({ since: t.Optional(t.String()) }) })
    .post("/pos/orders/:id/pay", async ({ principal, params, body, set, nonce, request, server }) => {
      const checkId = str(body.checkId) || null;
      return onPayPage(principal, nonce, set, params.id, checkId, async () => {
        const currency = principal.restaurant.currency;
        const amountCents = typedMoney(body.amount, currency, "amount")!;
        const order = await getPayableOrder(db, principal.restaurant.id, params.id);
        const check = checkId ? chosenCheck(order, checkId) : null;
        const preset = Number(str(body.tipPreset) || "0");
        const typedTip = typedMoney(body.tipAmount, currency, "tipAmount", { optional: true });
        if (!principal.restaurant.tipPresetsBps.includes(preset) && preset !== 0) throw badRequest("Choose one of the tip buttons", "tipAmount");
        // A typed tip wins over a preset; a preset is a share of the pre-tax subtotal, never of the tax.
        const base = check ? preTaxCents(check, principal.restaurant.taxInclusive) : preTaxCents(order, principal.restaurant.taxInclusive);
        const tipCents = typedTip ?? roundDiv(Math.max(base, 0) * preset, 10_000);
        const choice = str(body.tendered);
        const tenderedCents = choice === "exact" ? amountCents + tipCents
          : choice === "other" ? typedMoney(body.tenderedOther, currency, "tenderedOther")!
          : Number.isInteger(Number(choice)) && choice !== "" ? Number(choice) : amountCents + tipCents;
        if (tenderedCents < amountCents + tipCents) throw badRequest("That is less than the amount and tip: enter what the guest handed over", "tenderedOther");
        const key = str(body.formKey);
        const result = await takePayment(db, principal.restaurant.id, params.id, {
          tender: "cash", amountCents, tipCents, tenderedCents, checkId,
          // The per-form key: a double tap or a re-posted form answers the first payment.
          idempotencyKey: key ? `pos:${key}` : null, requestHash: requestHash({ orderId: params.id, amountCents, tipCents, tenderedCents, checkId }), channel: "pos",
        }, who(principal, request, server));
        return `/pos/orders/${params.id}/pay?paid=${result.payment.id}${checkId ? `&check=${checkId}` : ""}`;
      });
    }, { need: "payments.take", params: orderParams, body: form })
    .post("/pos/orders/:id/split", ({ principal, params, body, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        const kind = str(body.kind);
        const plan = kind === "even" ? { kind: "even" as const, guests: Number(str(body.guests)) }
          : kind === "seat" ? { kind: "seat" as const }
          : { kind: "lines" as const, checks: [[body.lineIds ?? []].flat().map(String)] };
        if (!["even", "seat", "lines"].includes(kind)) throw badRequest("Choose how to split", "split");
        await splitOrder(db, principal.restaurant.id, params.id, plan, who(principal, request, server));
        return `/pos/orders/${params.id}/pay`;
      }), { need: "payments.take", params: orderParams, body: form })
    .post("/pos/orders/:id/split/share", ({ principal, params, body, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        const weights = str(body.weights).split(/[,\s]+/).filter(Boolean).map(Number);
        await shareLine(db, principal.restaurant.id, params.id, str(body.lineId), weights, who(principal, request, server));
        return `/pos/orders/${params.id}/pay`;
      }), { need: "payments.take", params: orderParams, body: form })
    .post("/pos/orders/:id/unsplit", ({ principal, params, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        await unsplitOrder(db, principal.restaurant.id, params.id, who(principal, request, server));
        return `/pos/orders/${params.id}/pay`;
      }), { need: "payments.take", params: orderParams })
    .post("/pos/orders/:id/lines/:lineId/comp", ({ principal, params, body, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        const actor = who(principal, request, server);
        const approver = allows(principal.actor, "payments.comp") ? null : await approverFrom(principal, body, actor.ip ?? null, "payments.comp");
        await compLine(db, principal.restaurant.id, params.id, params.lineId, body.reason, actor, approver);
        return `/pos/orders/${params.id}/pay`;
      }), { need: "orders.create", params: t.Object({ id: uuid("No such order"), lineId: uuid("No such line") }), body: form })
    .post("/pos/orders/:id/unpaid", ({ principal, params, body, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        await leaveUnpaid(db, principal.restaurant.id, params.id, body.reason, who(principal, request, server));
        return `/pos/orders/${params.id}/pay`;
      }), { need: "payments.leave_unpaid", params: orderParams, body: form })
    .post("/pos/orders/:id/reopen", ({ principal, params, body, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        const actor = who(principal, request, server);
        const approver = allows(principal.actor, "payments.reopen") ? null : await approverFrom(principal, body, actor.ip ?? null, "payments.reopen");
        await reopenCheck(db, principal.restaurant.id, params.id, body.reason, actor, approver);
        return `/pos/orders/${params.id}/pay`;
      }), { need: "payments.take", params: orderParams, body: form })
    .post("/pos/orders/:id/complete", ({ principal, params, set, nonce, request, server }) =>
      onPayPage(principal, nonce, set, params.id, null, async () => {
        await completeOrder(db, principal.restaurant.id, params.id, null, who(principal, request, server));
        return `/pos/history/${params.id}`;
      }), { need: "orders.transition", params: orderParams })
    .get("/pos/orders/:id/receipt", async ({ principal, params, query, nonce }) => {
      const order = await getPayableOrder(db, principal.restaurant.id, params.id);
      const check = query.check ? order.pay.checks.find((c) => c.id === query.check) ?? null : null;
      const serverName = order.createdBy ? (await listStaff(ctx, principal.restaurant.id)).find((s) => s.userId === order.createdBy)?.name ?? null : null;
      return ReceiptPage({
        nonce, restaurantName: principal.restaurant.name, currency: principal.restaurant.currency, taxInclusive: principal.restaurant.taxInclusive,
        timeZone: principal.restaurant.timeZone, order, check, size: query.size === "a4" ? "a4" : "80mm", serverName,
      });
    }, { need: "payments.take", params: orderParams, query: t.Object({ check: t.Optional(uuid("No such check")), size: t.Optional(t.String()) }) })
    .post("/pos/payments/:id/refund", async ({ principal, params, body, set, nonce, request, server }) => {
      const actor = who(principal, request, server);
      let orderId: string | null = null;
      try {
        const approver = allows(principal.actor, "payments.refund") ? null : await approverFrom(principal, body, actor.ip ?? null, "payments.refund");
        const result = await refundPayment(db, principal.restaurant.id, params.id, { amountCents: typedMoney(body.amount, principal.restaurant.currency, "amount"), reason: body.reason }, actor, { channel: principal.device ? "pos" : "api", overrideBy: approver });
        orderId = result.order.id;
        return redirect(set, `/pos/history/${orderId}?refunded=1`);
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500) throw error;
        const of = await orderOfPayment(db, principal.restaurant.id, params.id);
        if (!of) throw notFound("No such payment");
        set.status = error.status;
        return historyOrder(principal, nonce, of, { error: error.message });
      }
    }, { need: "payments.take", params: t.Object({ id: uuid("No such payment") }), body: form })
    .get("/pos/history", async ({ principal, query, nonce, set }) => {
      const q: HistoryQuery = { date: str(query.date), number: str(query.number), table: str(query.table), amount: str(query.amount), staff: str(query.staff) };
      const staff = (await listStaff(ctx, principal.restaurant.id)).map((s) => ({ id: s.userId, name: s.name }));
      let error: string | undefined;
      let orders: OrderView[] = [];
      try {
        if (q.date && !/^\d{4}-\d{2}-\d{2}$/.test(q.date)) throw badRequest("Pick a business day", "date");
        if (q.number && !/^\d{1,6}$/.test(q.number)) throw badRequest("An order number is a whole number", "number");
        if (q.staff && !staff.some((s) => s.id === q.staff)) throw badRequest("No such staff member", "staff");
        const totalCents = q.amount ? typedMoney(q.amount, principal.restaurant.currency, "amount")! : undefined;
        orders = await searchHistory(db, principal.restaurant.id, {
          businessDate: q.date || undefined, number: q.number ? Number(q.number) : undefined, table: q.table || undefined, totalCents, staffUserId: q.staff || undefined, limit: 100,
        });
      } catch (e) {
        if (!(e instanceof HttpError) || e.status >= 500) throw e;
        set.status = e.status;
        error = e.message;
      }
      const summaries = await summariesFor(db, principal.restaurant.id, orders, principal.restaurant.taxInclusive);
      return HistoryPage({ ...frame(principal, nonce), query: q, staff, orders, summaries, error });
    }, { need: "payments.take", query: t.Record(t.String(), t.String()) })
    .get("/pos/history/:id", async ({ principal, params, query, nonce }) => historyOrder(principal, nonce, params.id, { notice: query.refunded ? "Refunded: hand the cash back from the drawer." : undefined }),
      { need: "payments.take", params: orderParams, query: t.Object({ refunded: t.Optional(t.String()) }) })
    .get("/pos/drawer", async ({ principal, nonce, query }) => drawerPage(principal, nonce, { notice: query.done === "no_sale" ? "No sale recorded: the drawer is open." : query.done ? "Recorded." : undefined }),
      { need: "drawers.operate", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/pos/drawer/open", ({ principal, body, set, nonce, request, server }) =>
      onDrawerPage(principal, nonce, set, async () => {
        await openDrawer(db, principal.restaurant.id, typedMoney(body.float, principal.restaurant.currency, "floatCents"), who(principal, request, server));
        return "/pos/drawer";
      }), { need: "drawers.operate", body: form })
    .post("/pos/drawer/movements", ({ principal, body, set, nonce, request, server }) =>
      onDrawerPage(principal, nonce, set, async () => {
        const kind = str(body.kind) as "pay_in" | "pay_out" | "no_sale";
        const amountCents = kind === "no_sale" ? 0 : typedMoney(body.amount, principal.restaurant.currency, "amountCents");
        await drawerMovement(db, principal.restaurant.id, kind, { amountCents, reason: body.reason }, who(principal, request, server));
        return `/pos/drawer?done=${kind}`;
      }), { need: "drawers.operate", body: form })
    .post("/pos/drawer/:id/close", ({ principal, params, body, set, nonce, request, server }) =>
      onDrawerPage(principal, nonce, set, async () => {
        const denominations = Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith("d-") && str(v) !== "").map(([k, v]) => [k.slice(2), Number(str(v))]));
        const count = Object.keys(denominations).length ? { denominations, note: body.note } : { countedCents: typedMoney(body.counted, principal.restaurant.currency, "counted"), note: body.note };
        await closeDrawer(db, principal.restaurant.id, params.id, count, who(principal, request, server));
        return `/pos/drawer/${params.id}`;
      }, params.id), { need: "drawers.operate", params: t.Object({ id: uuid("No such drawer") }), body: form })
    .get("/pos/drawer/:id", async ({ principal, params, nonce }) => {
      const report = await drawerReport(db, principal.restaurant.id, params.id);
      // A cashier sees the drawer of their own till; every other drawer is a manager's review.
      if (report.drawer.deviceId !== principal.device?.id && !allows(principal.actor, "drawers.review")) throw new HttpError(403, "forbidden", "This drawer belongs to another POS; a manager can review it");
      const deviceName = (await listDevices(ctx, principal.restaurant.id)).find((d) => d.id === report.drawer.deviceId)?.name ?? "POS";
      return DrawerReportPage({ ...frame(principal, nonce), report, deviceName });
    }, { need: "drawers.operate", params: t.Object({ id: uuid("No such drawer") }) })
    .get("/pos/drawers", async ({ principal, nonce }) => {
      const [reports, devices] = await Promise.all([listDrawers(db, principal.restaurant.id), listDevices(ctx, principal.restaurant.id)]);
      return DrawerListPage({ ...frame(principal, nonce), reports, deviceNames: new Map(devices.map((d) => [d.id, d.name])) });
    }, { need: "drawers.review" });

  async function historyOrder(p: Principal, nonce: string, orderId: string, extra: { error?: string; notice?: string }) {
    const order = await getPayableOrder(db, p.restaurant.id, orderId);
    return HistoryOrderPage({
      ...frame(p, nonce), order, formKey: crypto.randomUUID(), ...extra,
      can: { refund: allows(p.actor, "payments.refund"), reopen: allows(p.actor, "payments.reopen"), pay: allows(p.actor, "payments.take") },
    });
  }
}
