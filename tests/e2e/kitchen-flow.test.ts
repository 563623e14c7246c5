import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, testConfig } from "../helpers/app";
import { makeDevice, SESSION_COOKIE } from "../helpers/auth";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";

/**
 * The heart of the product in a real browser: a server takes a dine-in order with modifiers at the
 * POS, it appears on the grill KDS at once, the kitchen bumps it, expo sees it ready, and a reloaded
 * KDS shows the same state. Any CSP refusal or script error fails the test.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp";

describe("order to kitchen to pass, in Chromium", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let browser: Browser;
  let base: string;
  let rid: string;
  let station: Record<string, string>;
  const problems: string[] = [];

  const watch = (page: Page) => watchPage(page, problems);
  async function contextWith(cookie: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport });
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value.join("="), url: base }]);
    return context;
  }

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    rid = (await seedDemo(db.db, testConfig().pinPepper, "e2e-kitchen")).restaurant.id;
    station = Object.fromEntries(rowsOf<{ id: string; slug: string }>(await db.db.execute(sql`select id, slug from stations where restaurant_id = ${rid}`)).map((r) => [r.slug, r.id]));
    t.app.listen({ port: 0, hostname: "127.0.0.1" });
    base = `http://127.0.0.1:${t.app.server!.port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.app.stop(true);
    await t.close();
    await db.drop();
  });

  it("sends a POS order to the grill, bumps it, shows it ready at expo, and survives a reload", async () => {
    const server = await contextWith((await sessionCookieFor(db.db, rid, "server")).cookie);
    const grillDevice = await makeDevice(db.db, rid, "kds", { stationId: station.grill, pinless: true });
    const grill = watch(await (await contextWith(grillDevice.cookie, { width: 1366, height: 768 })).newPage());
    const fryDevice = await makeDevice(db.db, rid, "kds", { stationId: station.fry, pinless: true });
    const fry = watch(await (await contextWith(fryDevice.cookie)).newPage());
    const barDevice = await makeDevice(db.db, rid, "kds", { stationId: station.bar, pinless: true });
    const bar = watch(await (await contextWith(barDevice.cookie)).newPage());
    const expo = watch(await (await contextWith((await sessionCookieFor(db.db, rid, "expo")).cookie)).newPage());

    // The kitchen screens are up before the order exists: the ticket must arrive live.
    await grill.goto(`${base}/kds`); // a KDS device goes to its own station
    expect(await grill.locator(".kds-station").textContent()).toBe("Grill");
    await fry.goto(`${base}/kds/${station.fry}`);
    await bar.goto(`${base}/kds/${station.bar}`);
    await expo.goto(`${base}/expo`);
    await grill.waitForFunction(() => document.body.dataset.liveState === "online");

    const pos = watch(await server.newPage());
    await pos.goto(`${base}/pos`);
    await pos.click("text=Dine-in");
    await pos.fill("input[name=table]", "5");
    await pos.fill("input[name=guests]", "2");
    await pos.click("text=Start order");
    await pos.waitForURL(/order=/);
    await pos.click("text=Classic Burger");
    await pos.waitForSelector("form[data-picker]");
    // The Add button waits for the required choices (doneness has a default; choose another).
    await pos.click("form[data-picker] >> text=Rare");
    await pos.click("form[data-picker] >> text=Bacon");
    await pos.fill("form[data-picker] input[name=note]", "no pickles");
    await pos.click("[data-add]");
    await pos.waitForSelector("#ticket >> text=Bacon");
    await pos.click("label.tab >> text=Drinks");
    await pos.click("text=Draft Lager");
    await pos.waitForSelector("#ticket >> text=Draft Lager");
    await pos.screenshot({ path: `${SHOTS}/e2e-pos-ticket.png` });
    const sentAt = Date.now();
    await pos.click("text=Send to kitchen");
    await pos.waitForSelector("#ticket .badge >> text=SENT");

    const ticket = grill.locator(".kds-ticket", { hasText: "CLASSIC" });
    await ticket.waitFor({ timeout: 3000 });
    const latency = Date.now() - sentAt;
    expect(await ticket.textContent()).toContain("no pickles");
    expect(await ticket.textContent()).toContain("Rare");
    expect(await ticket.textContent()).not.toContain("Draft Lager");
    await bar.locator(".kds-ticket", { hasText: "Draft Lager" }).waitFor({ timeout: 3000 });
    await grill.screenshot({ path: `${SHOTS}/e2e-kds-grill.png` });
    console.log(`POS send -> grill ticket on screen: ${latency} ms (browser to browser, includes the click)`);

    // Bump bar keys on the grill: select ticket 1, Enter bumps it.
    await grill.keyboard.press("1");
    await grill.keyboard.press("Enter");
    await ticket.waitFor({ state: "detached", timeout: 3000 });
    // Touch on the fry and bar screens.
    await fry.locator(".kds-ticket [data-bump]").first().click();
    await fry.locator(".kds-ticket").first().waitFor({ state: "detached", timeout: 3000 });
    await bar.locator(".kds-ticket [data-bump]").first().click();
    await bar.locator(".kds-ticket").first().waitFor({ state: "detached", timeout: 3000 });

    // Expo sees it ready without a reload, with the POS's ticket showing READY lines too.
    const card = expo.locator("#expo-ready .expo-card");
    await card.waitFor({ timeout: 3000 });
    expect(await card.textContent()).toContain("Served");
    await expo.screenshot({ path: `${SHOTS}/e2e-expo.png` });

    // A reloaded KDS shows the same (empty) state; a recall brings the ticket back, also after a reload.
    await grill.reload();
    expect(await grill.locator(".kds-ticket").count()).toBe(0);
    await grill.keyboard.press("r");
    await grill.locator(".kds-ticket", { hasText: "CLASSIC" }).waitFor({ timeout: 3000 });
    await grill.reload();
    await grill.locator(".kds-ticket", { hasText: "CLASSIC" }).waitFor({ timeout: 3000 });
    // Expo follows: the order is cooking again.
    await expo.locator("#expo-cooking .expo-card").waitFor({ timeout: 3000 });

    expect(problems).toEqual([]);
  }, 60_000);
});
