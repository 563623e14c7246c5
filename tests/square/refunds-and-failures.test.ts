import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { squareFixture, type SquareFixture } from "./setup";
import { squareEvent } from "../helpers/fake-square";
import { count } from "../payments/setup";

setDefaultTimeout(40_000);

describe("card refunds and Square failures", () => {
  let f: SquareFixture;
  beforeAll(async () => { f = await squareFixture("sq-fail"); }, 60_000);
  afterAll(() => f.close());

  const cardOf = async (id: string) => (await (await f.api(`/api/v1/card-payments/${id}`)).json()) as any;
  const checkoutOf = (paymentId: string) => [...f.fake.checkouts.values()].find((c) => c.reference_id === paymentId)!;
  /** A completed card tender of `tipCents` on a fresh order. */
  const paidByCard = async (tipCents = 100) => {
    const o = await f.place([f.rings(), f.rings()]);
    const { payment } = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    f.fake.complete(checkoutOf(payment.id).id, { tipCents });
    await f.post(`/pos/card-payments/${payment.id}/sync`, {});
    return { o, payment: (await cardOf(payment.id)).payment };
  };

  it("refunds part of a card tender through Square (manager, reason, audited) and the check's balance follows", async () => {
    const { o, payment } = await paidByCard(100);
    const res = await f.post(`/pos/card-payments/${payment.id}/refund`, { amount: "2.00", reason: "cold rings" }, f.manager.cookie);
    expect(res.status).toBe(303);
    const sent = f.fake.requests.filter((r) => r.path === "/v2/refunds").at(-1)!.body!;
    expect(sent).toMatchObject({ payment_id: payment.providerRef ?? expect.any(String), amount_money: { amount: 200, currency: "USD" }, reason: "cold rings" });
    expect(sent.idempotency_key).toStartWith("ros-rf-");
    const card = await cardOf(payment.id);
    expect(card.payment).toMatchObject({ status: "partly_refunded", refundedCents: 200 });
    expect(card.refunds[0]).toMatchObject({ status: "completed", amountCents: 200 });
    const pay = await (await f.api(`/api/v1/orders/${o.id}/payments`)).json() as any;
    expect(pay.balanceDueCents).toBe(200); // the core takes a refund off the amount first, then the tip
    expect(await count(f.db.db, "audit_log where action in ('payment.card_refund_requested', 'payment.refund')")).toBeGreaterThanOrEqual(2);
  });

  it("caps a refund at what was collected, amount plus tip, naming the field, with nothing sent to Square", async () => {
    const { payment } = await paidByCard(100);
    const sent = f.fake.requests.filter((r) => r.path === "/v2/refunds").length;
    const res = await f.post(`/pos/card-payments/${payment.id}/refund`, { amount: "99.00", reason: "too much" }, f.manager.cookie);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("At most $12.96");
    expect(f.fake.requests.filter((r) => r.path === "/v2/refunds").length).toBe(sent);
  });

  it("needs a manager: a server without a manager's PIN is refused", async () => {
    const { payment } = await paidByCard(0);
    const res = await f.post(`/pos/card-payments/${payment.id}/refund`, { amount: "1.00", reason: "x" });
    expect(res.status).toBe(403);
    const ok = await f.post(`/pos/card-payments/${payment.id}/refund`, { amount: "1.00", reason: "x", managerPin: f.managerPin });
    expect(ok.status).toBe(303);
  });

  it("tracks a pending refund until Square completes it, by webhook read back; a failed one counts nowhere", async () => {
    const { payment } = await paidByCard(0);
    f.fake.knobs.refundStatus = "PENDING";
    await f.post(`/pos/card-payments/${payment.id}/refund`, { amount: "3.00", reason: "wrong side" }, f.manager.cookie);
    await f.post(`/pos/card-payments/${payment.id}/refund`, { amount: "1.00", reason: "another" }, f.manager.cookie);
    f.fake.knobs.refundStatus = "COMPLETED";
    let card = await cardOf(payment.id);
    expect(card.refunds.map((r: any) => r.status)).toEqual(["pending", "pending"]);
    expect(card.payment.refundedCents).toBe(0);
    expect((await f.page(`/pos/orders/${card.payment.orderId}/card`)).html).toContain("Refund pending at Square");
    const [first, second] = card.refunds;
    f.fake.settleRefund(first.squareRefundId, "COMPLETED");
    f.fake.settleRefund(second.squareRefundId, "FAILED");
    for (const r of [first, second]) await f.webhook(squareEvent("refund.updated", { id: r.squareRefundId, kind: "refund", value: { id: r.squareRefundId, status: "COMPLETED" } }));
    card = await cardOf(payment.id);
    expect(card.refunds.map((r: any) => r.status)).toEqual(["completed", "failed"]);
    expect(card.payment.refundedCents).toBe(300);
  });

  it("survives 5xx and 429 from Square: the SDK retries the same request and one checkout is made", async () => {
    const o = await f.place([f.rings()]);
    f.fake.knobs.fail = { status: 503, count: 1, path: "/v2/terminals/checkouts", retryAfter: "0" };
    const a = await f.postJson(`/pos/orders/${o.id}/card`, {});
    expect(a.status).toBe(201);
    f.fake.knobs.fail = { status: 429, count: 1, path: "/v2/terminals/checkouts", retryAfter: "0" };
    const o2 = await f.place([f.rings()]);
    expect((await f.postJson(`/pos/orders/${o2.id}/card`, {})).status).toBe(201);
    const keys = f.fake.checkoutCreates().slice(-4).map((r) => r.body!.idempotency_key);
    // The retry carried the same key as the failed try.
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).toBe(keys[3]);
  });

  it("shows a clear message when Square stays down, keeps the tender, and settles it once Square answers", async () => {
    const o = await f.place([f.rings()]);
    f.fake.knobs.fail = { status: 500, count: 3, path: "/v2/terminals/checkouts", retryAfter: "0" };
    const res = await f.post(`/pos/orders/${o.id}/card`, {});
    expect(res.status).toBe(502);
    const html = await res.text();
    expect(html).toContain("Square did not confirm");
    expect(html).toContain("Waiting for Square to confirm");
    const pending = (await f.order(o.id)).payments.find((p: any) => p.tender === "card");
    expect(pending.status).toBe("pending");
    // Square is back: the next tap sends the same key and gets a checkout; the guest pays once.
    expect((await f.post(`/pos/orders/${o.id}/card`, {})).status).toBe(303);
    const checkout = checkoutOf(pending.id);
    f.fake.complete(checkout.id, { tipCents: 0 });
    await f.page(`/pos/orders/${o.id}/card/status`);
    expect((await cardOf(pending.id)).payment.status).toBe("completed");
    expect([...f.fake.checkouts.values()].filter((c) => c.reference_id === pending.id).length).toBe(1);
  });

  it("loses no tender when the connection drops after Square made the checkout: the retry finds the same one", async () => {
    const o = await f.place([f.rings()]);
    f.fake.knobs.dropAfter = { count: 1, path: "/v2/terminals/checkouts" };
    const res = await f.postJson(`/pos/orders/${o.id}/card`, {});
    expect(res.status).toBe(502);
    const pending = (await f.order(o.id)).payments.find((p: any) => p.tender === "card");
    expect(pending.status).toBe("pending");
    expect([...f.fake.checkouts.values()].filter((c) => c.reference_id === pending.id).length).toBe(1);
    // The poll repeats the create with the same key: Square answers with the checkout it already has.
    await f.page(`/pos/orders/${o.id}/card/status`);
    expect((await cardOf(pending.id)).card.squareCheckoutId).toBe(checkoutOf(pending.id).id);
    f.fake.complete(checkoutOf(pending.id).id, { tipCents: 25 });
    await f.page(`/pos/orders/${o.id}/card/status`);
    expect((await cardOf(pending.id)).payment).toMatchObject({ status: "completed", tipCents: 25 });
    expect([...f.fake.checkouts.values()].filter((c) => c.reference_id === pending.id).length).toBe(1);
  });

  it("answers after a slow Square without a second checkout", async () => {
    const o = await f.place([f.rings()]);
    f.fake.knobs.delayMs = 1500;
    const res = await f.postJson(`/pos/orders/${o.id}/card`, {});
    f.fake.knobs.delayMs = 0;
    expect(res.status).toBe(201);
    const { payment } = await res.json() as any;
    expect([...f.fake.checkouts.values()].filter((c) => c.reference_id === payment.id).length).toBe(1);
  });

  it("fails the tender with Square's reason when Square refuses the checkout, and says so on the POS", async () => {
    const o = await f.place([f.rings()]);
    f.fake.codes.forEach((c) => { c.device_id = "DEVICE-GONE"; });
    const res = await f.post(`/pos/orders/${o.id}/card`, {});
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Square refused the charge: NOT_FOUND");
    const p = (await f.order(o.id)).payments.find((x: any) => x.tender === "card");
    expect(p.status).toBe("failed");
  });
});

