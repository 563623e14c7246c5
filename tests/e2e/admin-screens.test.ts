import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { makeDevice } from "../helpers/auth";
import { seedDemo, type DemoResult } from "../../src/restaurants/demo";
import { loadMenuAdmin } from "../../src/menu/admin-read";

/**
 * Issue 9, points 4 and 10-14, measured in Chromium on the viewports: where sign-in lands and
 * what the home page offers; the menu admin page following an 86 made at the POS; the modifier group
 * form's min/max; every admin control at least 44x44 px; no page wider than a 390 px phone.
 * Screenshots go to /tmp/shots-ux (or E2E_SHOTS_DIR).
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp/shots-ux";
const PHONE = { width: 390, height: 844 };
const TABLETS = [{ width: 1280, height: 800 }, { width: 1024, height: 768 }];

type Box = { what: string; w: number; h: number };

/**
 * Every control a person taps, with its tap target's size: buttons, links, fields, summaries; a
 * checkbox or radio is tapped through the label around it (the label toggles it), so that is measured.
 */
function controlSizes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== "hidden" && !e.closest(".visually-hidden, [hidden], details:not([open]) > :not(summary)");
    };
    const targets = new Set<Element>();
    for (const e of Array.from(document.querySelectorAll("main a, header a, button, select, textarea, summary, input:not([type=hidden])"))) {
      const input = e as HTMLInputElement;
      if (input.type === "checkbox" || input.type === "radio") targets.add(input.closest("label") ?? input);
      else targets.add(e);
    }
    return [...targets].filter(visible).map((e) => {
      const r = e.getBoundingClientRect();
      return { what: `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).trim().replace(/\s+/g, ".") : ""} "${(e.textContent ?? "").trim().slice(0, 30)}"`, w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 };
    });
  });
}

