import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { squareFixture, SIGNATURE_KEY, type SquareFixture } from "./setup";
import { signSquare, squareEvent } from "../helpers/fake-square";
import { count } from "../payments/setup";
import { signatureMatches, squareSignature } from "../../src/square/webhooks";

setDefaultTimeout(30_000);

describe("Square webhooks", () => {
  let f: SquareFixture;
  beforeAll(async () => { f = await squareFixture("sq-hooks"); }, 60_000);
  afterAll(() => f.close());

  const charge = async () => {
    const o = await f.place([f.rings()]);
    const { payment } = await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json() as any;
    const checkout = [...f.fake.checkouts.values()].find((c) => c.reference_id === payment.id)!;
    return { o, payment, checkout };
  };
  const cardOf = async (id: string) => (await (await f.api(`/api/v1/card-payments/${id}`)).json() as any).payment;
  const checkoutEvent = (checkout: any, eventId?: string, state?: Record<string, unknown>) =>
    squareEvent("terminal.checkout.updated", { id: checkout.id, kind: "checkout", value: { ...checkout, ...state } }, eventId);

  it("computes Square's signature: base64 HMAC-SHA256 of the notification URL and the raw body", () => {
    const body = '{"a":1}';
    expect(squareSignature("https://x.test/hook", body, "key")).toBe(signSquare("https://x.test/hook", body, "key"));
    expect(signatureMatches("https://x.test/hook", body, signSquare("https://x.test/hook", body, "key"), "key")).toBe(true);
    // Another URL, a re-serialised body or a truncated header do not match.
    expect(signatureMatches("https://x.test/hook2", body, signSquare("https://x.test/hook", body, "key"), "key")).toBe(false);
    expect(signatureMatches("https://x.test/hook", '{"a": 1}', signSquare("https://x.test/hook", body, "key"), "key")).toBe(false);
    expect(signatureMatches("https://x.test/hook", body, "abc", "key")).toBe(false);
  });

  it("refuses unsigned and wrongly signed webhooks with 401 and changes nothing", async () => {
    const { payment, checkout } = await charge();
    f.fake.complete(checkout.id, { tipCents: 100 });
    const body = checkoutEvent(checkout);
    const before = await count(f.db.db, "square_webhook_events");
    expect((await f.webhook(body, null)).status).toBe(401);
    expect((await f.webhook(body, signSquare(f.notificationUrl, body, "not-the-key"))).status).toBe(401);
    expect((await f.webhook(body, signSquare("http://localhost/other", body, SIGNATURE_KEY))).status).toBe(401);
    expect(await count(f.db.db, "square_webhook_events")).toBe(before);
    expect((await cardOf(payment.id)).status).toBe("pending");
  });

  it("settles a tender from terminal.checkout.updated by reading the checkout back from Square", async () => {
    const { o, payment, checkout } = await charge();
    f.fake.complete(checkout.id, { tipCents: 150, brand: "AMERICAN_EXPRESS", last4: "0005" });
    const res = await f.webhook(checkoutEvent(checkout));
    expect(res.status).toBe(200);
    expect((await res.json() as any).result).toBe("handled");
    expect(await cardOf(payment.id)).toMatchObject({ status: "completed", tipCents: 150 });
    expect((await (await f.api(`/api/v1/orders/${o.id}/payments`)).json() as any).balanceDueCents).toBe(0);
  });

  it("never trusts the payload's state: a body claiming COMPLETED for a pending checkout changes nothing", async () => {
    const { payment, checkout } = await charge();
    const res = await f.webhook(checkoutEvent(checkout, undefined, { status: "COMPLETED", payment_ids: ["PAY_FORGED"] }));
    expect(res.status).toBe(200);
    expect((await cardOf(payment.id)).status).toBe("pending");
  });

  it("takes a duplicate event_id once, and a replay changes nothing", async () => {
    const { payment, checkout } = await charge();
    f.fake.complete(checkout.id, { tipCents: 70 });
    const body = checkoutEvent(checkout, "evt-dup-1");
    const first = await (await f.webhook(body)).json() as any;
    const second = await (await f.webhook(body)).json() as any;
    expect(first.result).toBe("handled");
    expect(second.result).toBe("duplicate");
    const gets = f.fake.requests.filter((r) => r.path === `/v2/terminals/checkouts/${checkout.id}`).length;
    await f.webhook(body);
    expect(f.fake.requests.filter((r) => r.path === `/v2/terminals/checkouts/${checkout.id}`).length).toBe(gets);
    const p = await cardOf(payment.id);
    expect(p).toMatchObject({ status: "completed", tipCents: 70 });
    expect(await count(f.db.db, "payments where id = '" + payment.id + "'")).toBe(1);
  });

  it("handles out-of-order delivery: a late IN_PROGRESS event after COMPLETED leaves the tender completed", async () => {
    const { payment, checkout } = await charge();
    f.fake.progress(checkout.id);
    const early = checkoutEvent(checkout, "evt-early", { status: "IN_PROGRESS" });
    f.fake.complete(checkout.id, { tipCents: 0 });
    const late = checkoutEvent(checkout, "evt-late", { status: "COMPLETED" });
    expect((await f.webhook(late)).status).toBe(200);
    expect((await f.webhook(early)).status).toBe(200);
    expect((await cardOf(payment.id)).status).toBe("completed");
  });

  it("records the paired Terminal from device.code.paired, read back from Square", async () => {
    await f.post("/admin/square/pair", {}, f.owner.cookie);
    const code = [...f.fake.codes.values()].at(-1)!;
    const device = f.fake.pair(code.id, "DEVICE-NEW-1");
    const res = await f.webhook(squareEvent("device.code.paired", { id: code.id, kind: "device_code", value: code }));
    expect(res.status).toBe(200);
    expect((await f.page("/admin/square", f.owner.cookie)).html).toContain(`Paired: Terminal ${device}`);
  });

  it("answers 503 when Square cannot be read back, and takes Square's retry of the same event", async () => {
    const { payment, checkout } = await charge();
    f.fake.complete(checkout.id, { tipCents: 0 });
    const body = checkoutEvent(checkout, "evt-retry");
    f.fake.knobs.fail = { status: 500, count: 10, path: "/v2/terminals/checkouts", retryAfter: "0" };
    const res = await f.webhook(body);
    f.fake.knobs.fail.count = 0;
    expect(res.status).toBe(503);
    expect((await cardOf(payment.id)).status).toBe("pending");
    const retried = await f.webhook(body);
    expect((await retried.json() as any).result).toBe("handled");
    expect((await cardOf(payment.id)).status).toBe("completed");
  });

  it("refuses a webhook for a restaurant with no Square connection", async () => {
    const res = await f.app.handle(new Request(`http://localhost/square/webhooks/00000000-0000-4000-8000-000000000000`, { method: "POST", body: "{}", headers: { "content-type": "application/json", "x-square-hmacsha256-signature": "x" } }));
    expect(res.status, await res.clone().text()).toBe(401);
  });
});
