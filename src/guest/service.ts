import { createHmac } from "node:crypto";
import type { AppContext } from "../context";
import { withSystem, withTenant } from "../db/tenant";
import { HttpError, conflict, notFound } from "../http/errors";
import { sha256 } from "../auth/secrets";
import type { Device, Restaurant } from "../auth/service";
import { recordAudit } from "../audit/service";
import { appendEvent } from "../realtime/events";
import { findRestaurantById } from "../restaurants/queries";
import { loadOrderableItems, loadPosMenu, type PosMenu } from "../menu/service";
import { snapshotLines } from "../orders/validation";
import { addItems, fireOrder, getOrder, placeOrder, removeLine, requestHash, type OrderActor, type OrderView } from "../orders/service";
import { getPayableOrder } from "../payments/service";
import { cardTokenOf, kioskCardReady, payKioskOrderByCard } from "./card";
import { FINAL_STATUSES } from "../orders/states";
import { checkPageToken, issuePageToken, TABLE_TOKEN, ORDER_TOKEN, newTableToken } from "./tokens";
import { parseCheckout } from "./input";
import { requiredText } from "../text";
import * as q from "./queries";

export type { GuestSettings, GuestTable, GuestOrder } from "./queries";

/** A refusal a guest reads as a whole page (a dead QR code, a closed table): plain words, no way in. */
export class GuestRefusal extends HttpError {
  constructor(status: number, readonly title: string, message: string) {
    super(status, "guest_refused", message);
  }
}

const deadCode = () => new GuestRefusal(404, "This QR code is not in use", "This code is no longer valid for ordering. Please ask a member of staff, who can help you order.");

/** Where a guest is ordering from, resolved once per request from a kiosk's device or a table's token. */
export type GuestPlace =
  | { kind: "kiosk"; restaurant: Restaurant; device: Device }
  | { kind: "table"; restaurant: Restaurant; table: q.GuestTable };

export const placeSubject = (p: GuestPlace) => p.kind === "kiosk" ? `kiosk:${p.device.id}` : `table:${p.table.id}:${p.table.token}`;
/** The rate-limit key of a place: the kiosk, or the table (its current token). */
export const placeKey = (p: GuestPlace) => p.kind === "kiosk" ? `kiosk:${p.device.id}` : `table:${p.table.id}`;

async function restaurantOf(ctx: AppContext, id: string): Promise<Restaurant> {
  const restaurant = await withSystem(ctx.database.db, (tx) => findRestaurantById(tx, id));
  if (!restaurant) throw deadCode();
  return restaurant;
}

/** A table's QR token: unknown, rotated and closed tables each get a page saying so. */
export async function resolveTable(ctx: AppContext, token: string): Promise<GuestPlace & { kind: "table" }> {
  if (!TABLE_TOKEN.test(token)) throw deadCode();
  // One short owner transaction: the token names the restaurant, before any tenant is known.
  const found = await withSystem(ctx.database.db, async (tx) => {
    const table = await q.tableByToken(tx, token);
    return table ? { table, restaurant: await findRestaurantById(tx, table.restaurantId) } : null;
  });
  if (!found?.restaurant) throw deadCode();
  const { table, restaurant } = found;
  if (!table.open) throw new GuestRefusal(409, `Ordering at table ${table.label} is closed`, "Ordering from your phone is closed at this table right now. A member of staff will take your order.");
  return { kind: "table", restaurant, table };
}

/** The kiosk in front of the guest: this browser must be enrolled as one (a live device of kind kiosk). */
export async function resolveKiosk(ctx: AppContext, device: Device | null): Promise<GuestPlace & { kind: "kiosk" }> {
  if (!device || device.kind !== "kiosk") {
    throw new GuestRefusal(403, "This screen is not a kiosk", "This screen is not set up as a guest kiosk. A manager can enrol it under Admin, Stations and devices.");
  }
  return { kind: "kiosk", restaurant: await restaurantOf(ctx, device.restaurantId), device };
}

export async function guestSettings(ctx: AppContext, restaurantId: string) {
  return withTenant(ctx.database.db, restaurantId, (tx) => q.readSettings(tx, restaurantId));
}

export type GuestMenuPage = { place: GuestPlace; menu: PosMenu; pageToken: string; seq: number; settings: q.GuestSettings };

