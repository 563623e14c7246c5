import { orderStatusEnum } from "../db/schema/orders";

/**
 * The order state machine, in one table. Anything not listed is refused with a message that says
 * where the order is and where it may go. "recall" moves are explicit and audited by the service.
 */
/** The statuses, in their order, from the schema's enum (one definition: src/db/schema/orders.ts). */
export const ORDER_STATUSES = orderStatusEnum.enumValues;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const FINAL_STATUSES: readonly OrderStatus[] = ["completed", "cancelled"];

const FORWARD: Record<OrderStatus, OrderStatus[]> = {
  open: ["sent", "cancelled"],
  sent: ["preparing", "ready", "cancelled"],
  preparing: ["ready", "cancelled"],
  ready: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

/** Recall: the kitchen or expo brings an order back one step (e.g. the guest sent a plate back). */
const RECALL: Partial<Record<OrderStatus, OrderStatus>> = { ready: "preparing", completed: "ready" };

export type TransitionCheck = { ok: true; recall: boolean } | { ok: false; message: string };

export function checkTransition(from: OrderStatus, to: OrderStatus, opts: { recall?: boolean } = {}): TransitionCheck {
  if (!ORDER_STATUSES.includes(to)) return { ok: false, message: `Unknown status "${to}"` };
  if (from === to) return { ok: false, message: `The order is already ${from}` };
  if (opts.recall) {
    return RECALL[from] === to ? { ok: true, recall: true } : { ok: false, message: `A ${from} order cannot be recalled to ${to}` };
  }
  if (FINAL_STATUSES.includes(from)) return { ok: false, message: `The order is ${from}; it cannot change any more` };
  if (FORWARD[from].includes(to)) return { ok: true, recall: false };
  return { ok: false, message: `An order that is ${from} cannot go to ${to} (allowed: ${FORWARD[from].join(", ")})` };
}

export const LINE_STATUSES = ["new", "cooking", "ready"] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** A kitchen bump moves a line forward one step; new can jump straight to ready (one-touch bump). */
export function nextLineStatus(from: LineStatus): LineStatus | null {
  return from === "new" ? "ready" : from === "cooking" ? "ready" : null;
}

/** What the status rule sees of one live (non-voided) line: fired or not, and its progress at each station. */
export type LiveLine = { fired: boolean; stations: LineStatus[] };

/**
 * The order's status follows from its live lines, after every change (void, bump, recall, fire, addition):
 * - completed and cancelled stay (only an explicit, audited recall reopens an order);
 * - nothing live left on an order the kitchen has seen (every line voided): cancelled;
 * - nothing fired and live: an open order stays open, a sent one (only held courses left) waits as sent;
 * - every fired line ready at every station: ready (a fired line routed to no station has nothing to cook);
 * - anything started or done: preparing; otherwise the order is sent.
 */
export function orderStatusFromLines(current: OrderStatus, live: LiveLine[]): OrderStatus {
  if (FINAL_STATUSES.includes(current)) return current;
  if (live.length === 0) return current === "open" ? "open" : "cancelled";
  const fired = live.filter((l) => l.fired);
  if (fired.length === 0) return current === "open" ? "open" : "sent";
  const statuses = fired.flatMap((l): LineStatus[] => (l.stations.length ? l.stations : ["ready"]));
  if (statuses.every((s) => s === "ready")) return "ready";
  if (statuses.some((s) => s !== "new")) return "preparing";
  return current === "open" || current === "sent" ? "sent" : "preparing";
}
