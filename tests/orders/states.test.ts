import { describe, expect, it } from "bun:test";
import { checkTransition, nextLineStatus, ORDER_STATUSES, orderStatusFromLines, type OrderStatus } from "../../src/orders/states";

const LEGAL: [OrderStatus, OrderStatus][] = [
  ["open", "sent"], ["open", "cancelled"], ["sent", "preparing"], ["sent", "ready"], ["sent", "cancelled"],
  ["preparing", "ready"], ["preparing", "cancelled"], ["ready", "completed"], ["ready", "cancelled"],
];

describe("order state machine", () => {
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const legal = LEGAL.some(([f, t]) => f === from && t === to);
      it(`${legal ? "allows" : "refuses"} ${from} -> ${to}`, () => {
        const check = checkTransition(from, to);
        expect(check.ok).toBe(legal);
        if (!check.ok) expect(check.message.length).toBeGreaterThan(10);
      });
    }
  }

  it("says a final order cannot change", () => {
    const check = checkTransition("completed", "open");
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain("completed; it cannot change");
  });

  it("allows recall only one step back from ready or completed", () => {
    expect(checkTransition("ready", "preparing", { recall: true })).toEqual({ ok: true, recall: true });
    expect(checkTransition("completed", "ready", { recall: true })).toEqual({ ok: true, recall: true });
    expect(checkTransition("completed", "open", { recall: true }).ok).toBe(false);
    expect(checkTransition("cancelled", "ready", { recall: true }).ok).toBe(false);
    expect(checkTransition("ready", "preparing").ok).toBe(false);
  });

  it("derives the kitchen status from the lines", () => {
    expect(orderStatusFromLines("sent", ["new", "new"])).toBe("sent");
    expect(orderStatusFromLines("sent", ["ready", "new"])).toBe("preparing");
    expect(orderStatusFromLines("preparing", ["ready", "ready"])).toBe("ready");
    expect(orderStatusFromLines("ready", ["ready", "new"])).toBe("preparing"); // an addition was fired
    expect(orderStatusFromLines("completed", ["new"])).toBe("completed");
    expect(orderStatusFromLines("open", ["new"])).toBe("open");
    expect(nextLineStatus("new")).toBe("ready");
    expect(nextLineStatus("ready")).toBeNull();
  });
});