/** Everything a guest menu page shows, with the page token its checkout must send back. */
export async function loadGuestMenu(ctx: AppContext, place: GuestPlace): Promise<GuestMenuPage> {
  const rid = place.restaurant.id;
  const [menu, settings, seq] = await Promise.all([
    withTenant(ctx.database.db, rid, (tx) => loadPosMenu(tx, rid, place.restaurant.taxRateBps)),
    guestSettings(ctx, rid),
    ctx.bus.currentSeq(rid),
  ]);
  return { place, menu, settings, seq, pageToken: issuePageToken(ctx.config.sessionSecret, placeSubject(place)) };
}

function assertPageToken(ctx: AppContext, place: GuestPlace, token: unknown) {
  const check = checkPageToken(ctx.config.sessionSecret, placeSubject(place), token);
  if (check === "missing") throw new HttpError(403, "guest_page_token", "This order did not come from our menu page. Reload the menu and try again.", "pageToken");
  if (check === "expired") throw new HttpError(403, "guest_page_token", "This menu page has expired. Reload the menu and try again; your order was not placed.", "pageToken");
  if (check === "invalid") throw new HttpError(403, "guest_page_token", "This menu page is not valid here (another table or kiosk, or a code that was replaced). Scan the code on your table again.", "pageToken");
}

/**
 * The token of a guest order's live page, derived from its idempotency key: a retried checkout gets the
 * same page back without the raw token ever being stored (the row keeps only its SHA-256).
 */
function orderToken(ctx: AppContext, restaurantId: string, key: string) {
  return createHmac("sha256", ctx.config.sessionSecret).update(`guest-order|${restaurantId}|${key}`).digest("base64url");
}

export type CheckoutResult = { token: string; number: number; replayed: boolean };

const guestActor = (place: GuestPlace, ip: string | null): OrderActor => ({ actor: "guest", userId: null, deviceId: place.kind === "kiosk" ? place.device.id : null, ip });

/** A kiosk checkout: one order through the order engine, held for the counter unless the rules say fire now. */
export async function checkoutAtKiosk(ctx: AppContext, place: GuestPlace & { kind: "kiosk" }, body: unknown, ip: string | null): Promise<CheckoutResult> {
  assertPageToken(ctx, place, (body as { pageToken?: unknown } | null)?.pageToken);
  const input = parseCheckout(body, { needsName: true });
  const rid = place.restaurant.id;
  if (input.payment === "card" && !(await kioskCardReady(ctx, rid))) throw new HttpError(422, "unprocessable", "Card payment is not set up at this kiosk yet. Choose Pay at the counter.", "payment");
  if (input.payment === "card") cardTokenOf(body);
  const key = `guest:kiosk:${place.device.id}:${input.idempotencyKey}`;
  const settings = await guestSettings(ctx, rid);
  const { items, name, dining, payment } = input;
  const placed = await placeOrder(ctx.database.db, rid, {
    type: dining === "takeout" ? "takeout" : "kiosk", table: null, guests: null,
    note: `Kiosk · ${name} · ${dining === "takeout" ? "take out" : "eat in"}${payment === "counter" ? " · pay at counter" : ""}`,
    items, fire: settings.fireBeforePayment && payment === "counter", idempotencyKey: key,
  }, guestActor(place, ip), requestHash({ items, name, dining, payment }));
  const token = orderToken(ctx, rid, key);
  await withTenant(ctx.database.db, rid, async (tx) => {
    const row = await q.insertGuestOrder(tx, {
      restaurantId: rid, orderId: placed.order.id, source: "kiosk", deviceId: place.device.id, name,
      state: "awaiting_payment", payment, token: sha256(token), idempotencyKey: key, lineCount: placed.order.lines.length,
      lineIds: placed.order.lines.map((l) => l.id),
    });
    if (!row) return;
    await recordAudit(tx, { restaurantId: rid, action: "guest.kiosk_order", deviceId: place.device.id, ip, data: { orderId: placed.order.id, number: placed.order.number, payment } });
    await appendEvent(tx, rid, "guest.order", { orderId: placed.order.id, number: placed.order.number, guestOrderId: row.id, state: row.state });
  });
  // Also on a replay: a resubmit after a decline retries the charge; after a success it charges nothing.
  if (payment === "card") await payKioskOrderByCard(ctx, rid, placed.order.id, key, body, guestActor(place, ip));
  return { token, number: placed.order.number, replayed: placed.replayed };
}