describe("admin screens and the first five minutes, in Chromium", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let browser: Browser;
  let base: string;
  let demo: DemoResult;
  let rid: string;
  let manager: string;
  let server: string;
  let orderId: string;
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];

  async function pageFor(cookie: string | null, viewport = TABLETS[0]!, mobile = false): Promise<Page> {
    const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile || viewport.width <= 1280 });
    contexts.push(context);
    if (cookie) {
      const [name, ...value] = cookie.split("=");
      await context.addCookies([{ name: name!, value: value.join("="), url: base }]);
    }
    return watchPage(await context.newPage(), problems, (s) => s >= 500);
  }
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage, caret: "initial" });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    demo = await seedDemo(db.db, testConfig().pinPepper, "demo");
    rid = demo.restaurant.id;
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    server = (await sessionCookieFor(db.db, rid, "server")).cookie;
    t.app.listen({ port: 0, hostname: "127.0.0.1" });
    base = `http://127.0.0.1:${t.app.server!.port}`;
    browser = await launchChromium();
    // Tickets on the kitchen screens, so the phone check measures real content.
    const menu = await loadMenuAdmin(db.db, rid);
    const id = (name: string) => menu.items.find((i) => i.name === name)!.id;
    const res = await fetch(`${base}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${demo.apiKey}`, "content-type": "application/json", "idempotency-key": "e2e-admin-screens-1" },
      body: JSON.stringify({ type: "dine_in", table: "12", note: "Birthday: bring the candle with the dessert", items: [{ menuItemId: id("Onion Rings"), quantity: 2, note: "Extra crispy, no salt" }, { menuItemId: id("Draft Lager"), quantity: 1 }, { menuItemId: id("Apple Pie"), quantity: 1 }] }),
    });
    if (res.status !== 201) throw new Error(`order: ${res.status} ${await res.text()}`);
    orderId = ((await res.json()) as { id: string }).id;
  }, 90_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t.app.stop(true);
    await t.close();
    await db.drop();
  });

  it("lands a manager who signs in on a home page linking every screen, each station's KDS and admin; admin's nav has the same", async () => {
    const page = await pageFor(null);
    await page.goto(`${base}/sign-in`);
    await page.fill("#email", demo.managerEmail);
    await page.fill("#password", demo.managerPassword);
    await Promise.all([page.waitForURL(`${base}/home`), page.click("button[type=submit]")]);
    await shot(page, "home-manager-1280");
    const links = await page.locator(".home-tile").evaluateAll((els) => els.map((e) => [e.querySelector("strong")!.textContent ?? "", new URL((e as HTMLAnchorElement).href).pathname] as [string, string]));
    const menu = await loadMenuAdmin(db.db, rid);
    for (const s of menu.stations) expect(links).toContainEqual([`Kitchen: ${s.name}`, `/kds/${s.id}`]);
    for (const [label, path] of [["POS", "/pos"], ["Open orders", "/pos/orders"], ["Expo", "/expo"], ["Ready board", "/board"], ["Menu", "/admin/menu"], ["Staff", "/admin/staff"],
      ["Stations & devices", "/admin/stations"], ["Settings", "/admin/settings"], ["Audit log", "/admin/audit"]] as [string, string][]) expect(links).toContainEqual([label, path]);
    // Every tile opens its screen.
    for (const [, path] of links) {
      const res = await page.request.get(`${base}${path}`, { maxRedirects: 0 });
      expect([path, res.status()]).toEqual([path, 200]);
    }
    await page.click("text=Kitchen: Grill");
    await page.waitForURL(/\/kds\/[0-9a-f-]{36}$/);
    await page.goto(`${base}/admin/staff`);
    const nav = await page.locator(".topbar nav a").evaluateAll((els) => els.map((e) => new URL((e as HTMLAnchorElement).href).pathname));
    expect(nav).toEqual(["/home", "/pos", "/guest-desk", "/kds", "/expo", "/board", "/admin/menu", "/admin/staff", "/admin/stations", "/admin/tables", "/admin/api-keys", "/admin/reports", "/admin/settings", "/admin/audit"]);
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows a server only the screens a server may open", async () => {
    const page = await pageFor(server, PHONE, true);
    await page.goto(`${base}/home`);
    await shot(page, "home-server-390");
    const labels = await page.locator(".home-tile strong").allTextContents();
    expect(labels).toEqual(["POS", "Open orders", "Guest orders", "Expo", "Ready board", "Change password", "Two-step sign-in"]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  }, 30_000);

  it("updates the admin menu page live when a server 86es an item from the POS, and back", async () => {
    const admin = await pageFor(manager);
    await admin.goto(`${base}/admin/menu`);
    await admin.locator('body[data-live-state="online"]').waitFor();
    await admin.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });
    const row = admin.locator("tr.item-row", { hasText: "Onion Rings" });
    expect(await row.locator(".avail-toggle").getAttribute("data-available")).toBe("true");

    const pos = await pageFor(server);
    await pos.goto(`${base}/pos?mode=86`);
    await pos.locator(".tab", { hasText: "Sides" }).click();
    await pos.locator(".item-86", { hasText: "Onion Rings" }).locator("button.avail-btn").click();
    await pos.locator(".item-86", { hasText: "Onion Rings" }).locator('.avail-toggle[data-available="false"]').waitFor();

    await row.locator('.avail-toggle[data-available="false"]').waitFor({ timeout: 5000 });
    expect(await row.locator("button.avail-btn").textContent()).toBe("86'd");
    expect(await row.locator("th").evaluate((el) => getComputedStyle(el).opacity)).toBe("0.5");
    expect(await admin.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await shot(admin, "admin-menu-live-86-1280");

    // Back on the menu from the POS: the admin page follows again, and its own switch still works.
    await pos.locator(".item-86", { hasText: "Onion Rings" }).locator("button.avail-btn").click();
    await row.locator('.avail-toggle[data-available="true"]').waitFor({ timeout: 5000 });
    await row.locator("button.avail-btn").click();
    await row.locator('.avail-toggle[data-available="false"]').waitFor();
    await row.locator("button.avail-btn").click();
    await row.locator('.avail-toggle[data-available="true"]').waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it("never rewrites the maximum while the minimum is typed: min 3 leaves max alone and says it is too low; typing max gives what was typed", async () => {
    const page = await pageFor(manager);
    await page.goto(`${base}/admin/menu/groups`);
    const min = page.locator("#f-new-group-minSelect");
    const max = page.locator("#f-new-group-maxSelect");
    await page.fill("#f-new-group-name", "Sauces");
    await min.click({ clickCount: 3 });
    await page.keyboard.type("3");
    await page.locator("#f-new-group-name").click(); // blur
    expect(await max.inputValue()).toBe("1");
    const note = page.locator("#f-new-group-maxSelect-live");
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toContain("At least 3");
    expect(await max.getAttribute("aria-invalid")).toBe("true");
    expect(await page.isChecked("#f-new-group-required")).toBe(true);
    await shot(page, "group-form-max-below-min-1280");
    // The bug: with max silently set to 3, typing "1" into it gave "31". Now max holds what the manager typed.
    await max.click({ clickCount: 3 });
    await page.keyboard.type("4");
    expect(await max.inputValue()).toBe("4");
    expect(await note.isVisible()).toBe(false);
    expect(await max.getAttribute("aria-invalid")).toBeNull();

    // Ticking Required lifts a minimum of 0 to 1; the next click into it selects that 1, so typing replaces it.
    await page.goto(`${base}/admin/menu/groups`);
    await page.check("#f-new-group-required");
    expect(await min.inputValue()).toBe("1");
    await min.click();
    await page.keyboard.type("2");
    expect(await min.inputValue()).toBe("2");
    await page.fill("#f-new-group-name", "Sauces");
    await max.fill("3");
    await page.fill("#f-new-group-options", "Ketchup\nMayo\nMustard\nAioli");
    await page.click("text=Create group");
    await page.locator(".flash.ok", { hasText: "Modifier group created." }).waitFor();
    const group = (await loadMenuAdmin(db.db, rid)).groups.find((g) => g.name === "Sauces")!;
    expect(group).toMatchObject({ required: true, minSelect: 2, maxSelect: 3 });
    expect(problems).toEqual([]);
  }, 60_000);

  const ADMIN_PAGES = async () => {
    const menu = await loadMenuAdmin(db.db, rid);
    return ["/home", "/admin/menu", `/admin/menu/items/${menu.items[0]!.id}`, "/admin/menu/items/new", "/admin/menu/groups", `/admin/menu/groups/${menu.groups[0]!.id}`,
      "/admin/menu/taxes", "/admin/menu/csv", "/admin/staff", "/admin/staff/new", "/admin/stations", "/admin/settings", "/admin/audit"];
  };

  it("makes every admin control at least 44x44 px on tablets and on a phone", async () => {
    const paths = await ADMIN_PAGES();
    const small: string[] = [];
    let measured = 0;
    for (const [viewport, mobile] of [...TABLETS.map((v) => [v, false] as const), [PHONE, true] as const]) {
      const page = await pageFor(manager, viewport, mobile);
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        const sizes = await controlSizes(page);
        measured += sizes.length;
        for (const s of sizes) if (s.w < 44 || s.h < 44) small.push(`${viewport.width}x${viewport.height} ${path}: ${s.what} ${s.w}x${s.h}`);
      }
      await page.goto(`${base}/admin/menu/groups/${(await loadMenuAdmin(db.db, rid)).groups[0]!.id}`);
      await shot(page, `admin-group-${viewport.width}`);
    }
    expect(measured).toBeGreaterThan(500);
    expect(small).toEqual([]);
  }, 120_000);

  it("keeps every page within a 390 px phone: no sideways scroll, Sign out / Sign off in view", async () => {
    const menu = await loadMenuAdmin(db.db, rid);
    const grill = menu.stations.find((s) => s.slug === "grill")!;
    const paths = [...await ADMIN_PAGES(), "/pos", `/pos?order=${orderId}`, `/pos/orders/${orderId}/pick/${menu.items.find((i) => i.name === "Classic Burger")!.id}`, "/pos/orders", "/kds", `/kds/${grill.id}`, `/kds/${menu.stations.find((s) => s.slug === "fry")!.id}`, "/expo", "/board",
      "/account/password", "/account/security"];
    const wide: string[] = [];
    const signedIn = await pageFor(manager, PHONE, true);
    for (const path of paths) {
      await signedIn.goto(`${base}${path}`);
      const m = await signedIn.evaluate(() => {
        const signOut = Array.from(document.querySelectorAll("button")).find((b) => /^Sign (out|off)$/.test(b.textContent!.trim()));
        return { width: document.documentElement.scrollWidth, signOutRight: signOut ? signOut.getBoundingClientRect().right : 0 };
      });
      if (m.width > PHONE.width) wide.push(`${path}: document ${m.width} px`);
      if (m.signOutRight > PHONE.width) wide.push(`${path}: Sign out ends at ${m.signOutRight} px`);
      await shot(signedIn, `phone${path.replace(/[0-9a-f-]{36}/g, "id").replace(/\W+/g, "-")}`, true);
    }
    const anonymous = await pageFor(null, PHONE, true);
    await anonymous.goto(`${base}/sign-in`);
    if (await anonymous.evaluate(() => document.documentElement.scrollWidth) > PHONE.width) wide.push("/sign-in");
    // A phone enrolled as a POS: its PIN pad.
    const station = await pageFor((await makeDevice(db.db, rid, "pos")).cookie, PHONE, true);
    await station.goto(`${base}/station`);
    await shot(station, "phone-station", true);
    if (await station.evaluate(() => document.documentElement.scrollWidth) > PHONE.width) wide.push("/station");
    expect(wide).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
