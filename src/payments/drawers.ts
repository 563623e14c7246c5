import type { Db } from "../db/client";
import type { EventData, EventType } from "../realtime/catalogue";
import { withTenant, type Tx } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { recordAudit } from "../audit/service";
import { appendEvent } from "../realtime/events";
import { badRequest, conflict, forbidden, notFound, unprocessable } from "../http/errors";
import { allows } from "../auth/permissions";
import { formatMoney } from "../money";
import type { OrderActor } from "../orders/service";
import { TAKEN_STATES } from "./states";
import * as q from "./queries";

const MAX_CASH = 100_000_000;

export type DrawerFigures = {
  floatCents: number; cashTakenCents: number; cashRefundedCents: number; payInsCents: number; payOutsCents: number;
  expectedCents: number; noSales: number;
};
export type DrawerReport = { drawer: q.DrawerRow; figures: DrawerFigures } & Awaited<ReturnType<typeof q.drawerActivity>> & { names: Map<string, string> };

/**
 * Expected cash = float + cash taken - cash refunded + pay-ins - pay-outs. Cash taken is what stayed in
 * the till (amount + tip; the change went back). Voided or failed tenders and card tenders never count.
 */
export function drawerFigures(drawer: q.DrawerRow, activity: Awaited<ReturnType<typeof q.drawerActivity>>): DrawerFigures {
  const cashTakenCents = activity.taken.filter((p) => TAKEN_STATES.includes(p.status)).reduce((s, p) => s + p.amountCents + p.tipCents, 0);
  const cashRefundedCents = activity.refunds.reduce((s, r) => s + r.amountCents, 0);
  const sum = (kind: q.MovementRow["kind"]) => activity.movements.filter((m) => m.kind === kind).reduce((s, m) => s + m.amountCents, 0);
  const payInsCents = sum("pay_in");
  const payOutsCents = sum("pay_out");
  return {
    floatCents: drawer.floatCents, cashTakenCents, cashRefundedCents, payInsCents, payOutsCents,
    expectedCents: drawer.floatCents + cashTakenCents - cashRefundedCents + payInsCents - payOutsCents,
    noSales: activity.movements.filter((m) => m.kind === "no_sale").length,
  };
}

function cash(v: unknown, field: string, opts: { zeroOk?: boolean } = {}): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw badRequest(`${field}: enter an amount`, field);
  if (!Number.isInteger(v)) throw badRequest(`${field} has more decimals than the currency`, field);
  if (v < 0 || (v === 0 && !opts.zeroOk)) throw badRequest(`${field} must be more than zero`, field);
  if (v > MAX_CASH) throw badRequest(`${field} is far too large; check the amount`, field);
  return v;
}

function tillOf(who: OrderActor): string {
  if (!allows(who.actor, "drawers.operate")) throw forbidden();
  if (!who.deviceId) throw conflict("A cash drawer belongs to a POS device: sign on at the POS with your PIN", "drawer");
  return who.deviceId;
}

type DrawerEvent = Extract<EventType, `drawer.${string}`>;
const MOVEMENT_EVENTS = { pay_in: "drawer.pay_in", pay_out: "drawer.pay_out", no_sale: "drawer.no_sale" } as const satisfies Record<string, DrawerEvent>;

async function audit<K extends DrawerEvent>(tx: Tx, restaurantId: string, who: OrderActor, action: K, data: EventData<K>) {
  await recordAudit(tx, { restaurantId, action, actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data });
  await appendEvent(tx, restaurantId, action, data);
}

export async function currentDrawer(db: Db, restaurantId: string, deviceId: string | null): Promise<DrawerReport | null> {
  if (!deviceId) return null;
  return withTenant(db, restaurantId, async (tx) => {
    const drawer = await q.openDrawerOf(tx, restaurantId, deviceId);
    return drawer ? report(tx, restaurantId, drawer) : null;
  });
}

async function report(tx: Tx, restaurantId: string, drawer: q.DrawerRow): Promise<DrawerReport> {
  const activity = await q.drawerActivity(tx, restaurantId, drawer.id);
  const names = await q.userNames(tx, [drawer.openedBy, drawer.closedBy, ...activity.taken.map((t) => t.takenBy), ...activity.movements.map((m) => m.byUser), ...activity.refunds.map((r) => r.byUser)].filter((x): x is string => !!x));
  return { drawer, figures: drawerFigures(drawer, activity), ...activity, names };
}

export async function drawerReport(db: Db, restaurantId: string, drawerId: string): Promise<DrawerReport> {
  return withTenant(db, restaurantId, async (tx) => {
    const drawer = await q.findDrawer(tx, restaurantId, drawerId);
    if (!drawer) throw notFound("No such drawer");
    return report(tx, restaurantId, drawer);
  });
}

export async function listDrawers(db: Db, restaurantId: string, limit = 100) {
  return withTenant(db, restaurantId, async (tx) => {
    const drawers = await q.listDrawers(tx, restaurantId, limit);
    return Promise.all(drawers.map((d) => report(tx, restaurantId, d)));
  });
}

