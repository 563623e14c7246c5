import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { launchChromium, watchPage } from "../helpers/browser";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp } from "../helpers/app";
import { makeRestaurant, makeStaff } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

/**
 * A manager signs in, enrols the tablet as a POS station, and staff switch on it by PIN, in real
 * Chromium against the app listening on a free port. Screenshots go to /tmp for a person to look at.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? "/tmp";

describe("identity in a real browser", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let browser: Browser;
  let base: string;
  let manager: Awaited<ReturnType<typeof makeStaff>>;
  let server: Awaited<ReturnType<typeof makeStaff>>;
  let cashier: Awaited<ReturnType<typeof makeStaff>>;
  const problems: string[] = [];

  const watch = (page: Page) => watchPage(page, problems);

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    const rid = (await makeRestaurant(db.db, "e2e-identity")).id;
    manager = await makeStaff(db.db, rid, "manager", { email: "maya@e2e.test" });
    server = await makeStaff(db.db, rid, "server", { pin: "4821" });
    cashier = await makeStaff(db.db, rid, "cashier", { pin: "5791" });
    await withSystem(db.db, (tx) => tx.execute(sql`
      update users set name = case id when ${manager.user.id} then 'Maya Manager' when ${server.user.id} then 'Sam Server' when ${cashier.user.id} then 'Cal Cashier' end
      where id in (${manager.user.id}, ${server.user.id}, ${cashier.user.id})`));
    app.listen({ port: 0, hostname: "127.0.0.1" });
    base = `http://127.0.0.1:${app.server!.port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.drop();
  });

  it("signs a manager in, enrols this tablet as a POS, and switches staff by PIN", async () => {
    // A 10" tablet in landscape, driven by touch.
    const context = await browser.newContext({ viewport: { width: 1180, height: 820 }, hasTouch: true, isMobile: false, deviceScaleFactor: 1 });
    const page = watch(await context.newPage());

    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await page.screenshot({ path: `${SHOTS}/identity-sign-in.png` });
    await page.fill("#email", "maya@e2e.test");
    await page.fill("#password", manager.password);
    await page.click("button[type=submit]");
    // Sign-in lands on the home page of screens (issue 9); Staff is one tap from there.
    await page.waitForURL(`${base}/home`);
    await page.click(".home-tile:has-text('Staff')");
    await page.waitForURL(`${base}/admin/staff`);
    await page.screenshot({ path: `${SHOTS}/identity-staff-admin.png`, fullPage: true });
    expect(await page.textContent("body")).toContain("Sam Server");

    // Two-step sign-in set-up shows a QR code drawn on the server.
    await page.click("text=Your two-step sign-in");
    await page.click("button:has-text(\"Set up two-step sign-in\")");
    await page.waitForSelector("img.qr");
    expect(await page.evaluate(() => (document.querySelector("img.qr") as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/identity-totp-setup.png`, fullPage: true });
    await page.goto(`${base}/admin/staff`);

    await page.click("text=Stations & devices");
    await page.waitForURL(`${base}/admin/stations`);
    await page.screenshot({ path: `${SHOTS}/identity-stations-admin.png`, fullPage: true });
    await page.fill("#device-name", "Front POS");
    await page.selectOption("#device-kind", "pos");
    await page.click("button:has-text(\"Enrol this browser\")");
    await page.waitForURL(`${base}/station?done=enrolled`);
    // The on-screen keys appear once the script runs; the tablet's own keyboard stays away.
    await page.waitForSelector("[data-pin-keys]:not([hidden])");
    expect(await page.getAttribute("#pin", "inputmode")).toBe("none");
    await page.screenshot({ path: `${SHOTS}/identity-pin-pad.png` });
    const key = await page.locator(".key[data-key='5']").boundingBox();
    expect(key!.height).toBeGreaterThanOrEqual(64);
    expect(key!.width).toBeGreaterThanOrEqual(64);

    // Sam taps his PIN on the keys.
    for (const digit of "4821") await page.tap(`.key[data-key='${digit}']`);
    expect(await page.inputValue("#pin")).toBe("4821");
    await page.tap(".pin-go");
    await page.waitForURL(`${base}/pos`);

    // Cal takes over: taps her name, types her PIN on a keyboard, Enter.
    await page.goto(`${base}/station`);
    expect(await page.textContent(".station-head")).toContain("Sam Server");
    await page.tap("text=Cal Cashier");
    await page.focus("#pin");
    await page.keyboard.type("5791");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/pos`);

    const live = rowsOf<{ user_id: string; kind: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select user_id, kind from sessions where revoked_at is null and device_id is not null`)));
    expect(live).toEqual([{ user_id: cashier.user.id, kind: "pin" }]);

    // A wrong PIN shows the message where she is looking, and signs nobody on.
    await page.goto(`${base}/station`);
    for (const digit of "0000") await page.tap(`.key[data-key='${digit}']`);
    await page.tap(".pin-go");
    await page.waitForSelector("#pin-error");
    expect(await page.textContent("#pin-error")).toContain("That PIN is not right.");
    expect(problems.splice(problems.indexOf("response: 401 POST /station/pin"), 1)).toEqual(["response: 401 POST /station/pin"]);

    // Sign off returns to the pad.
    await page.tap("text=Sign off");
    await page.waitForURL(`${base}/station?done=signed-off`);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("lays the PIN pad out for a portrait tablet and a phone too", async () => {
    for (const [name, viewport] of [["portrait", { width: 800, height: 1280 }], ["phone", { width: 390, height: 844 }]] as const) {
      const context = await browser.newContext({ viewport, hasTouch: true });
      const page = watch(await context.newPage());
      // The device cookie of the enrolled tablet is in the first context; enrol this one too.
      await page.goto(`${base}/sign-in`);
      await page.fill("#email", "maya@e2e.test");
      await page.fill("#password", manager.password);
      await page.click("button[type=submit]");
      await page.waitForURL(`${base}/home`);
      await page.goto(`${base}/admin/stations`);
      await page.fill("#device-name", `POS ${name}`);
      await page.click("button:has-text(\"Enrol this browser\")");
      await page.waitForSelector("[data-pin-keys]:not([hidden])");
      await page.screenshot({ path: `${SHOTS}/identity-pin-pad-${name}.png`, fullPage: true });
      // Every key fits on screen without sideways scrolling.
      const widest = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(widest).toBeLessThanOrEqual(viewport.width);
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
