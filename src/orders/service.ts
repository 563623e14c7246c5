import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { appendEvent } from "../realtime/events";
import { orderIdOf, type EventType, type StoredEvent } from "../realtime/catalogue";

/** The events an order change can append: its own, the kitchen's and its payments'. */
export type OrderEventType = Extract<EventType, `order.${string}` | `kitchen.${string}` | `payment.${string}`>;
import { countOrderPlaced } from "../ops/metrics";
import { recordAudit } from "../audit/service";
import { badRequest, conflict, forbidden, HttpError, notFound, unprocessable } from "../http/errors";
import { allows, type Actor } from "../auth/permissions";
import { loadOrderableItems } from "../menu/service";
import { priceOrder, type Discount } from "./pricing";
import { checkTransition, FINAL_STATUSES, orderStatusFromLines, type OrderStatus } from "./states";
import { LIMITS, notOnSale, snapshotLines, validateHeader, type NewLine, type OrderHeader, type SnapshotLine } from "./validation";
import * as q from "./queries";
import { optionalText, requiredText } from "../text";
import { guardPaidCheck } from "../payments/guard";

/** Who changes an order: for permission checks and the audit trail. */
export type OrderActor = { actor: Actor; userId: string | null; deviceId: string | null; ip?: string | null };

/** voidAcked: a cook at that station has seen the line's VOID (meaningful only once the line is voided). */
export type LineView = q.OrderItemRow & { stations: { stationId: string; status: "new" | "cooking" | "ready"; voidAcked: boolean }[] };
export type OrderView = q.OrderRow & { lines: LineView[] };

/** draft: a POS ticket opened before its first item (may start empty; never fired on creation). */
export type PlaceOrderInput = OrderHeader & { items: NewLine[]; fire: boolean; idempotencyKey: string | null; draft?: boolean };
export type PlaceResult = { order: OrderView; replayed: boolean };

const conflictStale = () => conflict("Someone else changed this order; reload it and try again", "version");

/** Hash of what a request asked for, so a reused idempotency key with a different body is caught. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown => Array.isArray(v) ? v.map(canonical)
    : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash("sha256").update(JSON.stringify(canonical(body))).digest("hex");
}

// Building an Intl.DateTimeFormat costs 50 times more than formatting with it (0.15 ms against 3 µs; 2.5%
// of placeOrder's CPU in a profile under load), so each time zone's formatter is built once. An invalid
// zone still throws, and is not cached.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(timeZone);
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })));
  return format;
}

/**
 * The business day an order belongs to: the local date, with the day starting at dayStartsAtHour of
 * local (wall-clock) time. Reading the local hour, rather than subtracting hours of elapsed time, keeps
 * 03:59 on the night daylight saving ends in the day before (subtracting 4 real hours from 03:59 EST
 * lands on 00:59 EDT of the same date, one business day too late).
 */
export function businessDate(now: Date, timeZone: string, dayStartsAtHour: number): string {
  const parts = dateFormat(timeZone).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const local = `${part("year")}-${part("month")}-${part("day")}`;
  if (Number(part("hour")) >= dayStartsAtHour) return local;
  const previous = new Date(`${local}T00:00:00Z`);
  previous.setUTCDate(previous.getUTCDate() - 1);
  return previous.toISOString().slice(0, 10);
}

async function loadView(tx: Tx, restaurantId: string, order: q.OrderRow): Promise<OrderView> {
  return (await loadViews(tx, restaurantId, [order]))[0]!;
}

/** Orders with their lines and per-station progress, in three queries however many orders. */
export async function loadViews(tx: Tx, restaurantId: string, orders: q.OrderRow[]): Promise<OrderView[]> {
  const ids = orders.map((o) => o.id);
  const [lines, stations] = await Promise.all([q.listOrderItems(tx, restaurantId, ids), q.listLineStations(tx, restaurantId, ids)]);
  const byLine = new Map<string, LineView["stations"]>();
  for (const s of stations) {
    const list = byLine.get(s.orderItemId) ?? [];
    list.push({ stationId: s.stationId, status: s.status, voidAcked: !!s.voidAckedAt });
    byLine.set(s.orderItemId, list);
  }
  return orders.map((o) => ({
    ...o,
    lines: lines.filter((l) => l.orderId === o.id).map((l) => ({ ...l, stations: byLine.get(l.id) ?? [] })),
  }));
}

