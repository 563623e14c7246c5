import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { seedDemo } from "../../src/restaurants/demo";
import { apiClient, atPos, count } from "./setup";

setDefaultTimeout(30_000);

describe("paying at the POS", () => {
  let db: TestDatabase;
  let managerPin: string;
  let wrongPin: string;
  let app: ReturnType<typeof makeTestApp>["app"];
  let api: ReturnType<typeof apiClient>;
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;
  let server: Awaited<ReturnType<typeof atPos>>;

  const page = async (path: string, cookie = server.cookie) => {
    const res = await app.handle(req(path, { headers: { cookie } }));
    return { status: res.status, html: await res.text() };
  };
  const post = (path: string, form: Record<string, string | string[]>, cookie = server.cookie) => app.handle(req(path, { form, headers: { cookie } }));
  const place = async (items: Record<string, unknown>[]) => (await (await api("/api/v1/orders", { json: { type: "dine_in", table: "7", items }, cookie: server.cookie })).json()) as { id: string; number: number; totalCents: number; subtotalCents: number; items: { id: string }[] };
  const rings = (seat: number | null = null) => ({ menuItemId: m.item("Onion Rings").id, quantity: 1, seat });
  const formKeyOf = (html: string) => /name="formKey" value="([^"]+)"/.exec(html)![1]!;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const demo = await seedDemo(db.db, testConfig().pinPepper, "pos-pay");
    managerPin = demo.pins.find((p) => p.role === "manager")!.pin;
    // Demo PINs are random: a "wrong" PIN must be one nobody has.
    wrongPin = ["9999", "9998", "9997", "9996", "9995", "9994", "9993"].find((pin) => !demo.pins.some((p) => p.pin === pin))!;
    rid = demo.restaurant.id;
    api = apiClient(app, { key: demo.apiKey });
    m = await demoMenu(db.db, rid);
    server = await atPos(db.db, rid, "server");
  }, 60_000);
  afterAll(() => db.drop());

  it("sends the cashier to open the drawer before cash can be taken", async () => {
    const o = await place([rings()]);
    expect((await page(`/pos/orders/${o.id}/pay`)).html).toContain("Open the cash drawer first");
    const refused = await post(`/pos/orders/${o.id}/pay`, { amount: "5.98", tendered: "exact", formKey: "k-1" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Open the cash drawer");
    expect(await count(db.db, "payments")).toBe(0);
    expect((await post("/pos/drawer/open", { float: "150.00" })).status).toBe(303);
    expect((await page("/pos/drawer")).html).toContain("$150.00");
  });

  it("shows a Pay button on the ticket and on the open-orders list", async () => {
    const o = await place([rings()]);
    expect((await page(`/pos?order=${o.id}`)).html).toContain(`href="/pos/orders/${o.id}/pay"`);
    expect((await page("/pos/orders")).html).toContain(`href="/pos/orders/${o.id}/pay"`);
  });

  it("takes cash with an 18% tip of the pre-tax subtotal and shows the change due large", async () => {
    const o = await place([rings(), rings()]); // 11.00 + tax 0.96 = 11.96
    const screen = await page(`/pos/orders/${o.id}/pay`);
    expect(screen.html).toContain("18% · $1.98");
    expect(screen.html).toContain('value="1200"'); // next whole dollar
    expect(screen.html).toContain('value="2000"');
    const res = await post(`/pos/orders/${o.id}/pay`, { amount: "11.96", tipPreset: "1800", tendered: "2000", formKey: formKeyOf(screen.html) });
    expect(res.status).toBe(303);
    const after = await page(res.headers.get("location")!);
    expect(after.html).toContain("Change due");
    expect(after.html).toContain(`$${((2000 - 1196 - 198) / 100).toFixed(2)}`);
    expect(after.html).toContain("Paid in full");
    const json = await (await api(`/api/v1/orders/${o.id}`)).json();
    expect(json.payments[0]).toMatchObject({ amountCents: 1196, tipCents: 198, tenderedCents: 2000, serverUserId: server.userId });
  });

  it("takes one payment from a double tap (the same form posted twice)", async () => {
    const o = await place([rings()]);
    const key = formKeyOf((await page(`/pos/orders/${o.id}/pay`)).html);
    const before = await count(db.db, "payments");
    const [a, b] = await Promise.all([0, 1].map(() => post(`/pos/orders/${o.id}/pay`, { amount: "2.00", tendered: "exact", formKey: key })));
    expect([a!.status, b!.status]).toEqual([303, 303]);
    expect(a!.headers.get("location")).toBe(b!.headers.get("location"));
    expect(await count(db.db, "payments")).toBe(before + 1);
  });

  it("shows a refusal on the pay screen by its field and changes nothing", async () => {
    const o = await place([rings()]);
    const before = await count(db.db, "payments");
    for (const [form, text] of [
      [{ amount: "5.999", tendered: "exact" }, "Enter an amount like 12.95"],
      [{ amount: "-1", tendered: "exact" }, "Enter an amount like 12.95"],
      [{ amount: "0", tendered: "exact" }, "more than zero"],
      [{ amount: "9.00", tendered: "exact" }, "more than the balance due"],
      [{ amount: "5.98", tipAmount: "99.00", tendered: "exact" }, "looks like a typo"],
      [{ amount: "5.98", tendered: "other", tenderedOther: "5.00" }, "less than the amount"],
    ] as const) {
      const res = await post(`/pos/orders/${o.id}/pay`, { ...form, formKey: crypto.randomUUID() });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const html = await res.text();
      expect(html).toContain(text);
      expect(html).toContain('role="alert"');
    }
    expect(await count(db.db, "payments")).toBe(before);
  });

  it("splits by seat and pays each seat's check on its own, then prints each guest check", async () => {
    const o = await place([rings(1), rings(2)]);
    expect((await post(`/pos/orders/${o.id}/split`, { kind: "seat" })).status).toBe(303);
    const json = await (await api(`/api/v1/orders/${o.id}`)).json();
    const [one, two] = json.checks;
    const screen = await page(`/pos/orders/${o.id}/pay?check=${two.id}`);
    expect(screen.html).toContain("Seat 2: $5.98 due");
    await post(`/pos/orders/${o.id}/pay`, { amount: "5.98", checkId: two.id, tendered: "exact", formKey: formKeyOf(screen.html) });
    const receipt = await page(`/pos/orders/${o.id}/receipt?check=${two.id}`);
    expect(receipt.html).toContain("Receipt · Order #");
    expect(receipt.html).toContain("Seat 2");
    expect(receipt.html).toContain("Tax 8.75%");
    const guestCheck = await page(`/pos/orders/${o.id}/receipt?check=${one.id}&size=a4`);
    expect(guestCheck.html).toContain("Guest check");
    expect(guestCheck.html).toContain("size-a4");
  });

  it("comps an item with a manager's PIN typed at the till, and refuses a wrong PIN", async () => {
    const o = await place([rings(), rings()]);
    const wrong = await post(`/pos/orders/${o.id}/lines/${o.items[0]!.id}/comp`, { reason: "cold", managerPin: wrongPin });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("not a manager");
    expect((await post(`/pos/orders/${o.id}/lines/${o.items[0]!.id}/comp`, { reason: "cold", managerPin })).status).toBe(303);
    const json = await (await api(`/api/v1/orders/${o.id}`)).json();
    expect(json.totalCents).toBe(598);
    expect((await page(`/pos/orders/${o.id}/receipt`)).html).toContain("Comp: cold");
  });

  it("finds orders in history by number, table, amount and staff, and refunds with a manager's PIN from the drawer", async () => {
    const o = await place([rings()]);
    const key = formKeyOf((await page(`/pos/orders/${o.id}/pay`)).html);
    await post(`/pos/orders/${o.id}/pay`, { amount: "5.98", tendered: "exact", formKey: key });
    expect((await page(`/pos/history?number=${o.number}`)).html).toContain(`/pos/history/${o.id}`);
    expect((await page("/pos/history?table=7")).html).toContain(`/pos/history/${o.id}`);
    expect((await page("/pos/history?amount=5.98")).html).toContain(`/pos/history/${o.id}`);
    expect((await page(`/pos/history?staff=${server.userId}`)).html).toContain(`/pos/history/${o.id}`);
    expect((await page("/pos/history?amount=12.3456")).status).toBe(400);
    const paymentId = (await (await api(`/api/v1/orders/${o.id}`)).json()).payments[0].id;
    const noPin = await post(`/pos/payments/${paymentId}/refund`, { amount: "1.00", reason: "cold" });
    expect(noPin.status).toBe(403);
    expect(await noPin.text()).toContain("needs a manager");
    const ok = await post(`/pos/payments/${paymentId}/refund`, { amount: "1.00", reason: "cold", managerPin });
    expect(ok.status).toBe(303);
    expect((await page(ok.headers.get("location")!)).html).toContain("Refunded");
    const drawer = await (await api("/api/v1/drawer", { cookie: server.cookie })).json();
    expect(drawer.cashRefundedCents).toBe(100);
  });

  it("closes the drawer by denomination and shows over or short", async () => {
    const drawer = await (await api("/api/v1/drawer", { cookie: server.cookie })).json();
    const res = await post(`/pos/drawer/${drawer.id}/close`, { "d-10000": "1", "d-5000": "1", "d-2000": "1" });
    expect(res.status).toBe(303);
    const report = await page(res.headers.get("location")!);
    expect(report.html).toContain("CLOSED");
    const closed = await (await api("/api/v1/drawer", { cookie: server.cookie })).json();
    expect(closed.status).toBe("none");
    const again = await post(`/pos/drawer/${drawer.id}/close`, { counted: "1.00" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already closed");
  });
});

describe("the pay screen is live", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let api: ReturnType<typeof apiClient>;
  let rid: string;
  let m: Awaited<ReturnType<typeof demoMenu>>;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    const demo = await seedDemo(db.db, testConfig().pinPepper, "pay-live");
    rid = demo.restaurant.id;
    api = apiClient(t.app, { key: demo.apiKey });
    m = await demoMenu(db.db, rid);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it("re-renders the check's summary when another till takes a tender, for front of house only", async () => {
    const server = await atPos(db.db, rid, "server");
    const o = await (await api("/api/v1/orders", { json: { type: "takeout", items: [{ menuItemId: m.item("Onion Rings").id, quantity: 2 }] } })).json();
    const seq = Number(/data-seq="(\d+)"/.exec(await (await t.app.handle(req(`/pos/orders/${o.id}/pay`, { headers: { cookie: server.cookie } }))).text())![1]);
    const abort = new AbortController();
    const res = await t.app.handle(req(`/pos/orders/${o.id}/pay/stream?since=${seq}`, { headers: { cookie: server.cookie }, signal: abort.signal }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    await api(`/api/v1/orders/${o.id}/payments`, { json: { tender: "cash", amountCents: 500 } });
    let text = "";
    const until = Date.now() + 10_000;
    while (!text.includes("check-summary") && Date.now() < until) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    expect(text).toContain('id="check-summary"');
    expect(text).toContain("$6.96"); // 11.96 - 5.00 still due
    const kitchen = await atPos(db.db, rid, "kitchen");
    expect((await t.app.handle(req(`/pos/orders/${o.id}/pay/stream`, { headers: { cookie: kitchen.cookie, accept: "application/json" } }))).status).toBe(403);
  });
});
