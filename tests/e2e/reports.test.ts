import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { buildKnownDay, DAY } from "../reports/day";

setDefaultTimeout(90_000);

/**
 * A manager reads the reports in Chromium at POS size and closing up on a phone: no script error or CSP
 * refusal, no sideways scrolling at 390 px, charts drawn, the end of day laid out for 80 mm and A4.
 * Screenshots go to E2E_SHOTS_DIR (default /tmp).
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp";

describe("reports in Chromium", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let browser: Browser;
  let base: string;
  let cookie: string;
  const problems: string[] = [];

  const open = async (width: number, height: number, path: string, dark = true): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? "dark" : "light" });
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value.join("="), url: base }]);
    const page = watchPage(await context.newPage(), problems);
    await page.goto(`${base}${path}`);
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, caret: "initial" });
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    const day = await buildKnownDay(db.db, "e2e-reports");
    cookie = (await sessionCookieFor(db.db, day.rid, "manager")).cookie;
    t.app.listen({ port: 0, hostname: "127.0.0.1" });
    base = `http://127.0.0.1:${t.app.server!.port}`;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t.app.stop(true);
    await t.close();
    await db.drop();
  });

  const q = `from=${DAY}&to=${DAY}`;

  it("shows every report at 1280x800 with its chart and no errors", async () => {
    for (const kind of ["", "/items", "/kitchen", "/staff"]) {
      const page = await open(1280, 800, `/admin/reports${kind}?${q}`);
      await shot(page, `reports${kind.replace("/", "-") || "-sales"}-1280`);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await page.context().close();
    }
    expect(problems).toEqual([]);
  });

  it("lets a manager closing up on a phone read every report without scrolling sideways", async () => {
    for (const kind of ["", "/items", "/kitchen", "/staff", "/end-of-day?paper=80mm&"]) {
      const path = kind.includes("?") ? `/admin/reports${kind}${q}` : `/admin/reports${kind}?${q}`;
      const page = await open(390, 844, path);
      await shot(page, `reports${kind.replace(/[/?&=]+/g, "-").replace(/-$/, "") || "-sales"}-phone`);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await page.context().close();
    }
    expect(problems).toEqual([]);
  });

  it("prints the end of day on 80 mm and A4 paper, and draws the charts in light mode too", async () => {
    const page = await open(1280, 800, `/admin/reports/end-of-day?${q}&paper=a4`, false);
    await shot(page, "reports-end-of-day-a4");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".print-tools").isVisible()).toBe(false);
    await page.pdf({ path: `${SHOTS}/reports-end-of-day-a4.pdf`, preferCSSPageSize: true });
    const receipt = await open(1280, 800, `/admin/reports/end-of-day?${q}&paper=80mm`, false);
    await receipt.emulateMedia({ media: "print" });
    await receipt.pdf({ path: `${SHOTS}/reports-end-of-day-80mm.pdf`, preferCSSPageSize: true });
    const light = await open(1280, 800, `/admin/reports?${q}`, false);
    expect(await light.locator("svg[role=img] title").first().textContent()).toBe("Net sales by hour");
    expect(problems).toEqual([]);
  });
});