/**
 * A round from a table's phone: onto the table's open check (a new check when there is none), then to
 * the kitchen at once or after a server confirms it. The guest's lines are checked against the live
 * menu before anything is written, so a bad round changes nothing.
 */
export async function orderAtTable(ctx: AppContext, place: GuestPlace & { kind: "table" }, body: unknown, ip: string | null): Promise<CheckoutResult> {
  assertPageToken(ctx, place, (body as { pageToken?: unknown } | null)?.pageToken);
  const input = parseCheckout(body, { needsName: false });
  const db = ctx.database.db;
  const rid = place.restaurant.id;
  const key = `guest:table:${place.table.id}:${input.idempotencyKey}`;
  const token = orderToken(ctx, rid, key);
  // One read-only transaction first: a replay, the menu rules (86, inactive, modifiers: a bad round is
  // refused before a check is opened), the rules of the house and the table's newest check.
  const pre = await withTenant(db, rid, async (tx) => {
    const seen = await q.findGuestOrderByKey(tx, rid, key);
    if (seen) return { replay: await q.orderNumber(tx, rid, seen.orderId) };
    snapshotLines(input.items, await loadOrderableItems(tx, rid, place.restaurant.taxRateBps, input.items.map((i) => i.menuItemId)));
    return { replay: null, settings: await q.readSettings(tx, rid), newest: await q.newestOrderAtTable(tx, rid, place.table.label) };
  });
  if (pre.replay !== null) return { token, number: pre.replay, replayed: true };
  const who = guestActor(place, ip);
  const check = await openCheck(ctx, place, pre.newest ?? null, who);
  // Claim the key before adding lines: a double tap that got here too finds the claim and replays.
  const claim = await withTenant(db, rid, (tx) => q.insertGuestOrder(tx, {
    restaurantId: rid, orderId: check.id, source: "table", tableId: place.table.id, name: input.name,
    state: "placing", payment: "server", token: sha256(token), idempotencyKey: key,
  }));
  if (!claim) return { token, number: check.number, replayed: true };
  let added: OrderView;
  try {
    added = await addItems(db, rid, check.id, null, input.items, who);
  } catch (error) {
    await withTenant(db, rid, (tx) => q.deleteGuestOrder(tx, rid, claim.id));
    throw error;
  }
  const lineIds = [...added.lines].sort((a, b) => a.position - b.position).slice(-input.items.length).map((l) => l.id);
  let state: q.GuestOrder["state"] = "awaiting_confirmation";
  if (!pre.settings!.confirmTableRounds) {
    try {
      await fireOrder(db, rid, check.id, null, who);
      state = "sent";
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // Another phone at the table fired the check between our add and our fire, taking this round's
      // lines with it: they are sent. Otherwise something cannot go (86'd since): the round waits for a
      // server instead of vanishing.
      const now = await getOrder(db, rid, check.id);
      if (lineIds.every((id) => now.lines.find((l) => l.id === id)?.firedAt)) state = "sent";
    }
  }
  await withTenant(db, rid, async (tx) => {
    await q.updateGuestOrder(tx, rid, claim.id, { state, lineIds, lineCount: lineIds.length });
    await appendEvent(tx, rid, "guest.order", { orderId: check.id, number: check.number, guestOrderId: claim.id, state });
    await recordAudit(tx, { restaurantId: rid, action: "guest.table_round", ip, data: { orderId: check.id, table: place.table.label, lines: lineIds.length, state } });
  });
  return { token, number: check.number, replayed: false };
}

/** The table's open check, or a new (empty) one; two phones starting a check at once make one. */
async function openCheck(ctx: AppContext, place: GuestPlace & { kind: "table" }, newest: { id: string; status: OrderView["status"]; number: number } | null, who: OrderActor) {
  const rid = place.restaurant.id;
  if (newest && !FINAL_STATUSES.includes(newest.status)) return { id: newest.id, number: newest.number };
  const placed = await placeOrder(ctx.database.db, rid, {
    type: "dine_in", table: place.table.label, guests: null, note: null, items: [], fire: false, draft: true,
    idempotencyKey: `guest:check:${place.table.id}:${newest?.id ?? "first"}`,
  }, who, null);
  return { id: placed.order.id, number: placed.order.number };
}

// ---- the live "your order" page

export type GuestOrderStatus = { step: "pay" | "confirm" | "received" | "preparing" | "ready" | "done" | "cancelled" | "declined"; label: string };