function totalsFor(lines: { unitPriceCents: number; quantity: number; taxRateBps: number; modifiers: { priceDeltaCents: number }[]; voidedAt?: Date | null; compedAt?: Date | null }[], taxInclusive: boolean, discount: Discount | null) {
  return priceOrder(lines.map((l) => ({
    unitPriceCents: l.unitPriceCents, quantity: l.quantity, taxRateBps: l.taxRateBps,
    // A comped line stays on the ticket but, like a void, is priced at zero (src/payments/service.ts compLine).
    modifierDeltasCents: l.modifiers.map((m) => m.priceDeltaCents), voided: !!l.voidedAt || !!l.compedAt,
  })), { taxInclusive, discount });
}

function lineRows(restaurantId: string, orderId: string, businessDate: string, lines: SnapshotLine[], startPosition: number, addedAfterSend = false) {
  return lines.map((l, i) => ({
    restaurantId, orderId, businessDate, menuItemId: l.menuItemId, name: l.name, kitchenName: l.kitchenName, unitPriceCents: l.unitPriceCents,
    taxRateBps: l.taxRateBps, quantity: l.quantity, modifiers: l.modifiers, note: l.note, seat: l.seat, course: l.course,
    lineTotalCents: (l.unitPriceCents + l.modifiers.reduce((s, m) => s + m.priceDeltaCents, 0)) * l.quantity,
    position: startPosition + i, addedAfterSend,
  }));
}

/** Routing is decided when a line is taken (from the menu of that moment) and kept in this map until it fires. */
type Routing = Map<string, string[]>;

async function fireLines(tx: Tx, restaurantId: string, order: q.OrderRow, lines: q.OrderItemRow[], routing: Routing, round: number) {
  await q.markLinesFired(tx, restaurantId, lines.map((l) => l.id), round);
  await q.insertLineStations(tx, lines.flatMap((l) => (routing.get(l.id) ?? []).map((stationId) => ({
    restaurantId, orderItemId: l.id, stationId, orderId: order.id,
  }))));
}

/**
 * Routing for lines already stored (firing a held course or an earlier addition): re-read from the menu.
 * A line whose item (or a chosen option) was 86'd or taken off the menu since it was taken is not sent:
 * the whole fire is refused, naming every such line, and nothing changes.
 */
async function routingFor(tx: Tx, restaurantId: string, defaultTax: number, lines: q.OrderItemRow[]): Promise<Routing> {
  const ids = [...new Set(lines.map((l) => l.menuItemId).filter((id): id is string => !!id))];
  const menu = await loadOrderableItems(tx, restaurantId, defaultTax, ids);
  const gone = notOnSale(lines, menu);
  if (gone.length) throw conflict(`Nothing was sent: ${gone.map((g) => g.message).join("; ")}. Remove ${gone.length > 1 ? "them" : "it"} from the ticket first.`, "items");
  const routing: Routing = new Map();
  for (const l of lines) {
    const item = l.menuItemId ? menu.get(l.menuItemId) : undefined;
    const optionStations = item ? item.groups.flatMap((g) => g.options).filter((o) => l.modifiers.some((m) => m.optionId === o.id) && o.stationId).map((o) => o.stationId!) : [];
    routing.set(l.id, [...new Set([...(item?.stationIds ?? []), ...optionStations])]);
  }
  return routing;
}

