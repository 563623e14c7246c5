import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { watchPage } from "../helpers/browser";
import { startDemoServer, type DemoServer } from "../helpers/demo-server";
import type { TestDatabase } from "../helpers/db";
import type { makeTestApp } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { getOrder } from "../../src/orders/service";
import { bumpAtStation } from "../../src/kitchen/service";
import { setItemAvailability } from "../../src/menu/service";
import { demoMenu } from "../helpers/menu";
import { makeKiosk, makeTable } from "../guest/setup";

/**
 * Guests in a real browser: a portrait kiosk (1080x1920) orders with pay at the counter, the cashier
 * takes the money and sends it, the kitchen bumps, and the live order page flips to ready; a phone at a
 * table (390x844) sends two rounds to one check, sees an item 86'd live in its cart, and its page flips
 * to ready too. Script errors and CSP refusals fail the test. Screenshots go to /tmp/shots-guest/.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp/shots-guest";

describe("guests ordering in Chromium", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let browser: Browser;
  let base: string;
  let rid: string;
  let apiKey: string;
  const problems: string[] = [];

  async function contextWith(viewport: { width: number; height: number }, cookieHeader?: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport, hasTouch: true });
    if (cookieHeader) {
      await context.addCookies(cookieHeader.split("; ").map((c) => {
        const [name, ...value] = c.split("=");
        return { name: name!, value: value.join("="), url: base };
      }));
    }
    return context;
  }

  /** Every control a guest touches is at least 48 px tall, and nothing scrolls sideways. */
  async function checkAccessible(page: Page) {
    const { tooSmall, overflow } = await page.evaluate(() => {
      const controls = Array.from(document.querySelectorAll<HTMLElement>(".guest button, .guest a, .guest input:not([type=radio]):not([type=checkbox]), .guest .guest-option"));
      const visible = controls.filter((el) => el.offsetParent !== null && !el.closest("dialog:not([open])"));
      return {
        tooSmall: visible.filter((el) => el.getBoundingClientRect().height < 48).map((el) => `${el.tagName} ${el.textContent?.trim().slice(0, 30)} ${el.getBoundingClientRect().height}`),
        overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      };
    });
    expect(tooSmall).toEqual([]);
    expect(overflow).toBe(false);
  }

  async function bumpEverywhere(orderId: string) {
    const order = await getOrder(db.db, rid, orderId);
    for (const stationId of new Set(order.lines.flatMap((l) => l.stations.map((s) => s.stationId)))) {
      await bumpAtStation(db.db, rid, stationId, orderId, "all", { actor: "kitchen", userId: null, deviceId: null });
    }
  }

  let server: DemoServer;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startDemoServer("e2e-guest");
    ({ db, t, base, browser } = server);
    rid = server.demo.restaurant.id;
    apiKey = server.demo.apiKey;
  });
  afterAll(() => server?.stop());

  it("orders at a portrait kiosk, pays at the counter, and sees the order flip to ready", async () => {
    const kiosk = await makeKiosk(db.db, rid);
    const page = watchPage(await (await contextWith({ width: 1080, height: 1920 }, kiosk.cookie)).newPage(), problems);
    await page.goto(`${base}/guest/kiosk`);
    await checkAccessible(page);
    await page.screenshot({ path: `${SHOTS}/kiosk-portrait-menu.png` });
    await page.click(".guest-item >> text=Classic Burger");
    await page.waitForSelector("dialog[open]");
    await page.screenshot({ path: `${SHOTS}/kiosk-portrait-options.png` });
    await page.click("dialog[open] [data-add-item]");
    await page.click(".guest-item >> text=Onion Rings");
    await page.click("dialog[open] [data-add-item]");
    await page.fill("#guest-name", "Ada");
    await page.check("input[name=dining][value=takeout]");
    await page.screenshot({ path: `${SHOTS}/kiosk-portrait-cart.png` });
    // A double tap: one order.
    await page.dblclick("[data-checkout-button]");
    await page.waitForURL(/\/guest\/order\//);
    await page.waitForSelector("text=Please pay at the counter");
    await checkAccessible(page);
    await page.screenshot({ path: `${SHOTS}/kiosk-portrait-pay-at-counter.png` });

    const orders = (await (await fetch(`${base}/api/v1/orders`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { orders?: { id: string; totalCents: number; items: { fired: boolean }[] }[] } | { id: string; totalCents: number; items: { fired: boolean }[] }[];
    const list = Array.isArray(orders) ? orders : orders.orders!;
    expect(list.length).toBe(1);
    const order = list[0]!;
    expect(order.items.every((i) => !i.fired)).toBe(true);

    // The cashier takes the money and sends it from the guest desk, watching it there.
    const cashier = await sessionCookieFor(db.db, rid, "cashier");
    const desk = watchPage(await (await contextWith({ width: 1280, height: 800 }, cashier.cookie)).newPage(), problems, (s) => s >= 400 && s !== 409);
    await desk.goto(`${base}/guest-desk`);
    await desk.waitForSelector("text=Kiosk order");
    await desk.screenshot({ path: `${SHOTS}/desk-awaiting-payment.png` });
    const paid = await fetch(`${base}/api/v1/orders/${order.id}/payments`, {
      method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": "kiosk-e2e-pay-1" },
      body: JSON.stringify({ tender: "cash", amountCents: order.totalCents }),
    });
    expect(paid.status).toBe(201);
    await desk.waitForSelector("text=Paid");
    await desk.click("text=Paid: send to kitchen");
    await desk.waitForURL(`${base}/guest-desk`);
    await page.waitForSelector("text=the kitchen has your order");
    const sent = await getOrder(db.db, rid, order.id);
    expect(sent.lines.every((l) => l.firedAt && l.stations.length)).toBe(true);
    expect(sent.type).toBe("takeout");
    expect(sent.note).toBe("Kiosk · Ada · take out · pay at counter");

    await bumpEverywhere(order.id);
    await page.waitForSelector("[data-step=ready]");
    await page.screenshot({ path: `${SHOTS}/kiosk-portrait-ready.png` });
    const board = await (await (await contextWith({ width: 1920, height: 1080 }, cashier.cookie)).newPage()).goto(`${base}/board`);
    expect(await board!.text()).toContain(String((await getOrder(db.db, rid, order.id)).number));
  }, 90_000);

  it("shows a manager every table's QR code, ready to print", async () => {
    await makeTable(db.db, rid, "12");
    const manager = await sessionCookieFor(db.db, rid, "manager");
    const page = watchPage(await (await contextWith({ width: 1280, height: 800 }, manager.cookie)).newPage(), problems);
    await page.goto(`${base}/admin/tables`);
    expect(await page.locator(".qr-card img").count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator(".qr-card img").first().evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/admin-tables.png`, fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: `${SHOTS}/admin-tables-print.png`, fullPage: true });
  }, 30_000);

  it("fits a landscape kiosk (1920x1080) too, and goes back to the start after 60 s without a touch", async () => {
    const kiosk = await makeKiosk(db.db, rid);
    const page = watchPage(await (await contextWith({ width: 1920, height: 1080 }, kiosk.cookie)).newPage(), problems);
    await page.clock.install();
    await page.goto(`${base}/guest/kiosk`);
    await checkAccessible(page);
    await page.click(".guest-item >> text=Fries");
    await page.click("dialog[open] [data-add-item]");
    await page.fill("#guest-name", "Bo");
    await page.screenshot({ path: `${SHOTS}/kiosk-landscape-menu.png` });
    await page.clock.fastForward(30_000);
    expect(await page.locator("[data-cart-lines] li").count()).toBe(1);
    await page.clock.fastForward(61_000);
    await page.waitForSelector("[data-cart-empty]:not([hidden])");
    expect(await page.locator("[data-cart-lines] li").count()).toBe(0);
    expect(await page.inputValue("#guest-name")).toBe("");
  }, 30_000);

  it("orders two rounds from a phone at a table onto one check, sees 86 live, and the page flips to ready", async () => {
    const m = await demoMenu(db.db, rid);
    const table = await makeTable(db.db, rid, "7");
    const phone = watchPage(await (await contextWith({ width: 390, height: 844 })).newPage(), problems, (s) => s >= 400 && s !== 409);
    await phone.goto(`${base}/guest/t/${table.token}`);
    await checkAccessible(phone);
    await phone.screenshot({ path: `${SHOTS}/phone-menu.png` });
    await phone.click(".guest-item >> text=Cola");
    await phone.waitForSelector("dialog[open]");
    await phone.screenshot({ path: `${SHOTS}/phone-options.png` });
    await phone.click("dialog[open] [data-add-item]");
    await phone.click("[data-checkout-button]");
    await phone.waitForURL(/\/guest\/order\//);
    const firstRound = phone.url();
    await phone.waitForSelector("text=the kitchen has your order");
    await phone.screenshot({ path: `${SHOTS}/phone-round-1.png` });

    // The table's server has the check open on the POS: the guest's next round appears there live.
    const listed = (await (await fetch(`${base}/api/v1/orders`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { orders?: { id: string; table: string | null }[] } | { id: string; table: string | null }[];
    const checkId = (Array.isArray(listed) ? listed : listed.orders!).find((o) => o.table === "7")!.id;
    const server = await sessionCookieFor(db.db, rid, "server");
    const pos = watchPage(await (await contextWith({ width: 1280, height: 800 }, server.cookie)).newPage(), problems);
    await pos.goto(`${base}/pos?order=${checkId}`);
    await pos.waitForSelector("#ticket >> text=Cola");

    await phone.click("text=Order more");
    await phone.click(".guest-item >> text=Onion Rings");
    await phone.click("dialog[open] [data-add-item]");
    // Onion rings are 86'd while in the cart: the cart marks them live and checkout refuses.
    await setItemAvailability(db.db, rid, m.item("Onion Rings").id, false, { userId: null, deviceId: null });
    await phone.waitForSelector(".guest-soldout");
    await phone.click("[data-checkout-button]");
    await phone.waitForSelector("[data-checkout-error] >> text=Sold out");
    await phone.screenshot({ path: `${SHOTS}/phone-86-in-cart.png` });
    await setItemAvailability(db.db, rid, m.item("Onion Rings").id, true, { userId: null, deviceId: null });
    await phone.waitForFunction(() => !document.querySelector(".guest-soldout"));
    await phone.click("[data-checkout-button]");
    await phone.waitForURL((url) => url.pathname.startsWith("/guest/order/") && url.href !== firstRound);
    await phone.waitForSelector("text=Onion Rings");
    await pos.waitForSelector("#ticket >> text=Onion Rings");
    await pos.screenshot({ path: `${SHOTS}/pos-guest-round-live.png` });

    const orders = (await (await fetch(`${base}/api/v1/orders`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { orders?: { id: string; table: string | null }[] } | { id: string; table: string | null }[];
    const atTable = (Array.isArray(orders) ? orders : orders.orders!).filter((o) => o.table === "7");
    expect(atTable.length).toBe(1);
    const check = await getOrder(db.db, rid, atTable[0]!.id);
    expect(check.lines.map((l) => [l.name, l.fireRound])).toEqual([["Cola", 1], ["Onion Rings", 2]]);

    await bumpEverywhere(check.id);
    await phone.waitForSelector("[data-step=ready]");
    await checkAccessible(phone);
    await phone.screenshot({ path: `${SHOTS}/phone-ready.png`, fullPage: true });
    expect(problems).toEqual([]);
  }, 90_000);
});
