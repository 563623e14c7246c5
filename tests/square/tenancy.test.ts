import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { squareFixture, type SquareFixture } from "./setup";
import { seedDemo } from "../../src/restaurants/demo";
import { testConfig, req } from "../helpers/app";
import { apiClient, atPos } from "../payments/setup";

setDefaultTimeout(40_000);

describe("Square card payments stay inside their restaurant", () => {
  let f: SquareFixture;
  let other: { cookie: string; api: ReturnType<typeof apiClient> };
  let paymentId: string;
  let orderId: string;

  beforeAll(async () => {
    f = await squareFixture("sq-tenant-a");
    const b = await seedDemo(f.db.db, testConfig().pinPepper, "sq-tenant-b");
    const manager = await atPos(f.db.db, b.restaurant.id, "manager");
    other = { cookie: manager.cookie, api: apiClient(f.app, { key: b.apiKey }) };
    const o = await f.place([f.rings()]);
    orderId = o.id;
    paymentId = ((await (await f.postJson(`/pos/orders/${o.id}/card`, {})).json()) as any).payment.id;
    f.fake.complete([...f.fake.checkouts.values()].at(-1)!.id, { tipCents: 0 });
    await f.post(`/pos/card-payments/${paymentId}/sync`, {});
  }, 60_000);
  afterAll(() => f.close());

  const asOther = (path: string, form?: Record<string, string>) =>
    f.app.handle(req(path, { ...(form ? { form } : {}), headers: { cookie: other.cookie } }));

  it("answers 404 to another restaurant's staff for every card action on this restaurant's payment", async () => {
    expect((await asOther(`/pos/orders/${orderId}/card`)).status).toBe(404);
    expect((await asOther(`/pos/card-payments/${paymentId}/sync`, {})).status).toBe(404);
    expect((await asOther(`/pos/card-payments/${paymentId}/cancel`, {})).status).toBe(404);
    expect((await asOther(`/pos/card-payments/${paymentId}/refund`, { amount: "1.00", reason: "x" })).status).toBe(404);
    expect((await other.api(`/api/v1/card-payments/${paymentId}`)).status).toBe(404);
    expect((await other.api(`/api/v1/orders/${orderId}/card-payments`, { json: { sourceId: "cnon:x" } })).status).toBe(404);
    const card = (await (await f.api(`/api/v1/card-payments/${paymentId}`)).json()) as any;
    expect(card.payment).toMatchObject({ status: "completed", refundedCents: 0 });
  });

  it("does not charge another restaurant's order on this restaurant's Terminal", async () => {
    const res = await f.app.handle(req(`/pos/orders/${orderId}/card`, { json: {}, headers: { cookie: other.cookie, accept: "application/json" } }));
    expect([404, 422]).toContain(res.status);
    expect([...f.fake.checkouts.values()].length).toBe(1);
  });
});
