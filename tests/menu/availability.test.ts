import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, readable, type MenuWorld } from "./setup";
import { openPostgres, type Database } from "../../src/db/client";
import { createBus, type EventBus, type EventRow } from "../../src/realtime/bus";
import { createLogger } from "../../src/ops/logger";
import { testConfig, req } from "../helpers/app";
import { freePort, ROOT, waitFor } from "../helpers/proc";
import type { MenuJson } from "../../src/menu/api-menu";

describe("86: one tap from admin, POS or kitchen, seen everywhere", () => {
  let w: MenuWorld;
  beforeAll(async () => { w = await menuWorld(); });
  afterAll(() => w.close());

  const tap = (kind: "items" | "options", id: string, cookie: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    w.app.handle(req(`/menu/${kind}/${id}/availability`, { method: "POST", headers: { cookie, ...headers }, form }));

  it("86es an item for htmx and answers with just the toggle, now showing 86'd", async () => {
    const fries = byName(await w.data()).item("Fries");
    const res = await tap("items", fries.id, w.manager, { available: "false", back: "/admin/menu" }, { "hx-request": "true" });
    expect(res.status).toBe(200);
    const html = await res.text();
    // The toggle carries its id, by which live admin screens replace it (issue 9).
    expect(html.startsWith(`<form id="avail-item-${fries.id}" method="post" action="/menu/items/`)).toBe(true);
    expect(html).not.toContain("<html");
    expect(html).toContain('data-available="false"');
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain('name="available" value="true"');
    expect(byName(await w.data()).item("Fries").available).toBe(false);
  });

  it("brings it back from a plain form and returns to the page it came from", async () => {
    const fries = byName(await w.data()).item("Fries");
    const res = await tap("items", fries.id, w.manager, { available: "true", back: `/admin/menu/items/${fries.id}` });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/menu/items/${fries.id}?done=availability-saved`);
    expect(byName(await w.data()).item("Fries").available).toBe(true);
  });

  it("never redirects off the site after an 86", async () => {
    const fries = byName(await w.data()).item("Fries");
    const res = await tap("items", fries.id, w.manager, { available: "true", back: "//evil.example/x" });
    expect(res.headers.get("location")).toBe("/admin/menu?done=availability-saved");
  });

  it("answers JSON callers with JSON", async () => {
    const cola = byName(await w.data()).item("Cola");
    const res = await tap("items", cola.id, w.server, { available: "false" }, { accept: "application/json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: cola.id, kind: "item", available: false });
    await tap("items", cola.id, w.server, { available: "true" }, { accept: "application/json" });
  });

  it("lets a server and a kitchen user 86, though neither may edit the menu", async () => {
    const d = byName(await w.data());
    expect((await tap("items", d.item("Apple Pie").id, w.server, { available: "false" })).status).toBe(303);
    expect((await tap("options", d.option("Side", "Onion rings").id, w.kitchen, { available: "false" })).status).toBe(303);
    const after = byName(await w.data());
    expect(after.item("Apple Pie").available).toBe(false);
    expect(after.option("Side", "Onion rings").available).toBe(false);
    expect((await w.post("/admin/menu/categories", w.kitchen, { name: "Nope" })).status).toBe(403);
  });

  it("86es a modifier option and greys it in its group page", async () => {
    const rings = byName(await w.data()).option("Side", "Onion rings");
    const page = await (await w.get(`/admin/menu/groups/${rings.groupId}`, w.manager)).text();
    expect(page).toContain(`action="/menu/options/${rings.id}/availability" class="avail-toggle" data-available="false"`);
    await tap("options", rings.id, w.manager, { available: "true" });
  });

  it("refuses a request that does not say available=true or false", async () => {
    const fries = byName(await w.data()).item("Fries");
    const res = await tap("items", fries.id, w.manager, { available: "maybe" }, { accept: "application/json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "bad_request", field: "available" });
  });

  it("tells htmx in place when the item no longer exists", async () => {
    const res = await tap("items", crypto.randomUUID(), w.manager, { available: "false" }, { "hx-request": "true" });
    expect(res.status).toBe(404);
    expect(readable(await res.text())).toBe('<span class="avail-toggle field-error" role="alert">That menu item does not exist.</span>');
  });

  it("delivers the 86 event within a second to a bus on another database connection", async () => {
    const log = createLogger(testConfig());
    const second: Database = await openPostgres(w.db.url!, 2);
    const bus: EventBus = createBus({ database: second, log, pollMs: 60_000 });
    try {
      await bus.ready;
      const head = await bus.currentSeq(w.rid);
      const received = new Promise<EventRow>((resolve) => {
        bus.subscribe(w.rid, head, (events) => {
          const hit = events.find((e) => e.type === "menu.availability");
          if (hit) resolve(hit);
        });
      });
      const wings = byName(await w.data()).item("Wings (8)");
      const started = performance.now();
      await tap("items", wings.id, w.kitchen, { available: "false" }, { "hx-request": "true" });
      const event = await Promise.race([received, Bun.sleep(1000).then(() => null)]);
      expect(event).not.toBeNull();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(event!.data).toEqual({ kind: "item", id: wings.id, available: false });
    } finally {
      await bus.close();
      await second.close();
    }
  });

  it("reaches a second server process: its cached menu API shows the 86 within a second, and the return", async () => {
    const port = await freePort();
    const proc = Bun.spawn(["bun", "src/server.ts"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", DATABASE_URL: w.db.url!, PORT: String(port), HOST: "127.0.0.1", SEED_DEMO: "0" },
      stdout: "pipe", stderr: "pipe",
    });
    try {
      await waitFor(`http://127.0.0.1:${port}/healthz`);
      const salad = byName(await w.data()).item("Caesar Salad");
      const readRemote = async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/menu`, { headers: { authorization: `Bearer ${w.home.apiKey}` } });
        expect(res.status).toBe(200);
        const menu = (await res.json()) as MenuJson;
        return menu.categories.flatMap((c) => c.items).find((i) => i.id === salad.id)!;
      };
      expect((await readRemote()).available).toBe(true); // now cached in the other process
      const until = async (available: boolean) => {
        const started = performance.now();
        while (performance.now() - started < 1000) {
          if ((await readRemote()).available === available) return performance.now() - started;
          await Bun.sleep(20);
        }
        throw new Error(`the other process did not see available=${available} within a second`);
      };
      await tap("items", salad.id, w.server, { available: "false" });
      expect(await until(false)).toBeLessThan(1000);
      await tap("items", salad.id, w.server, { available: "true" });
      expect(await until(true)).toBeLessThan(1000);
    } finally {
      proc.kill();
      await proc.exited;
    }
  }, 30_000);
});
