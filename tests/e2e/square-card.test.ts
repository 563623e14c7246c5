import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import type { Browser, BrowserContext } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { squareFixture, type SquareFixture } from "../square/setup";

setDefaultTimeout(90_000);

/**
 * A split check's seat paid by card on a (fake) Square Terminal, in Chromium at the POS's 1280x800:
 * the seat's check is charged, the screen follows the Terminal live (sent, guest paying, completed
 * with tip, brand and last 4), then a manager refunds part of it. Any CSP refusal or script error
 * fails the test. Screenshots go to /tmp/shots-square/.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp/shots-square";

describe("a seat paid by card on the Square Terminal, in Chromium", () => {
  let f: SquareFixture;
  let browser: Browser;
  let base: string;
  const problems: string[] = [];

  async function contextWith(cookieHeader: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies(cookieHeader.split("; ").map((c) => {
      const [name, ...value] = c.split("=");
      return { name: name!, value: value.join("="), url: base };
    }));
    return context;
  }

  beforeAll(async () => {
    f = await squareFixture("e2e-square");
    f.app.listen({ port: 0, hostname: "127.0.0.1" });
    base = `http://127.0.0.1:${f.app.server!.port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await f.app.stop(true);
    await f.close();
  });

  it("charges seat 1's check with a tip, shows each state live, and refunds part of it", async () => {
    const o = await f.place([f.rings(1), f.rings(1), f.rings(2)]);
    const split = await f.api(`/api/v1/orders/${o.id}/split`, { json: { kind: "seat" } });
    expect(split.status).toBeLessThan(300);
    const pos = watchPage(await (await contextWith(f.server.cookie)).newPage(), problems);
    await pos.goto(`${base}/pos/orders/${o.id}/pay`);
    await pos.click("[data-testid=pay-by-card]");
    await pos.waitForURL(/\/card/);
    const charge = pos.locator("[data-testid=charge]");
    const label = (await charge.textContent()) ?? "";
    await charge.click();
    await pos.waitForSelector("text=Sent to the Terminal");
    await pos.screenshot({ path: `${SHOTS}/1-sent.png` });
    const checkout = [...f.fake.checkouts.values()].at(-1)!;
    expect(label).toContain(`$${(checkout.amount_money.amount / 100).toFixed(2)}`);

    f.fake.progress(checkout.id);
    await pos.waitForSelector("text=Guest is paying on the Terminal", { timeout: 10_000 });
    await pos.screenshot({ path: `${SHOTS}/2-paying.png` });

    f.fake.complete(checkout.id, { tipCents: 120, brand: "VISA", last4: "4242" });
    await pos.waitForSelector("[data-testid=card-state] >> text=Completed", { timeout: 10_000 });
    await pos.waitForSelector("text=VISA •••• 4242");
    await pos.waitForSelector("text=tip $1.20");
    await pos.screenshot({ path: `${SHOTS}/3-completed.png` });

    const manager = watchPage(await (await contextWith(f.manager.cookie)).newPage(), problems);
    await manager.goto(pos.url());
    await manager.click("summary >> text=Refund…");
    await manager.fill("input[name=amount]", "2.00");
    await manager.fill("input[name=reason]", "Rings were cold");
    await manager.click("text=Refund to the card");
    await manager.waitForSelector("[data-testid=card-refund] >> text=Refunded: $2.00");
    await manager.screenshot({ path: `${SHOTS}/4-refunded.png` });
    await pos.reload();
    await pos.waitForSelector("text=Refunded: $2.00");
    const pay = await (await f.api(`/api/v1/orders/${o.id}/payments`)).json() as any;
    expect(pay.payments[0]).toMatchObject({ tender: "card", status: "partly_refunded", refundedCents: 200, tipCents: 120 });
    expect(problems).toEqual([]);
  });

  it("shows the owner the Square connection with secrets hidden and the paired Terminal", async () => {
    const page = watchPage(await (await contextWith(f.owner.cookie)).newPage(), problems);
    await page.goto(`${base}/admin/square`);
    await page.waitForSelector("[data-testid=paired]");
    expect(await page.inputValue("#accessToken")).toBe("");
    expect(await page.content()).not.toContain("EAAAl-sandbox-token");
    await page.click("text=Pair another Terminal");
    await page.waitForSelector("[data-testid=device-code]");
    // Asking for a new code does not unpair the Terminal taking cards now.
    expect(await page.isVisible("[data-testid=paired]")).toBe(true);
    await page.screenshot({ path: `${SHOTS}/5-settings.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
