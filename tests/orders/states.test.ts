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
    const fired = (...stations: ("new" | "cooking" | "ready")[]) => ({ fired: true, stations });
    expect(orderStatusFromLines("sent", [fired("new"), fired("new")])).toBe("sent");
    expect(orderStatusFromLines("sent", [fired("ready"), fired("new")])).toBe("preparing");
    expect(orderStatusFromLines("preparing", [fired("ready"), fired("ready")])).toBe("ready");
    expect(orderStatusFromLines("ready", [fired("ready"), fired("new")])).toBe("preparing"); // an addition was fired
    expect(orderStatusFromLines("completed", [fired("new")])).toBe("completed");
    expect(orderStatusFromLines("open", [{ fired: false, stations: [] }])).toBe("open");
    expect(orderStatusFromLines("open", [fired("new")])).toBe("sent"); // the first fire sends it
  });

  const fired = (...stations: ("new" | "cooking" | "ready")[]) => ({ fired: true, stations });

  it("regression: voiding the last unfinished line leaves the order ready, not preparing for ever", () => {
    // The voided line is not live: what is left is all ready.
    expect(orderStatusFromLines("preparing", [fired("ready")])).toBe("ready");
  });

  it("cancels an order the kitchen has seen once every line is voided, and leaves an open one open", () => {
    expect(orderStatusFromLines("preparing", [])).toBe("cancelled");
    expect(orderStatusFromLines("ready", [])).toBe("cancelled");
    expect(orderStatusFromLines("open", [])).toBe("open");
  });

  it("waits as sent when only a held course is left live, and counts a line routed nowhere as ready", () => {
    expect(orderStatusFromLines("preparing", [{ fired: false, stations: [] }])).toBe("sent");
    expect(orderStatusFromLines("sent", [fired()])).toBe("ready");
  });

  it("moves a line forward one step", () => {
    expect(nextLineStatus("new")).toBe("ready");
    expect(nextLineStatus("ready")).toBeNull();
  });
});