export async function findGuestOrderByToken(ctx: AppContext, token: string) {
  if (!ORDER_TOKEN.test(token)) throw notFound("There is no order at this address. Check the link, or ask a member of staff.");
  const row = await withSystem(ctx.database.db, (tx) => q.guestOrderByTokenHash(tx, sha256(token)));
  if (!row || row.state === "placing") throw notFound("There is no order at this address. Check the link, or ask a member of staff.");
  return row;
}

/** What a guest's order page says: derived from the order's own status and the guest part's state. */
export function statusOf(guest: q.GuestOrder, order: OrderView): GuestOrderStatus {
  if (order.status === "cancelled") return { step: "cancelled", label: "Cancelled. Please ask a member of staff." };
  if (guest.state === "declined") return { step: "declined", label: "Not sent: a member of staff will come and talk to you." };
  const mine = guest.source === "table" ? order.lines.filter((l) => guest.lineIds.includes(l.id)) : order.lines;
  const live = mine.filter((l) => !l.voidedAt);
  const fired = live.filter((l) => l.firedAt);
  if (guest.state === "awaiting_payment" && !fired.length) return { step: "pay", label: "Please pay at the counter: your order goes to the kitchen once it is paid." };
  if (guest.state === "awaiting_confirmation" && !fired.length) return { step: "confirm", label: "Received: your server will confirm it in a moment." };
  const stationStates = fired.flatMap((l) => l.stations.map((s) => s.status));
  if (order.status === "completed") return { step: "done", label: "Collected. Enjoy your meal!" };
  if (fired.length && stationStates.every((s) => s === "ready")) return { step: "ready", label: guest.source === "kiosk" ? "Ready! Please collect it at the counter." : "Ready: it is on its way to your table." };
  if (stationStates.some((s) => s !== "new")) return { step: "preparing", label: "Preparing your order." };
  return { step: "received", label: "Received: the kitchen has your order." };
}

export async function loadGuestOrder(ctx: AppContext, guest: q.GuestOrder) {
  const [order, restaurant] = await Promise.all([getOrder(ctx.database.db, guest.restaurantId, guest.orderId), restaurantOf(ctx, guest.restaurantId)]);
  return { guest, order, restaurant, status: statusOf(guest, order), seq: await ctx.bus.currentSeq(guest.restaurantId) };
}

// ---- staff: the guest desk (cashier and servers)

type Staff = { restaurantId: string; who: OrderActor };

export async function loadDesk(ctx: AppContext, restaurantId: string) {
  const rows = await withTenant(ctx.database.db, restaurantId, (tx) => q.waitingAtDesk(tx, restaurantId));
  const orders = await Promise.all(rows.map((r) => getPayableOrder(ctx.database.db, restaurantId, r.orderId)));
  return rows.map((guest, i) => ({ guest, order: orders[i]! }));
}

async function deskRow(ctx: AppContext, s: Staff, guestOrderId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(guestOrderId)) throw notFound("No such guest order here.");
  const row = await withTenant(ctx.database.db, s.restaurantId, (tx) => q.findGuestOrder(tx, s.restaurantId, guestOrderId));
  if (!row) throw notFound("No such guest order here.");
  return row;
}

/** A server sends a table round to the kitchen. */
export async function confirmRound(ctx: AppContext, s: Staff, guestOrderId: string) {
  const row = await deskRow(ctx, s, guestOrderId);
  if (row.state !== "awaiting_confirmation") throw conflict("This round is not waiting for confirmation any more.");
  const order = await getOrder(ctx.database.db, s.restaurantId, row.orderId);
  if (order.lines.some((l) => row.lineIds.includes(l.id) && !l.firedAt && !l.voidedAt)) await fireOrder(ctx.database.db, s.restaurantId, row.orderId, null, s.who);
  await setState(ctx, s, row, order.number, "sent", "guest.round_confirmed");
}

/** A server declines a table round: its lines leave the check (they were never sent). */
export async function declineRound(ctx: AppContext, s: Staff, guestOrderId: string) {
  const row = await deskRow(ctx, s, guestOrderId);
  if (row.state !== "awaiting_confirmation") throw conflict("This round is not waiting for confirmation any more.");
  const order = await getOrder(ctx.database.db, s.restaurantId, row.orderId);
  for (const line of order.lines.filter((l) => row.lineIds.includes(l.id) && !l.firedAt && !l.voidedAt)) {
    await removeLine(ctx.database.db, s.restaurantId, row.orderId, line.id, null, s.who, { reason: "guest round declined" });
  }
  await setState(ctx, s, row, order.number, "declined", "guest.round_declined");
}

