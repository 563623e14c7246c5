import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { squareFixture, type SquareFixture } from "./setup";
import { count } from "../payments/setup";

setDefaultTimeout(30_000);

describe("card payments on a Square Terminal", () => {
  let f: SquareFixture;
  beforeAll(async () => { f = await squareFixture("sq-terminal"); }, 60_000);
  afterAll(() => f.close());

  it("pairs a Terminal from a TERMINAL_API device code and records its device id", async () => {
    const create = f.fake.requests.find((r) => r.path === "/v2/devices/codes" && r.method === "POST")!;
    expect(create.body!.device_code.product_type).toBe("TERMINAL_API");
    expect(create.auth).toBe("Bearer EAAAl-sandbox-token-abcdefghijklmnop");
    const page = await f.page("/admin/square", f.owner.cookie);
    expect(page.html).toContain(`Paired: Terminal ${f.deviceId}`);
    // The token and key are stored sealed, never in clear.
    const rows = await f.db.db.execute("select access_token_sealed, signature_key_sealed from square_connections" as never) as any;
    const row = (rows.rows ?? rows)[0];
    expect(row.access_token_sealed).toStartWith("v1:");
    expect(row.access_token_sealed).not.toContain("sandbox-token");
  });

  it("charges the server-computed amount due with the tip settings, a deadline and a key derived from the tender", async () => {
    const o = await f.place([f.rings(), f.rings()]);
    const res = await f.postJson(`/pos/orders/${o.id}/card`, { amountCents: null });
    expect(res.status).toBe(201);
    const body = await res.json() as any;
    expect(body.payment).toMatchObject({ tender: "card", status: "pending", amountCents: o.totalCents });
    const sent = f.fake.checkoutCreates().at(-1)!.body!;
    expect(sent.idempotency_key).toBe(`ros-co-${o.id.slice(0, 8)}-${body.payment.id}`);
    expect(sent.checkout.amount_money).toEqual({ amount: o.totalCents, currency: "USD" });
    expect(sent.checkout.deadline_duration).toBe("PT5M");
    expect(sent.checkout.device_options.device_id).toBe(f.deviceId);
    expect(sent.checkout.device_options.tip_settings.tip_percentages.length).toBeLessThanOrEqual(3);
    expect(sent.checkout.device_options.tip_settings.tip_percentages).toEqual([15, 18, 20]);
  });

  it("gives the same pending tender and the same checkout to a retried tap: one charge", async () => {
    const o = await f.place([f.rings()]);
    const creates = f.fake.checkoutCreates().length;
    const [a, b] = await Promise.all([0, 1].map(() => f.postJson(`/pos/orders/${o.id}/card`, {})));
    const ids = [await a!.json(), await b!.json()].map((x: any) => x.payment.id);
    expect(ids[0]).toBe(ids[1]);
    const again = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    expect(again.payment.id).toBe(ids[0]);
    expect(again.reused).toBe(true);
    expect(f.fake.checkoutCreates().length - creates).toBeLessThanOrEqual(2);
    expect(new Set(f.fake.checkoutCreates().slice(creates).map((r) => r.body!.idempotency_key)).size).toBe(1);
    expect(f.fake.checkouts.size).toBe([...new Set([...f.fake.checkouts.values()].map((c) => c.reference_id))].length);
  });

  it("settles the tender only from Square's final state: in progress, then completed with tip, brand and last 4", async () => {
    const o = await f.place([f.rings()]);
    const { payment } = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    const checkoutId = [...f.fake.checkouts.values()].find((c) => c.reference_id === payment.id)!.id;
    f.fake.progress(checkoutId);
    let status = await f.page(`/pos/orders/${o.id}/card/status`);
    expect(status.html).toContain("Guest is paying on the Terminal");
    expect((await f.order(o.id)).paymentStatus ?? "unpaid").not.toBe("paid");
    f.fake.complete(checkoutId, { tipCents: 90, brand: "MASTERCARD", last4: "5454" });
    status = await f.page(`/pos/orders/${o.id}/card/status`);
    expect(status.html).toContain("Completed");
    expect(status.html).toContain("MASTERCARD •••• 5454");
    const card = await (await f.api(`/api/v1/card-payments/${payment.id}`)).json() as any;
    expect(card.payment).toMatchObject({ status: "completed", amountCents: o.totalCents, tipCents: 90 });
    expect(card.card).toMatchObject({ brand: "MASTERCARD", last4: "5454" });
    const pay = await (await f.api(`/api/v1/orders/${o.id}/payments`)).json() as any;
    expect(pay.balanceDueCents).toBe(0);
    // The paid check's pay screen leads to the card screen, where a manager refunds.
    expect((await f.page(`/pos/orders/${o.id}/pay`)).html).toContain(`data-testid="card-payments" href="/pos/orders/${o.id}/card"`);
  });

  it("treats cancel as a request: a guest who already paid leaves the tender completed", async () => {
    const o = await f.place([f.rings()]);
    const { payment } = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    const checkout = [...f.fake.checkouts.values()].find((c) => c.reference_id === payment.id)!;
    checkout.pay_on_cancel = { tipCents: 0 };
    const res = await f.post(`/pos/card-payments/${payment.id}/cancel`, {});
    expect(res.status).toBe(303);
    const card = await (await f.api(`/api/v1/card-payments/${payment.id}`)).json() as any;
    expect(card.payment.status).toBe("completed");
  });

  it("voids a tender whose checkout was canceled, and a new tap then makes a new checkout", async () => {
    const o = await f.place([f.rings()]);
    const { payment } = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    expect((await f.post(`/pos/card-payments/${payment.id}/cancel`, {})).status).toBe(303);
    const card = await (await f.api(`/api/v1/card-payments/${payment.id}`)).json() as any;
    expect(card.payment.status).toBe("voided");
    expect(card.card.failureReason).toContain("SELLER_CANCELED");
    const next = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    expect(next.payment.id).not.toBe(payment.id);
    expect((await f.page(`/pos/orders/${o.id}/card`)).html).toContain("Canceled");
  });

  it("refuses card with a clear message when Square is not connected, and offers nothing", async () => {
    await f.post("/admin/square/disconnect", {}, f.owner.cookie);
    const o = await f.place([f.rings()]);
    const before = await count(f.db.db, "payments");
    const res = await f.postJson(`/pos/orders/${o.id}/card`, {});
    expect(res.status).toBe(422);
    expect((await res.json() as any).message).toContain("an owner connects Square");
    expect(await count(f.db.db, "payments")).toBe(before);
    expect((await f.page(`/pos/orders/${o.id}/card`)).html).toContain("Card payments are not set up");
  });
});