export async function placeOrder(db: Db, restaurantId: string, input: PlaceOrderInput, who: OrderActor, bodyHash: string | null): Promise<PlaceResult> {
  if (!allows(who.actor, "orders.create")) throw forbidden();
  const header = validateHeader(input);
  try {
    const placed = await withTenant(db, restaurantId, async (tx) => {
      if (input.idempotencyKey) {
        const replay = await replayIfSeen(tx, restaurantId, input.idempotencyKey, bodyHash);
        if (replay) return replay;
      }
      const restaurant = await q.lockRestaurant(tx, restaurantId);
      if (!restaurant) throw notFound("No such restaurant");
      // A concurrent duplicate may have committed while we waited for the lock.
      if (input.idempotencyKey) {
        const replay = await replayIfSeen(tx, restaurantId, input.idempotencyKey, bodyHash);
        if (replay) return replay;
      }
      const menu = await loadOrderableItems(tx, restaurantId, restaurant.taxRateBps, input.items.map((i) => i.menuItemId).filter((id) => typeof id === "string"));
      const lines = input.draft && !input.fire && input.items.length === 0 ? [] : snapshotLines(input.items, menu);
      const totals = totalsFor(lines, restaurant.taxInclusive, null);
      const date = businessDate(new Date(), restaurant.timeZone, restaurant.dayStartsAtHour);
      const order = await q.insertOrder(tx, {
        restaurantId, number: await q.nextOrderNumber(tx, restaurantId, date), businessDate: date, type: header.type,
        tableLabel: header.table, guests: header.guests, note: header.note, status: "open",
        subtotalCents: totals.subtotalCents, taxCents: totals.taxCents, totalCents: totals.totalCents, discountCents: 0,
        idempotencyKey: input.idempotencyKey, requestHash: bodyHash, createdBy: who.userId, deviceId: who.deviceId,
      });
      const stored = await q.insertOrderItems(tx, lineRows(restaurantId, order.id, date, lines, 0));
      let final = order;
      if (input.fire) {
        const routing: Routing = new Map(stored.map((row, i) => [row.id, lines[i]!.stationIds]));
        await fireLines(tx, restaurantId, order, stored.filter((l) => !l.held), routing, 1);
        // The same rule as every later change, from what was just written (no extra read): an order
        // whose fired items go to no station has nothing to cook and is ready at once, not sent for ever.
        const status = orderStatusFromLines("open", stored.map((l) => ({ fired: !l.held, stations: (routing.get(l.id) ?? []).map(() => "new" as const) })));
        final = (await q.updateOrderVersioned(tx, restaurantId, order.id, order.version, { status }))!;
      }
      await appendEvent(tx, restaurantId, input.fire ? "order.fired" : "order.created", { orderId: order.id, number: order.number, round: input.fire ? 1 : 0 });
      return { order: await loadView(tx, restaurantId, final), replayed: false };
    });
    if (!placed.replayed) countOrderPlaced();
    return placed;
  } catch (error) {
    // Two identical submits raced past both checks: the unique index decided; answer with the winner.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const replay = await withTenant(db, restaurantId, (tx) => replayIfSeen(tx, restaurantId, input.idempotencyKey!, bodyHash));
      if (replay) return replay;
    }
    throw error;
  }
}

async function replayIfSeen(tx: Tx, restaurantId: string, key: string, bodyHash: string | null): Promise<PlaceResult | null> {
  const existing = await q.findOrderByIdempotencyKey(tx, restaurantId, key);
  if (!existing) return null;
  if (bodyHash && existing.requestHash && existing.requestHash !== bodyHash) {
    throw unprocessable("This Idempotency-Key was already used for a different order", "idempotencyKey");
  }
  return { order: await loadView(tx, restaurantId, existing), replayed: true };
}

export async function getOrder(db: Db, restaurantId: string, orderId: string): Promise<OrderView> {
  return withTenant(db, restaurantId, async (tx) => {
    const order = await q.findOrder(tx, restaurantId, orderId);
    if (!order) throw notFound("No such order");
    return loadView(tx, restaurantId, order);
  });
}

/** Newest first; `after` (an order id, from a page's cursor) continues after that order. */
export async function listOrders(db: Db, restaurantId: string, filter: { statuses?: OrderStatus[]; limit?: number; after?: string }): Promise<OrderView[]> {
  return withTenant(db, restaurantId, async (tx) => {
    if (filter.after && !(await q.findOrder(tx, restaurantId, filter.after))) throw badRequest("cursor does not point at one of this restaurant's orders; start again without it", "cursor");
    return loadViews(tx, restaurantId, await q.listOrders(tx, restaurantId, { statuses: filter.statuses, limit: filter.limit ?? 50, after: filter.after }));
  });
}

/**
 * The one way any feature changes an order: locks it, checks the version, applies, re-prices, derives
 * the status, bumps the version and appends the event, in one transaction. Payments, kitchen, expo and
 * POS changes all go through here; `apply` may write rows of its own in `tx` (a payment, a comp).
 */
