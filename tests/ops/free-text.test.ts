import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { createRestaurant } from "../../src/restaurants/service";
import { HttpError } from "../../src/http/errors";

setDefaultTimeout(30_000);

// Issue 18, point 13: a NUL byte (Postgres refuses it in text) or another control character in free text
// answered 500. Every free-text field goes through one rule (src/text.ts): a 4xx naming the field, nothing written.
describe("free text with NUL bytes and control characters", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let apiKey: string;
  let manager: string;
  let managerPin: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;

  const hx = (cookie: string) => ({ cookie, "hx-request": "true" });
  const n = async (table: string) => Number(rowsOf<{ n: number }>(await withSystem(db.db, (tx) => tx.execute(sql.raw(`select count(*)::int as n from ${table}`))))[0]!.n);
  /** Every table a refused write could touch, plus the one mutable order column a discount would change. */
  const snapshot = async () => ({
    users: await n("users"), memberships: await n("memberships"), stations: await n("stations"), devices: await n("devices"),
    orders: await n("orders"), lines: await n("order_items"), audit: await n("audit_log"), events: await n("events"),
    discounts: await n("orders where discount_cents > 0"), voids: await n("order_items where voided_at is not null"),
  });
  const ticketVersion = (html: string) => Number(/data-version="(\d+)"/.exec(html)![1]);
  const api = (json: unknown) => app.handle(req("/api/v1/orders", { json, headers: { authorization: `Bearer ${apiKey}`, "idempotency-key": crypto.randomUUID() } }));

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "text");
    rid = demo.restaurant.id;
    apiKey = demo.apiKey;
    managerPin = demo.pins.find((p) => p.role === "manager")!.pin;
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    m = await demoMenu(db.db, rid);
  });
  afterAll(() => db.drop());

  for (const [what, bad] of [["a NUL byte", "a\u0000b"], ["an escape character", "a\u001bb"], ["a tab", "a\tb"]] as const) {
    it(`refuses ${what} in the sign-in email with a 400 naming the email`, async () => {
      const res = await app.handle(req("/sign-in", { form: { email: `x${bad}@example.com`, password: "whatever" } }));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("Email must be one line of text");
    });

    it(`refuses ${what} in a new staff member's name or email and writes nothing`, async () => {
      const before = await snapshot();
      for (const [field, form] of [["Name", { name: `Sam ${bad}`, email: "" }], ["Email", { name: "Sam", email: `sam${bad}@example.com` }]] as const) {
        const res = await app.handle(req("/admin/staff", { headers: { cookie: manager }, form: { role: "server", pin: "8642", password: "", ...form } }));
        expect(res.status).toBe(400);
        expect(await res.text()).toContain(`${field} must be one line of text`);
      }
      expect(await snapshot()).toEqual(before);
    });

    it(`refuses ${what} in a station or screen name and writes nothing`, async () => {
      const before = await snapshot();
      const station = await app.handle(req("/admin/stations", { headers: hx(manager), form: { name: `Grill ${bad}` } }));
      expect(station.status).toBe(400);
      expect(await station.text()).toContain("The station name must be one line of text");
      const device = await app.handle(req("/admin/devices", { headers: { cookie: manager }, form: { name: `Front ${bad}`, kind: "pos" } }));
      expect(device.status).toBe(400);
      expect(await device.text()).toContain("The screen name must be one line of text");
      expect(await snapshot()).toEqual(before);
    });

    it(`refuses ${what} in an order's table or notes over the API with a 400 naming the field`, async () => {
      const before = await snapshot();
      const line = { menuItemId: m.item("Onion Rings").id, quantity: 1 };
      for (const [field, body] of [
        ["table", { type: "dine_in", table: `7${bad}`, items: [line] }],
        ["note", { type: "takeout", note: `ring ${bad}`, items: [line] }],
        ["items[0].note", { type: "takeout", items: [{ ...line, note: `well ${bad} done` }] }],
      ] as const) {
        const res = await api(body);
        expect(res.status).toBe(400);
        expect((await res.json()).field).toBe(field);
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it("keeps newlines in an order note and a line note, but not in the table", async () => {
    const line = { menuItemId: m.item("Onion Rings").id, quantity: 1, note: "extra crispy\r\nno salt" };
    const ok = await api({ type: "takeout", note: "door code 42\nring twice", items: [line] });
    expect(ok.status).toBe(201);
    const order = await ok.json();
    expect(order.note).toBe("door code 42\nring twice");
    expect(order.items[0].note).toBe("extra crispy\nno salt");
    const table = await api({ type: "dine_in", table: "7\n8", items: [line] });
    expect(table.status).toBe(400);
    expect((await table.json()).field).toBe("table");
  });

  it("refuses a NUL byte in a discount reason or a void reason at the till and changes nothing", async () => {
    const created = await app.handle(req("/pos/orders", { headers: { cookie: manager }, form: { type: "dine_in", table: "7", guests: "2", idempotencyKey: crypto.randomUUID() } }));
    const id = created.headers.get("location")!.split("order=")[1]!;
    const t = await (await app.handle(req(`/pos/orders/${id}/items`, { headers: hx(manager), form: { itemId: m.item("Draft Lager").id } }))).text();
    const sent = await (await app.handle(req(`/pos/orders/${id}/send`, { headers: hx(manager), form: { version: String(ticketVersion(t)) } }))).text();
    const lineId = /id="line-([0-9a-f-]{36})"/.exec(sent)![1]!;
    const version = String(ticketVersion(sent));
    const before = await snapshot();
    const discount = await app.handle(req(`/pos/orders/${id}/discount`, { headers: hx(manager), form: { version, value: "1.00", reason: "birth\u0000day" } }));
    expect(discount.status).toBe(400);
    expect(await discount.text()).toContain("The reason must be one line of text");
    const voided = await app.handle(req(`/pos/orders/${id}/lines/${lineId}/remove`, { headers: hx(manager), form: { version, reason: "spil\u0000led", managerPin } }));
    expect(voided.status).toBe(400);
    expect(await voided.text()).toContain("The reason must be one line of text");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a NUL byte in a new restaurant's name or owner email (the CLI's path) and writes nothing", async () => {
    const before = await n("restaurants");
    for (const [field, input] of [["name", { name: "Luigi\u0000s", ownerEmail: "luigi@example.com" }], ["ownerEmail", { name: "Luigi's", ownerEmail: "luigi\u0000@example.com" }]] as const) {
      const attempt = createRestaurant(db.db, { slug: `luigi-${field.toLowerCase()}`, ...input });
      const error = await attempt.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).field).toBe(field);
    }
    expect(await n("restaurants")).toBe(before);
  });
});
