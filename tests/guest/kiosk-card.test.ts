import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { req } from "../helpers/app";
import { squareFixture, type SquareFixture } from "../square/setup";
import { getOrder } from "../../src/orders/service";
import { withSystem } from "../../src/db/tenant";
import { findGuestOrderByKey, guestOrderByTokenHash } from "../../src/guest/queries";
import { sha256 } from "../../src/auth/secrets";
import { count, makeKiosk, pageTokenOf } from "./setup";

setDefaultTimeout(30_000);

describe("guests pay by card at the kiosk (Square Web Payments)", () => {
  let f: SquareFixture;
  let off: SquareFixture;
  let kiosk: Awaited<ReturnType<typeof makeKiosk>>;
  let offKiosk: Awaited<ReturnType<typeof makeKiosk>>;
  let n = 0;
  const key = () => `card-key-${++n}-${Date.now()}`;
  const page = async (fx: SquareFixture, cookie: string) => (await fx.app.handle(req("/guest/kiosk", { headers: { cookie } }))).text();
  const checkout = (fx: SquareFixture, cookie: string, body: Record<string, unknown>) =>
    fx.app.handle(req("/guest/kiosk/checkout", { json: body, headers: { cookie, accept: "application/json" } }));
  const cardBody = async (fx: SquareFixture, cookie: string, extra: Record<string, unknown> = {}) => ({
    items: [{ menuItemId: fx.m.item("Onion Rings").id, quantity: 2 }], name: "Ada", dining: "eat_in", payment: "card",
    idempotencyKey: key(), pageToken: pageTokenOf(await page(fx, cookie)), sourceId: "cnon:card-nonce-ok", ...extra,
  });

  beforeAll(async () => {
    f = await squareFixture("kiosk-card", { pair: false });
    off = await squareFixture("kiosk-nocard", { connect: false });
    kiosk = await makeKiosk(f.db.db, f.rid);
    offKiosk = await makeKiosk(off.db.db, off.rid);
  });
  afterAll(async () => { await f?.close(); await off?.close(); });

  it("offers Pay by card when the restaurant has Square connected", async () => {
    const html = await page(f, kiosk.cookie);
    expect(html).toContain("Pay by card");
    expect(html).not.toContain("not available yet");
  });

  it("loads Square's Web Payments SDK on the kiosk page only, with Square's hosts in that page's CSP", async () => {
    const res = await f.app.handle(req("/guest/kiosk", { headers: { cookie: kiosk.cookie } }));
    const html = await res.text();
    expect(html).toContain('src="https://sandbox.web.squarecdn.com/v1/square.js"');
    expect(html).toContain('data-app-id="sandbox-sq0idb-test-app"');
    expect(html).toContain(`data-location-id="${f.fake.locationId}"`);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src [^;]*https:\/\/sandbox\.web\.squarecdn\.com/);
    expect(csp).toMatch(/frame-src [^;]*https:\/\/sandbox\.web\.squarecdn\.com/);
    const other = await off.app.handle(req("/guest/kiosk", { headers: { cookie: offKiosk.cookie } }));
    expect(await other.text()).not.toContain("squarecdn");
    expect(other.headers.get("content-security-policy")).not.toContain("squarecdn");
  });

  it("charges the server-computed balance, sends the order to the kitchen and lands the guest on the live order page", async () => {
    const body = await cardBody(f, kiosk.cookie);
    const res = await checkout(f, kiosk.cookie, body);
    expect(res.status).toBe(201);
    const placed = (await res.json()) as { url: string; number: number };
    expect(placed.url).toMatch(/^\/guest\/order\//);
    const pay = [...f.fake.payments.values()].at(-1)!;
    const guest = (await withSystem(f.db.db, (tx) => guestOrderByTokenHash(tx, sha256(placed.url.split("/").pop()!))))!;
    expect(guest.state).toBe("sent");
    const order = await getOrder(f.db.db, f.rid, guest.orderId);
    expect(pay.amount_money.amount).toBe(order.totalCents);
    expect(pay.status).toBe("COMPLETED");
    expect(order.lines.every((l) => !!l.firedAt)).toBe(true);
    const live = await f.app.handle(req(placed.url));
    expect(live.status).toBe(200);
    expect(await live.text()).not.toContain("Please pay at the counter");
  });

  it("a double submit charges the card once and answers with the same order", async () => {
    const body = await cardBody(f, kiosk.cookie);
    const before = f.fake.payments.size;
    const [a, b] = await Promise.all([checkout(f, kiosk.cookie, body), checkout(f, kiosk.cookie, body)]);
    const again = await checkout(f, kiosk.cookie, body);
    const answers = await Promise.all([a, b, again].map(async (r) => ({ status: r.status, body: (await r.json()) as { number: number } })));
    expect(answers.map((x) => x.status).sort()).toEqual([200, 200, 201]);
    const numbers = answers.map((x) => x.body.number);
    expect(new Set(numbers).size).toBe(1);
    expect(again.status).toBe(200);
    const completed = [...f.fake.payments.values()].filter((p) => p.status === "COMPLETED");
    expect(new Set(completed.map((p) => p.id)).size).toBe(completed.length);
    expect(f.fake.payments.size - before).toBe(1);
  });

  it("says a declined card plainly and sends nothing to the kitchen", async () => {
    f.fake.knobs.declineNext = "CARD_DECLINED";
    const body = await cardBody(f, kiosk.cookie);
    const res = await checkout(f, kiosk.cookie, body);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { message: string; field: string };
    expect(problem.field).toBe("sourceId");
    expect(problem.message).toContain("The card was not charged");
    const guest = (await withSystem(f.db.db, (tx) => findGuestOrderByKey(tx, f.rid, `guest:kiosk:${kiosk.device.id}:${body.idempotencyKey}`)))!;
    expect(guest.state).toBe("awaiting_payment");
    expect((await getOrder(f.db.db, f.rid, guest.orderId)).lines.some((l) => !!l.firedAt)).toBe(false);
    // The guest tries again with another card: the same checkout now goes through.
    const retry = await checkout(f, kiosk.cookie, { ...body, sourceId: "cnon:card-nonce-ok-2" });
    expect(retry.status).toBe(200);
    expect((await getOrder(f.db.db, f.rid, guest.orderId)).lines.every((l) => !!l.firedAt)).toBe(true);
  });

  it("refuses a card checkout without a card token, placing nothing", async () => {
    const before = await count(f.db.db, "orders", f.rid);
    const res = await checkout(f, kiosk.cookie, await cardBody(f, kiosk.cookie, { sourceId: "" }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe("sourceId");
    expect(await count(f.db.db, "orders", f.rid)).toBe(before);
  });

  it("does not offer card payment without Square, and refuses a card checkout naming payment", async () => {
    const html = await page(off, offKiosk.cookie);
    expect(html).toContain("Pay by card (not available yet)");
    const before = await count(off.db.db, "orders", off.rid);
    const res = await checkout(off, offKiosk.cookie, await cardBody(off, offKiosk.cookie));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { field: string }).field).toBe("payment");
    expect(await count(off.db.db, "orders", off.rid)).toBe(before);
    expect(off.fake.payments.size).toBe(0);
  });
});