export async function applyOrderChange(
  db: Db, restaurantId: string, orderId: string, version: number | null, eventType: OrderEventType,
  apply: (tx: Tx, order: OrderView, restaurant: NonNullable<Awaited<ReturnType<typeof q.lockRestaurant>>>) => Promise<{ status?: OrderStatus | "from-lines" | "keep"; discount?: { cents: number; reason: string | null }; event?: Record<string, unknown> } | void>,
): Promise<OrderView> {
  return withTenant(db, restaurantId, async (tx) => {
    const restaurant = await q.lockRestaurant(tx, restaurantId);
    const current = await q.findOrder(tx, restaurantId, orderId, { lock: true });
    if (!restaurant || !current) throw notFound("No such order");
    if (version !== null && current.version !== version) throw conflictStale();
    const result = (await apply(tx, await loadView(tx, restaurantId, current), restaurant)) ?? {};
    const after = await loadView(tx, restaurantId, current);
    // Unless the change is an explicit status move (a transition, a cancel), the live lines decide the
    // status after every change, read from the view loaded here anyway: a void, bump, recall, fire or
    // addition can never leave the order in a status its lines contradict.
    // "keep": a change that is not the kitchen's business (a payment, a split, a comp) leaves the status as
    // it is, even one an integration set explicitly that the lines do not show.
    const status = result.status === "keep" ? current.status
      : result.status && result.status !== "from-lines" ? result.status : liveStatus(current.status, after);
    const discountCents = result.discount?.cents ?? current.discountCents;
    const totals = totalsFor(after.lines, restaurant.taxInclusive, discountCents ? { kind: "amount", cents: discountCents } : null);
    const updated = await q.updateOrderVersioned(tx, restaurantId, orderId, current.version, {
      status,
      subtotalCents: totals.subtotalCents, taxCents: totals.taxCents, totalCents: totals.totalCents, discountCents: totals.discountCents,
      discountReason: result.discount ? result.discount.reason : current.discountReason,
      // A recalled order is open again: it has no closing time until it closes once more.
      closedAt: FINAL_STATUSES.includes(status) ? current.closedAt ?? new Date() : null,
    });
    if (!updated) throw conflictStale();
    await appendEvent(tx, restaurantId, eventType, {
      orderId, number: current.number, version: updated.version, ...(status !== current.status ? { from: current.status, status } : {}), ...(result.event ?? {}),
    });
    return { ...after, ...updated };
  });
}

/** The kitchen has seen an order once any line of it was fired (voided ones included). */
export const kitchenHasSeen = (order: OrderView) => order.lines.some((l) => l.firedAt);

function assertEditable(order: q.OrderRow) {
  if (order.status === "completed" || order.status === "cancelled") throw conflict(`The order is ${order.status}; it cannot change any more`, "status");
}

/** Adds lines to an open or sent order (reopened to add items); they wait until fired. */
export async function addItems(db: Db, restaurantId: string, orderId: string, version: number | null, items: NewLine[], who: OrderActor) {
  if (!allows(who.actor, "orders.create")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, version, "order.updated", async (tx, order, restaurant) => {
    assertEditable(order);
    await guardPaidCheck(tx, restaurantId, order, who, "items added");
    const menu = await loadOrderableItems(tx, restaurantId, restaurant.taxRateBps, items.map((i) => i.menuItemId).filter((id) => typeof id === "string"));
    const lines = snapshotLines(items, menu);
    await q.insertOrderItems(tx, lineRows(restaurantId, orderId, order.businessDate, lines, order.lines.length, kitchenHasSeen(order)));
    return { event: { added: lines.length } };
  });
}

/**
 * Fires every line not yet fired and not held (or one course). The first fire sends the order; later
 * fires are additions and show on the kitchen as a new round.
 */
