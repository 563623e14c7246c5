import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { squareFixture, type SquareFixture } from "../square/setup";
import { makeKiosk } from "../guest/setup";

setDefaultTimeout(60_000);

/**
 * A guest pays by card at a portrait kiosk (1080x1920) in Chromium: the page loads the Web Payments SDK
 * (a tiny stand-in served by the fake Square server through SQUARE_WEB_SDK_URL, so the page's CSP is the
 * real one), the card becomes a token in the browser, and the server charges it. Script errors and CSP
 * refusals fail the test. Screenshots go to /tmp/shots-guestcard/.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp/shots-guestcard";

describe("a guest pays by card at the kiosk in Chromium", () => {
  let f: SquareFixture;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  async function kioskPage(): Promise<Page> {
    const kiosk = await makeKiosk(f.db.db, f.rid);
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await context.addCookies(kiosk.cookie.split("; ").map((c) => {
      const [name, ...value] = c.split("=");
      return { name: name!, value: value.join("="), url: base };
    }));
    const page = watchPage(await context.newPage(), problems, (s) => s >= 400 && s !== 422);
    await page.goto(`${base}/guest/kiosk`);
    await page.click(".guest-item >> text=Onion Rings");
    await page.click("dialog[open] [data-add-item]");
    await page.fill("#guest-name", "Ada");
    await page.check("input[name=payment][value=card]");
    await page.waitForSelector(".fake-square-card");
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    f = await squareFixture("e2e-kiosk-card", { pair: false, fakeWebSdk: true });
    f.app.listen({ port: 0, hostname: "127.0.0.1" });
    base = `http://127.0.0.1:${f.app.server!.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await f.app.stop(true);
    await f.close();
  });

  it("tokenizes the card in the browser, charges it once and lands on the live order page", async () => {
    const page = await kioskPage();
    await page.screenshot({ path: `${SHOTS}/kiosk-card-form.png`, fullPage: false });
    await page.dblclick("[data-checkout-button]");
    await page.waitForURL(/\/guest\/order\//);
    await page.screenshot({ path: `${SHOTS}/kiosk-card-paid.png` });
    const paid = [...f.fake.payments.values()];
    expect(paid.length).toBe(1);
    expect(paid[0]!.status).toBe("COMPLETED");
    expect(f.fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/payments").every((r) => r.body?.source_id === "cnon:browser-card-ok")).toBe(true);
    expect(await page.textContent("body")).not.toContain("Please pay at the counter");
    expect(problems).toEqual([]);
  });

  it("shows a declined card plainly and stays on the menu", async () => {
    const page = await kioskPage();
    f.fake.knobs.declineNext = "CARD_DECLINED";
    await page.click("[data-checkout-button]");
    await page.waitForSelector("[data-checkout-error]:has-text('The card was not charged')");
    await page.screenshot({ path: `${SHOTS}/kiosk-card-declined.png` });
    expect(page.url()).toContain("/guest/kiosk");
    expect(problems).toEqual([]);
  });
});
