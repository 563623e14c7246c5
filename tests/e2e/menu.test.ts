import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { loadMenuAdmin } from "../../src/menu/admin-read";

/**
 * A manager edits the menu in a real browser: adds and orders a category, creates an item with a
 * price and two stations, attaches a modifier group, is told about a bad price next to the field,
 * 86es an item in one tap, creates a group, and imports a broken CSV. The same forms work with
 * JavaScript off. Any CSP refusal or script error fails the test. Screenshots go to /tmp.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp";

describe("menu admin in Chromium", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let browser: Browser;
  let base: string;
  let rid: string;
  let cookie: string;
  const problems: string[] = [];

  const watch = (page: Page) => watchPage(page, problems, (s) => s >= 500);
  async function contextWith(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value.join("="), url: base }]);
    return context;
  }
  const data = () => loadMenuAdmin(db.db, rid);
  // caret: "initial" keeps Playwright from injecting a <style> to hide the caret, which our CSP (rightly) refuses.
  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, caret: "initial" });

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    rid = (await seedDemo(db.db, testConfig().pinPepper, "e2e-menu")).restaurant.id;
    cookie = (await sessionCookieFor(db.db, rid, "manager")).cookie;
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

  it("edits the menu with htmx: categories, an item with stations and groups, a refused price, an 86", async () => {
    const page = watch(await (await contextWith()).newPage());
    await page.goto(`${base}/admin/menu`);
    await shot(page, "menu-admin-overview");

    // Add a category: htmx swaps the board in place, no navigation.
    await page.fill("#f-new-category-name", "Brunch");
    await page.click("text=Add category");
    await page.locator(".flash.ok", { hasText: "Category added." }).waitFor();
    expect(page.url()).toBe(`${base}/admin/menu`);
    const titles = () => page.locator(".category-title > span").allTextContents();
    expect((await titles()).at(-1)).toBe("Brunch");
    await page.click('button[aria-label="Move Brunch up"]');
    await page.locator(".flash.ok", { hasText: "Order changed." }).waitFor();
    expect((await titles()).slice(-2)).toEqual(["Brunch", "Desserts"]);

    // A new item in Brunch, routed to two stations.
    await page.locator("article", { hasText: "Brunch" }).locator("text=Add item").click();
    await page.fill("#f-item-name", "Eggs Benedict");
    await page.fill("#f-item-price", "14.50");
    await page.fill("#f-item-kitchenName", "BENNY");
    await page.check("label.chip:has-text('Grill') input");
    await page.check("label.chip:has-text('Cold') input");
    await page.click("text=Create item");
    await page.locator(".flash.ok", { hasText: "Item created." }).waitFor();
    const item = (await data()).items.find((i) => i.name === "Eggs Benedict")!;
    expect(item.priceCents).toBe(1450);
    expect((await data()).itemStations.filter((s) => s.itemId === item.id)).toHaveLength(2);

    // Attach a modifier group.
    await page.selectOption("#f-attach-groupId", { label: "Side" });
    await page.click("text=Add group");
    await page.locator(".attached-groups li", { hasText: "Side" }).waitFor();
    await shot(page, "menu-admin-item");

    // A bad price is refused next to the field; what was typed stays.
    await page.fill("#f-item-price", "twelve");
    await page.click("text=Save item");
    await page.locator("#f-item-price-error").waitFor();
    expect(await page.locator("#f-item-price-error").textContent()).toContain("Enter a price as a number");
    expect(await page.inputValue("#f-item-price")).toBe("twelve");
    expect(await page.getAttribute("#f-item-price", "aria-invalid")).toBe("true");
    await shot(page, "menu-admin-item-error");
    expect((await data()).items.find((i) => i.id === item.id)!.priceCents).toBe(1450);

    // 86 Fries in one tap: the toggle swaps itself and the row greys out.
    await page.goto(`${base}/admin/menu`);
    const fries = page.locator("tr.item-row", { hasText: "Fries" }).first();
    await fries.locator("button.avail-btn").click();
    await fries.locator('.avail-toggle[data-available="false"]').waitFor();
    expect(await fries.locator("button.avail-btn").textContent()).toBe("86'd");
    expect(await fries.locator("th").evaluate((el) => getComputedStyle(el).opacity)).toBe("0.5");
    expect((await data()).items.find((i) => i.name === "Fries")!.available).toBe(false);
    await shot(page, "menu-admin-86");
    expect(problems).toEqual([]);
  }, 60_000);

  it("creates a modifier group with its options and sets a default", async () => {
    const page = watch(await (await contextWith()).newPage());
    await page.goto(`${base}/admin/menu/groups`);
    await page.fill("#f-new-group-name", "Eggs");
    // The Alpine helper raises the minimum when Required is ticked.
    await page.check("#f-new-group-required");
    expect(await page.inputValue("#f-new-group-minSelect")).toBe("1");
    await page.fill("#f-new-group-options", "Poached\nScrambled\nFried +0.50");
    await page.click("text=Create group");
    await page.locator(".flash.ok", { hasText: "Modifier group created." }).waitFor();
    const row = page.locator(".option-row", { has: page.locator('input[value="Scrambled"]') });
    await row.locator('input[name="isDefault"]').check();
    await row.locator("button", { hasText: "Save" }).click();
    await page.locator(".flash.ok", { hasText: "Option saved." }).waitFor();
    const d = await data();
    const group = d.groups.find((g) => g.name === "Eggs")!;
    expect(group).toMatchObject({ required: true, minSelect: 1, maxSelect: 1 });
    expect(d.options.filter((o) => o.groupId === group.id).map((o) => [o.name, o.priceDeltaCents, o.isDefault])).toEqual([
      ["Poached", 0, false], ["Scrambled", 0, true], ["Fried", 50, false],
    ]);
    await shot(page, "menu-admin-group");
    await page.goto(`${base}/admin/menu/groups`);
    await shot(page, "menu-admin-groups");
    await page.goto(`${base}/admin/menu/taxes`);
    await shot(page, "menu-admin-taxes");
    expect(problems).toEqual([]);
  }, 60_000);

  it("lists every problem of a broken CSV by row and column and imports nothing", async () => {
    const page = watch(await (await contextWith()).newPage());
    await page.goto(`${base}/admin/menu/csv`);
    const before = JSON.stringify(await data());
    await page.setInputFiles("#menu-file", { name: "menu.csv", mimeType: "text/csv", buffer: Buffer.from("type,name,price,category\ncategory,Mains,,\nitem,Soup,abc,Mains\nitem,,1,Nowhere\n") });
    expect(await page.locator(".hint").first().textContent()).toContain("menu.csv");
    await page.click("text=Check and import");
    await page.locator(".import-problems").waitFor();
    expect(await page.locator(".import-problems tbody tr").count()).toBe(3);
    await shot(page, "menu-admin-csv");
    expect(JSON.stringify(await data())).toBe(before);
    expect(problems).toEqual([]);
  }, 60_000);

  it("works with JavaScript turned off: plain forms post and redirect back", async () => {
    const page = watch(await (await contextWith({ javaScriptEnabled: false })).newPage());
    await page.goto(`${base}/admin/menu`);
    await page.fill("#f-new-category-name", "No-JS Specials");
    await page.click("text=Add category");
    await page.waitForURL(`${base}/admin/menu?done=category-created`);
    expect(await page.locator(".flash.ok").textContent()).toBe("Category added.");
    const cola = page.locator("tr.item-row", { hasText: "Cola" }).first();
    await cola.locator("button.avail-btn").click();
    await page.waitForURL(/done=availability-saved/);
    expect((await data()).items.find((i) => i.name === "Cola")!.available).toBe(false);
    expect(problems).toEqual([]);
  }, 60_000);
});