export async function fireOrder(db: Db, restaurantId: string, orderId: string, version: number | null, who: OrderActor, opts: { course?: number } = {}) {
  if (!allows(who.actor, "orders.create")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, version, "order.fired", async (tx, order, restaurant) => {
    assertEditable(order);
    const pending = order.lines.filter((l) => !l.firedAt && !l.voidedAt && (opts.course ? l.course === opts.course : !l.held));
    if (!pending.length) throw conflict(opts.course ? `Nothing in course ${opts.course} is waiting to be sent` : "Nothing is waiting to be sent", "items");
    const round = Math.max(0, ...order.lines.map((l) => l.fireRound ?? 0)) + 1;
    await fireLines(tx, restaurantId, order, pending, await routingFor(tx, restaurantId, restaurant.taxRateBps, pending), round);
    return { event: { round, lines: pending.length, course: opts.course ?? null } };
  });
}

export async function holdCourse(db: Db, restaurantId: string, orderId: string, version: number | null, course: number, held: boolean, who: OrderActor) {
  if (!allows(who.actor, "orders.create")) throw forbidden();
  if (!Number.isInteger(course) || course < 1 || course > 9) throw badRequest("Course must be 1 to 9", "course");
  return applyOrderChange(db, restaurantId, orderId, version, "order.updated", async (tx, order) => {
    assertEditable(order);
    await q.setLinesHeld(tx, restaurantId, orderId, course, held);
  });
}

/** A manager approving at a station with their PIN (checked and rate-limited by the route). */
export type Override = { userId: string; actor: Actor } | null;

/**
 * Who approves a change the kitchen has seen (a fired line's void, a sent order's cancel): the person
 * themselves if they may (a manager), else the manager whose PIN was typed at the station. A reason is
 * required. Refused with 403 naming the override, or 400 naming the reason; nothing changes either way.
 */
function approvalFor(who: OrderActor, overrideBy: Override | undefined, reasonText: string | null | undefined, say: { refusal: string; askReason: string }) {
  const approver = allows(who.actor, "orders.void_fired") ? { userId: who.userId, actor: who.actor } : overrideBy ?? null;
  if (!approver || !allows(approver.actor, "orders.void_fired")) throw new HttpError(403, "manager_required", say.refusal, "override");
  const reason = checkedReason(reasonText);
  if (!reason) throw badRequest(say.askReason, "reason");
  return { approver, reason, overridden: approver === overrideBy };
}

/** A void, cancel or discount reason: the one free-text rule (one line, no control characters, a length cap). */
function checkedReason(reason: string | null | undefined): string | null {
  return optionalText(reason, "reason", { label: "The reason", max: LIMITS.reason });
}

/**
 * Removes a line. Before it is fired that is free; after, it is a void: it needs orders.void_fired (or a
 * manager's PIN override, passed as overrideBy) and a reason, stays on the ticket marked VOID (and on its
 * stations until a cook acknowledges it), and is audited with who asked and who approved.
 */
export async function removeLine(db: Db, restaurantId: string, orderId: string, lineId: string, version: number | null, who: OrderActor,
  opts: { reason?: string | null; overrideBy?: Override } = {}) {
  if (!allows(who.actor, "orders.create")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, version, "order.line_removed", async (tx, order) => {
    assertEditable(order);
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) throw notFound("No such line on this order");
    if (line.voidedAt) throw conflict("This line is already void", "lineId");
    await guardPaidCheck(tx, restaurantId, order, who, line.firedAt ? "void" : "line removed");
    if (!line.firedAt) {
      await q.deleteUnfiredLine(tx, restaurantId, lineId);
      return { event: { lineId, voided: false } };
    }
    const { approver, reason, overridden } = approvalFor(who, opts.overrideBy, opts.reason, {
      refusal: "This item was already sent to the kitchen: a manager must approve the void", askReason: "Say why the item is voided",
    });
    await q.voidLines(tx, restaurantId, [lineId], reason, approver.userId);
    await recordAudit(tx, {
      restaurantId, action: overridden ? "order.void_override" : "order.void", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId, number: order.number, lineId, item: line.name, quantity: line.quantity, reason, requestedBy: who.userId, approvedBy: approver.userId },
    });
    return { event: { lineId, voided: true, stationIds: line.stations.map((s) => s.stationId) } };
  });
}

/**
 * Cancels an order. One nobody has cooked from yet (nothing fired) is the till's own business. One the
 * kitchen has seen needs the authority of a fired line's void (a manager, or a manager's PIN at the
 * station) and a reason: every live line is voided, so each station shows the ticket as VOID until a
 * cook acknowledges it, and the audit row names who asked and who approved.
 */