/** Opens this device's drawer with a counted float; the database allows one open drawer per device. */
export async function openDrawer(db: Db, restaurantId: string, floatRaw: unknown, who: OrderActor) {
  const deviceId = tillOf(who);
  const floatCents = cash(floatRaw, "floatCents", { zeroOk: true });
  try {
    return await withTenant(db, restaurantId, async (tx) => {
      if (await q.openDrawerOf(tx, restaurantId, deviceId)) throw conflict("A drawer is already open on this POS; close it first", "floatCents");
      const drawer = await q.insertDrawer(tx, { restaurantId, deviceId, floatCents, openedBy: who.userId });
      await audit(tx, restaurantId, who, "drawer.opened", { drawerId: drawer.id, floatCents });
      return drawer;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("A drawer is already open on this POS; close it first", "floatCents");
    throw error;
  }
}

/** Pay-in, pay-out (with a reason) or a recorded "no sale" open of this device's drawer. */
export async function drawerMovement(db: Db, restaurantId: string, kind: q.MovementRow["kind"], input: { amountCents?: unknown; reason?: unknown }, who: OrderActor) {
  const deviceId = tillOf(who);
  if (!["pay_in", "pay_out", "no_sale"].includes(kind)) throw badRequest("Choose pay in, pay out or no sale", "kind");
  const amountCents = kind === "no_sale" ? 0 : cash(input.amountCents, "amountCents");
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (kind !== "no_sale" && !reason) throw badRequest(`Say why the cash is ${kind === "pay_in" ? "put in" : "taken out"}`, "reason");
  if (reason.length > 200) throw badRequest("The reason must be at most 200 characters", "reason");
  return withTenant(db, restaurantId, async (tx) => {
    const drawer = await q.openDrawerOf(tx, restaurantId, deviceId, { lock: true });
    if (!drawer) throw conflict("No drawer is open on this POS", "drawer");
    if (kind === "pay_out") {
      const { expectedCents } = drawerFigures(drawer, await q.drawerActivity(tx, restaurantId, drawer.id));
      if (amountCents > expectedCents) throw unprocessable(`The drawer should hold only ${formatMoney(expectedCents, await currencyOf(tx, restaurantId))}`, "amountCents");
    }
    const movement = await q.insertMovement(tx, { restaurantId, drawerId: drawer.id, kind, amountCents, reason: reason || null, byUser: who.userId });
    await audit(tx, restaurantId, who, MOVEMENT_EVENTS[kind], { drawerId: drawer.id, amountCents, reason: reason || null });
    return movement;
  });
}

async function currencyOf(tx: Tx, restaurantId: string) {
  return (await q.moneySettings(tx, restaurantId))?.currency ?? "USD";
}

export type Count = { countedCents?: unknown; denominations?: unknown; note?: unknown };

/** The counted total, from a total or from pieces per denomination ({ "2000": 3 } = three 20.00 notes). */
export function readCount(count: Count): { countedCents: number; denominations: Record<string, number> | null } {
  if (count.denominations != null) {
    if (typeof count.denominations !== "object" || Array.isArray(count.denominations)) throw badRequest("denominations: give pieces per denomination", "denominations");
    const entries = Object.entries(count.denominations as Record<string, unknown>).filter(([, n]) => n !== 0 && n !== "" && n != null);
    let total = 0;
    const clean: Record<string, number> = {};
    for (const [value, pieces] of entries) {
      const v = Number(value);
      const n = Number(pieces);
      if (!Number.isInteger(v) || v <= 0) throw badRequest(`denominations: ${value} is not a denomination`, "denominations");
      if (!Number.isInteger(n) || n < 0 || n > 100_000) throw badRequest(`denominations: enter a whole number of pieces for ${value}`, `denominations.${value}`);
      clean[value] = n;
      total += v * n;
    }
    return { countedCents: cash(total, "countedCents", { zeroOk: true }), denominations: clean };
  }
  return { countedCents: cash(count.countedCents, "countedCents", { zeroOk: true }), denominations: null };
}

/**
 * Closes a drawer with its count: expected, over or short are fixed on the row and it never changes
 * again. The row lock makes a close and a cash tender on the same drawer take turns.
 */
export async function closeDrawer(db: Db, restaurantId: string, drawerId: string, count: Count, who: OrderActor) {
  if (!allows(who.actor, "drawers.operate")) throw forbidden();
  const { countedCents, denominations } = readCount(count);
  const note = typeof count.note === "string" ? count.note.trim().slice(0, 500) : "";
  return withTenant(db, restaurantId, async (tx) => {
    const drawer = await q.findDrawer(tx, restaurantId, drawerId, { lock: true });
    if (!drawer) throw notFound("No such drawer");
    if (drawer.status === "closed") throw conflict("This drawer is already closed; a closed drawer cannot change", "drawer");
    if (drawer.deviceId !== who.deviceId && !allows(who.actor, "drawers.review")) throw forbidden("This drawer belongs to another POS: close it there, or ask a manager");
    const { expectedCents } = drawerFigures(drawer, await q.drawerActivity(tx, restaurantId, drawer.id));
    const closed = await q.closeDrawerRow(tx, restaurantId, drawer.id, {
      closedBy: who.userId, closedAt: new Date(), countedCents, countedDenominations: denominations, expectedCents,
      overShortCents: countedCents - expectedCents, closeNote: note || null,
    });
    if (!closed) throw conflict("This drawer is already closed; a closed drawer cannot change", "drawer");
    await audit(tx, restaurantId, who, "drawer.closed", { drawerId, countedCents, expectedCents, overShortCents: countedCents - expectedCents });
    return report(tx, restaurantId, closed);
  });
}
