/**
 * The order state machine, in one table. Anything not listed is refused with a message that says
 * where the order is and where it may go. "recall" moves are explicit and audited by the service.
 */
export const ORDER_STATUSES = ["open", "sent", "preparing", "ready", "completed", "cancelled"] as const;
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

/** The order's kitchen status follows its lines: any started -> preparing, all ready -> ready. */
export function orderStatusFromLines(current: OrderStatus, lines: LineStatus[]): OrderStatus {
  if (FINAL_STATUSES.includes(current) || current === "open" || lines.length === 0) return current;
  if (lines.every((l) => l === "ready")) return "ready";
  if (lines.some((l) => l !== "new")) return "preparing";
  return current === "ready" ? "preparing" : current;
}