export async function cancelOrder(db: Db, restaurantId: string, orderId: string, version: number | null, who: OrderActor,
  opts: { reason?: string | null; overrideBy?: Override } = {}) {
  if (!allows(who.actor, "orders.transition")) throw forbidden();
  return applyOrderChange(db, restaurantId, orderId, version, "order.status", async (tx, order) => {
    const check = checkTransition(order.status, "cancelled");
    if (!check.ok) throw conflict(check.message, "to");
    const seen = kitchenHasSeen(order);
    const approval = seen
      ? approvalFor(who, opts.overrideBy, opts.reason, {
        refusal: `Order #${order.number} was already sent to the kitchen: cancelling it needs a manager's approval and a reason`,
        askReason: "Say why the order is cancelled",
      })
      : null;
    const reason = approval?.reason ?? checkedReason(opts.reason);
    const live = order.lines.filter((l) => !l.voidedAt);
    if (seen) await q.voidLines(tx, restaurantId, live.map((l) => l.id), approval!.reason, approval!.approver.userId);
    await recordAudit(tx, {
      restaurantId, action: approval?.overridden ? "order.cancel_override" : "order.cancel", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId, number: order.number, from: order.status, to: "cancelled", reason, seenByKitchen: seen, requestedBy: who.userId, approvedBy: approval?.approver.userId ?? who.userId },
    });
    const stationIds = [...new Set(live.flatMap((l) => l.stations.map((s) => s.stationId)))];
    return { status: "cancelled", event: { from: order.status, to: "cancelled", stationIds } };
  });
}

/**
 * A discount, by a manager or approved by one: `overrideBy` is the manager whose PIN was typed at the till
 * for someone who may not discount. Either way it is one transaction with one audit row naming both.
 */
export async function applyDiscount(db: Db, restaurantId: string, orderId: string, version: number | null, discount: Discount | null, rawReason: string | null, who: OrderActor,
  opts: { overrideBy?: Override } = {}) {
  const approver = allows(who.actor, "orders.discount") ? { userId: who.userId, actor: who.actor } : opts.overrideBy ?? null;
  if (!approver || !allows(approver.actor, "orders.discount")) throw forbidden("Discounts need a manager");
  const reason = optionalText(rawReason, "reason", { label: "The reason", max: LIMITS.reason });
  if (discount && !reason) throw badRequest("Say why the discount is given", "reason");
  if (discount?.kind === "percent" && (!Number.isInteger(discount.bps) || discount.bps < 1 || discount.bps > 10_000)) throw badRequest("A percent discount must be between 0.01% and 100%", "percent");
  if (discount?.kind === "amount" && (!Number.isInteger(discount.cents) || discount.cents < 1)) throw badRequest("A discount amount must be positive", "amount");
  return applyOrderChange(db, restaurantId, orderId, version, "order.updated", async (tx, order) => {
    assertEditable(order);
    await guardPaidCheck(tx, restaurantId, order, who, "discount");
    const cents = discount ? totalsFor(order.lines, false, discount).discountCents : 0;
    const overridden = approver === opts.overrideBy;
    await recordAudit(tx, {
      restaurantId, action: overridden ? "order.discount_override" : "order.discount", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { orderId, discount, reason, cents, requestedBy: who.userId, approvedBy: approver.userId },
    });
    return { discount: { cents, reason } };
  });
}

/**
 * An explicit status change from the API; recall is its own, audited, move, and cancelling goes through
 * cancelOrder's rules (a reason, and a manager once the kitchen has seen the order).
 */
export async function transitionOrder(db: Db, restaurantId: string, orderId: string, to: OrderStatus, version: number | null, who: OrderActor,
  opts: { recall?: boolean; reason?: string | null; overrideBy?: Override } = {}) {
  if (to === "cancelled" && !opts.recall) return cancelOrder(db, restaurantId, orderId, version, who, opts);
  if (!allows(who.actor, opts.recall ? "orders.recall" : "orders.transition")) throw forbidden();
  return moveOrder(db, restaurantId, orderId, to, version, who, opts);
}

