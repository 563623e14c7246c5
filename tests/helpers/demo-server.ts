import type { Browser } from "playwright-core";
import { launchChromium } from "./browser";
import { openTestDatabase, type TestDatabase } from "./db";
import { makeTestApp, testConfig } from "./app";
import { seedDemo, type DemoResult } from "../../src/restaurants/demo";

export type DemoServer = { db: TestDatabase; t: ReturnType<typeof makeTestApp>; demo: DemoResult; base: string; browser: Browser; stop: () => Promise<void> };

/** What a Chromium test stands on: a migrated Postgres, a demo restaurant, the app on a free port, a browser. */
export async function startDemoServer(slug: string): Promise<DemoServer> {
  const db = await openTestDatabase("postgres");
  const t = makeTestApp(db);
  const demo = await seedDemo(db.db, testConfig().pinPepper, slug);
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  const base = `http://127.0.0.1:${t.app.server!.port}`;
  const browser = await launchChromium();
  return {
    db, t, demo, base, browser,
    stop: async () => {
      await browser.close();
      await t.app.stop(true);
      await t.close();
      await db.drop();
    },
  };
}