describe("the cash refund and void paths refuse card payments", () => {
  it("sends a card refund to Square's path instead of recording money that never went back", async () => {
    const f = await squareFixture("sq-core-guard");
    try {
      const o = await f.place([f.rings()]);
      const { payment } = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
      f.fake.complete([...f.fake.checkouts.values()].at(-1)!.id, { tipCents: 0 });
      await f.post(`/pos/card-payments/${payment.id}/sync`, {});
      const refund = await f.app.handle(new Request(`http://localhost/api/v1/payments/${payment.id}/refunds`, { method: "POST", body: JSON.stringify({ amountCents: 100, reason: "x" }), headers: { "content-type": "application/json", accept: "application/json", cookie: f.manager.cookie, origin: "http://localhost" } }));
      expect(refund.status).toBe(409);
      expect((await refund.json() as any).message).toContain("refunded to the card through Square");
      const voided = await f.app.handle(new Request(`http://localhost/api/v1/payments/${payment.id}/void`, { method: "POST", body: JSON.stringify({ reason: "x" }), headers: { "content-type": "application/json", accept: "application/json", cookie: f.manager.cookie, origin: "http://localhost" } }));
      expect(voided.status).toBe(409);
      const card = await (await f.api(`/api/v1/card-payments/${payment.id}`)).json() as any;
      expect(card.payment).toMatchObject({ status: "completed", refundedCents: 0 });
    } finally {
      await f.close();
    }
  });
});