describe("the card tender on the pay screen", () => {
  it("is offered only once Square is connected", async () => {
    const f = await squareFixture("sq-offer", { connect: false });
    try {
      const o = await f.place([f.rings()]);
      expect((await f.page(`/pos/orders/${o.id}/pay`)).html).not.toContain("pay-by-card");
      await f.post("/admin/square", { environment: "sandbox", accessToken: "EAAAl-sandbox-token-abcdefghijklmnop", locationId: f.fake.locationId }, f.owner.cookie);
      expect((await f.page(`/pos/orders/${o.id}/pay`)).html).toContain(`href="/pos/orders/${o.id}/card"`);
    } finally {
      await f.close();
    }
  });
});

describe("a Terminal paired to one POS station", () => {
  it("charges that POS's checkouts on its own Terminal while other POS use the restaurant's", async () => {
    const f = await squareFixture("sq-station");
    try {
      const { atPos } = await import("../payments/setup");
      const o = await f.place([f.rings()]);
      // The POS asks for a code from its card screen; the code is typed on the Terminal; Square reports it paired.
      expect((await f.post("/pos/terminal/pair", { orderId: o.id })).status).toBe(303);
      const code = [...f.fake.codes.values()].at(-1)!;
      expect((await f.page(`/pos/orders/${o.id}/card`)).html).toContain(code.code);
      const notYet = await f.post("/pos/terminal/pair/check", { orderId: o.id });
      expect(notYet.status).toBe(409);
      expect(await notYet.text()).toContain("Not paired yet");
      f.fake.pair(code.id, "DEVICE-BAR");
      await f.webhook(JSON.stringify({ type: "device.code.paired", event_id: "evt-pair-bar", data: { type: "device_code", id: code.id, object: { device_code: code } } }));
      expect((await f.page(`/pos/orders/${o.id}/card`)).html).toContain("This POS charges on Terminal DEVICE-BAR");
      await f.postJson(`/pos/orders/${o.id}/card`, {});
      expect(f.fake.checkoutCreates().at(-1)!.body!.checkout.device_options.device_id).toBe("DEVICE-BAR");
      // Another POS device without its own Terminal falls back to the restaurant's.
      const other = await atPos(f.db.db, f.rid, "cashier");
      const o2 = await f.place([f.rings()]);
      await f.postJson(`/pos/orders/${o2.id}/card`, {}, other.cookie);
      expect(f.fake.checkoutCreates().at(-1)!.body!.checkout.device_options.device_id).toBe(f.deviceId);
      // The restaurant's Terminal is unchanged by the station's pairing.
      expect((await f.page("/admin/square", f.owner.cookie)).html).toContain(`Paired: Terminal ${f.deviceId}`);
    } finally {
      await f.close();
    }
  });
});