/** An explicit move of the order's status (the caller checked the permission): the state machine decides. */
export async function moveOrder(db: Db, restaurantId: string, orderId: string, to: OrderStatus, version: number | null, who: OrderActor, opts: { recall?: boolean }) {
  return applyOrderChange(db, restaurantId, orderId, version, "order.status", async (tx, order, restaurant) => {
    const check = checkTransition(order.status, to, opts);
    if (!check.ok) throw conflict(check.message, "to");
    if (to === "sent" && !order.lines.some((l) => !l.voidedAt)) throw conflict("An order with no items cannot be sent", "to");
    if (to === "sent") {
      const pending = order.lines.filter((l) => !l.firedAt && !l.voidedAt && !l.held);
      await fireLines(tx, restaurantId, order, pending, await routingFor(tx, restaurantId, restaurant.taxRateBps, pending), 1);
    }
    if (check.recall) {
      await recordAudit(tx, { restaurantId, action: "order.recall", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data: { orderId, number: order.number, from: order.status, to } });
    }
    return { status: to, event: { from: order.status, to, recall: check.recall } };
  });
}

/** The status the order's live (non-voided) lines call for, from the status it had. */
export function liveStatus(current: OrderStatus, order: OrderView): OrderStatus {
  return orderStatusFromLines(current, order.lines.filter((l) => !l.voidedAt).map((l) => ({ fired: !!l.firedAt, stations: l.stations.map((s) => s.status) })));
}

/** Orders by id (for live fragments): one read for a whole batch of events. */
export async function loadOrdersByIds(db: Db, restaurantId: string, ids: string[]): Promise<OrderView[]> {
  if (!ids.length) return [];
  return withTenant(db, restaurantId, async (tx) => loadViews(tx, restaurantId, await q.ordersByIds(tx, restaurantId, ids)));
}

/** Orders with their lines and progress, by id, in the caller's transaction. */
export async function viewsByIds(tx: Tx, restaurantId: string, ids: string[]): Promise<OrderView[]> {
  return ids.length ? loadViews(tx, restaurantId, await q.ordersByIds(tx, restaurantId, ids)) : [];
}

/** One order with its lines, in the caller's transaction (null when this restaurant has no such order). */
export async function viewOf(tx: Tx, restaurantId: string, orderId: string): Promise<OrderView | null> {
  const row = await q.findOrder(tx, restaurantId, orderId);
  return row ? loadView(tx, restaurantId, row) : null;
}

// The hub hands the same batch (the same array) to every screen group of a restaurant: the orders it
// touched are read once per batch for every station, expo and the POS, not once per screen.
const batchReads = new WeakMap<object, Promise<OrderView[]>>();

/** The orders a batch of events touched, read once per batch however many live renderers ask. */
export function ordersTouchedBy(db: Db, restaurantId: string, events: StoredEvent[]): Promise<OrderView[]> {
  let pending = batchReads.get(events);
  if (!pending) batchReads.set(events, (pending = loadOrdersByIds(db, restaurantId, touchedOrders(events))));
  return pending;
}

/** The order ids a batch of events touched (every order and kitchen event carries one). */
export function touchedOrders(events: StoredEvent[]): string[] {
  return [...new Set(events.map(orderIdOf).filter((id): id is string => id !== null))];
}

/**
 * Line progress at a station, written only inside an order change (applyOrderChange's apply): the kitchen
 * decides which lines, the engine writes them and derives the order's status from them.
 */
export const stationProgress = {
  /** Sets lines at a station to ready (bump) or new (recall); returns the ids that changed. */
  set: (tx: Tx, restaurantId: string, stationId: string, lineIds: string[], status: "new" | "ready") => q.setStationLineStatus(tx, restaurantId, stationId, lineIds, status),
  /** A station that bumps part of a ticket has started the rest of it: its new lines there are cooking. */
  startRest: (tx: Tx, restaurantId: string, stationId: string, orderId: string) => q.startRestAtStation(tx, restaurantId, stationId, orderId),
  /** A cook at the station has seen these voided lines. */
  acknowledgeVoids: (tx: Tx, restaurantId: string, stationId: string, lineIds: string[]) => q.acknowledgeVoids(tx, restaurantId, stationId, lineIds),
};