/**
 * A kiosk order paid at the counter goes to the kitchen: only once the payments core says nothing is
 * due. Also the hook the card flow calls when Square confirms a kiosk payment.
 */
export async function releaseAfterPayment(ctx: AppContext, s: Staff, guestOrderId: string) {
  const row = await deskRow(ctx, s, guestOrderId);
  if (row.state !== "awaiting_payment") throw conflict("This order is not waiting for payment any more.");
  const order = await getPayableOrder(ctx.database.db, s.restaurantId, row.orderId);
  if (order.pay.balanceDueCents > 0) throw conflict(`Take the payment first: order #${order.number} still has money due.`, "payment");
  if (order.lines.some((l) => !l.firedAt && !l.voidedAt && !l.held)) await fireOrder(ctx.database.db, s.restaurantId, row.orderId, null, s.who);
  await setState(ctx, s, row, order.number, "sent", "guest.order_released");
}

async function setState(ctx: AppContext, s: Staff, row: q.GuestOrder, number: number, state: q.GuestOrder["state"], action: string) {
  await withTenant(ctx.database.db, s.restaurantId, async (tx) => {
    await q.updateGuestOrder(tx, s.restaurantId, row.id, { state });
    await appendEvent(tx, s.restaurantId, "guest.order", { orderId: row.orderId, number, guestOrderId: row.id, state });
    await recordAudit(tx, { restaurantId: s.restaurantId, action, actorUserId: s.who.userId, deviceId: s.who.deviceId, ip: s.who.ip ?? null, data: { orderId: row.orderId, guestOrderId: row.id } });
  });
}

// ---- managers: tables and their QR codes, and the guest rules

export const listTables = (ctx: AppContext, rid: string) => withTenant(ctx.database.db, rid, (tx) => q.listTables(tx, rid));

export async function addTable(ctx: AppContext, rid: string, rawLabel: unknown, actor: { userId: string | null; ip: string | null }) {
  const label = requiredText(rawLabel, "label", { label: "The table label", max: 20, empty: "Give the table a label of 1 to 20 characters, as the POS names it (like 12 or Patio 3)." });
  const exists = (await listTables(ctx, rid)).some((t) => t.label === label);
  if (exists) throw conflict(`There is already a table ${label}.`, "label");
  return withTenant(ctx.database.db, rid, async (tx) => {
    const table = await q.insertTable(tx, { restaurantId: rid, label, token: newTableToken() });
    await recordAudit(tx, { restaurantId: rid, action: "guest.table_added", actorUserId: actor.userId, ip: actor.ip, data: { tableId: table.id, label } });
    return table;
  });
}

/** New QR token for a table: every printed code and open menu page of the old one stops working. */
export async function rotateTable(ctx: AppContext, rid: string, tableId: string, actor: { userId: string | null; ip: string | null }) {
  return changeTable(ctx, rid, tableId, { token: newTableToken(), rotatedAt: new Date() }, "guest.table_rotated", actor);
}

export async function setTableOpen(ctx: AppContext, rid: string, tableId: string, open: boolean, actor: { userId: string | null; ip: string | null }) {
  return changeTable(ctx, rid, tableId, { open }, open ? "guest.table_opened" : "guest.table_closed", actor);
}

async function changeTable(ctx: AppContext, rid: string, tableId: string, values: Partial<q.GuestTable>, action: string, actor: { userId: string | null; ip: string | null }) {
  if (!/^[0-9a-f-]{36}$/i.test(tableId)) throw notFound("No such table here.");
  return withTenant(ctx.database.db, rid, async (tx) => {
    const table = await q.updateTable(tx, rid, tableId, values);
    if (!table) throw notFound("No such table here.");
    await recordAudit(tx, { restaurantId: rid, action, actorUserId: actor.userId, ip: actor.ip, data: { tableId, label: table.label } });
    return table;
  });
}

export async function saveSettings(ctx: AppContext, rid: string, settings: q.GuestSettings, actor: { userId: string | null; ip: string | null }) {
  await withTenant(ctx.database.db, rid, async (tx) => {
    await q.writeSettings(tx, rid, settings);
    await recordAudit(tx, { restaurantId: rid, action: "guest.settings_saved", actorUserId: actor.userId, ip: actor.ip, data: settings });
  });
}
