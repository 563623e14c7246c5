import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { watchPage } from "../helpers/browser";
import { startDemoServer, type DemoServer } from "../helpers/demo-server";
import type { TestDatabase } from "../helpers/db";
import type { makeTestApp } from "../helpers/app";
import { formatMoney } from "../../src/money";
import { atPos } from "../payments/setup";

/**
 * A whole table in a real browser, at the POS's 1280x800: the cashier opens the drawer, takes the
 * order with seats, splits the check by seat, seat 1 pays cash with an 18% tip, seats 2 and 3 pay
 * cash for their even checks, the receipt prints, and the drawer closes with the right short.
 * Any CSP refusal or script error fails the test. Screenshots go to /tmp/shots-payments/.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp/shots-payments";

describe("a whole table paid in cash, in Chromium", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let browser: Browser;
  let base: string;
  let rid: string;
  let apiKey: string;
  const problems: string[] = [];

  async function contextWith(cookieHeader: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies(cookieHeader.split("; ").map((c) => {
      const [name, ...value] = c.split("=");
      return { name: name!, value: value.join("="), url: base };
    }));
    return context;
  }
  const json = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${apiKey}` } })).json();

  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer("e2e-pay");
    ({ db, t, base, browser } = server);
    rid = server.demo.restaurant.id;
    apiKey = server.demo.apiKey;
  });
  afterAll(() => server?.stop());

  async function addWithSeat(pos: Page, item: string, seat: number) {
    await pos.click(`.item-btn >> text=${item}`);
    await pos.waitForSelector("form[data-picker]");
    await pos.fill("form[data-picker] input[name=seat]", String(seat));
    await pos.click("[data-add]");
    await pos.waitForSelector(`#ticket >> text=Seat ${seat}`);
  }

  it("walks a table from order to closed drawer", async () => {
    const cashier = await atPos(db.db, rid, "server");
    const pos = watchPage(await (await contextWith(cashier.cookie)).newPage(), problems);

    // The drawer opens with a counted float.
    await pos.goto(`${base}/pos/drawer`);
    await pos.fill("input[name=float]", "100.00");
    await pos.click("text=Open drawer");
    await pos.waitForSelector("text=Close drawer");

    // The order, with a seat on every burger and onion rings for the table.
    await pos.goto(`${base}/pos`);
    await pos.click("text=Dine-in");
    await pos.fill("input[name=table]", "9");
    await pos.fill("input[name=guests]", "3");
    await pos.click("text=Start order");
    await pos.waitForURL(/order=/);
    await addWithSeat(pos, "Classic Burger", 1);
    await addWithSeat(pos, "Veggie Burger", 2);
    await addWithSeat(pos, "Veggie Burger", 3);
    await pos.click("label.tab >> text=Sides");
    await pos.click(".item-btn >> text=Onion Rings");
    await pos.waitForSelector("#ticket >> text=Onion Rings");
    await pos.click("text=Send to kitchen");
    await pos.waitForSelector("#ticket .badge >> text=SENT");
    const pay = pos.locator(".pay-bar .btn.pay");
    expect(await pay.isVisible()).toBe(true);
    const box = (await pay.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(800); // in reach without scrolling
    await pos.screenshot({ path: `${SHOTS}/pos-ticket-pay.png` });
    const orderId = new URL(pos.url()).searchParams.get("order")!;

    // The open-orders list has Pay too.
    await pos.goto(`${base}/pos/orders`);
    await pos.screenshot({ path: `${SHOTS}/open-orders.png` });
    await pos.click(`a.btn.pay[href="/pos/orders/${orderId}/pay"]`);
    await pos.waitForURL(/\/pay$/);

    // Split by seat: the rings are shared by the three checks.
    await pos.click("text=Split check…");
    await pos.click("text=Split by seat");
    await pos.waitForSelector(".check-tab >> text=Seat 3");
    const split = await json(`/api/v1/orders/${orderId}`);
    expect(split.checks.map((c: { label: string }) => c.label)).toEqual(["Seat 1", "Seat 2", "Seat 3"]);
    expect(split.checks.reduce((s: number, c: { totalCents: number }) => s + c.totalCents, 0)).toBe(split.totalCents);
    const [one, two, three] = split.checks as { id: string; totalCents: number; subtotalCents: number; discountCents: number }[];
    // Seats 2 and 3 ordered the same: their checks are even (the shared rings' odd cent goes to seat 1).
    expect(Math.abs(two!.totalCents - three!.totalCents)).toBeLessThanOrEqual(1);

    // Seat 1 pays cash with an 18% tip, handing over a note; the change shows large.
    await pos.click(`.check-tab[href*="${one!.id}"]`);
    await pos.click("label.tip-option:has(input[value='1800'])");
    const tip = Math.floor((one!.subtotalCents * 1800 + 5000) / 10000);
    await pos.fill("input[name=tenderedOther]", "50");
    expect(await pos.locator("[data-change-preview]").textContent()).toContain(formatMoney(5000 - one!.totalCents - tip, "USD"));
    await pos.screenshot({ path: `${SHOTS}/pay-cash-panel.png` });
    await pos.click("text=Take cash");
    await pos.waitForSelector("[data-testid=change-due]");
    expect(await pos.locator("[data-testid=change-due]").textContent()).toBe(formatMoney(5000 - one!.totalCents - tip, "USD"));
    await pos.screenshot({ path: `${SHOTS}/pay-change-due.png` });

    // Seats 2 and 3 pay exactly.
    for (const check of [two!, three!]) {
      await pos.goto(`${base}/pos/orders/${orderId}/pay?check=${check.id}`);
      await pos.click("[data-exact]");
      await pos.waitForSelector("[data-testid=change-due]");
    }
    await pos.waitForSelector("text=Paid in full");
    await pos.screenshot({ path: `${SHOTS}/pay-paid-in-full.png` });
    const paid = await json(`/api/v1/orders/${orderId}`);
    expect(paid).toMatchObject({ paymentStatus: "paid", balanceDueCents: 0, status: "sent" });

    // The receipt prints (the print dialog is the browser's; here we see it asked for).
    await pos.goto(`${base}/pos/orders/${orderId}/receipt?check=${one!.id}`);
    const receipt = await pos.locator("[data-testid=receipt]").textContent();
    expect(receipt).toContain("Seat 1");
    expect(receipt).toContain("Tax 8.75%");
    expect(receipt).toContain(formatMoney(tip, "USD"));
    expect(receipt).toContain("1/3 of 1× Onion Rings");
    await pos.evaluate(() => { window.print = () => { document.body.dataset.printed = "yes"; }; });
    await pos.click("[data-print]");
    expect(await pos.evaluate(() => document.body.dataset.printed)).toBe("yes");
    await pos.screenshot({ path: `${SHOTS}/receipt-80mm.png`, fullPage: true });
    await pos.emulateMedia({ media: "print" });
    await pos.screenshot({ path: `${SHOTS}/receipt-80mm-print.png`, fullPage: true });
    await pos.emulateMedia({ media: "screen" });
    await pos.goto(`${base}/pos/orders/${orderId}/receipt?size=a4`);
    await pos.screenshot({ path: `${SHOTS}/receipt-a4.png`, fullPage: true });

    // History finds it by table and opens it read-only.
    await pos.goto(`${base}/pos/history?table=9`);
    await pos.screenshot({ path: `${SHOTS}/history.png` });
    await pos.click(`a[href="/pos/history/${orderId}"]`);
    await pos.waitForSelector("text=Reprint receipt");
    await pos.screenshot({ path: `${SHOTS}/history-order.png` });

    // The drawer closes 0.25 short of what it should hold.
    const taken = paid.payments.reduce((s: number, p: { amountCents: number; tipCents: number }) => s + p.amountCents + p.tipCents, 0);
    const expected = 10000 + taken;
    await pos.goto(`${base}/pos/drawer`);
    expect(await pos.locator("[data-testid=expected]").textContent()).toBe(formatMoney(expected, "USD"));
    await pos.screenshot({ path: `${SHOTS}/drawer-open.png`, fullPage: true });
    await pos.fill("input[name=counted]", ((expected - 25) / 100).toFixed(2));
    await pos.click("text=Count and close drawer");
    await pos.waitForSelector("text=CLOSED");
    expect(await pos.locator("[data-testid=over-short]").textContent()).toBe(formatMoney(25, "USD"));
    expect(await pos.locator(".drawer-figures").textContent()).toContain("Short");
    await pos.screenshot({ path: `${SHOTS}/drawer-closed.png`, fullPage: true });

    expect(problems).toEqual([]);
  }, 90_000);
});
