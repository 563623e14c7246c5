import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { sseReader } from "../helpers/sse";
import { makeDevice } from "../helpers/auth";
import { seedDemo, type DemoResult } from "../../src/restaurants/demo";
import { loadMenuAdmin } from "../../src/menu/admin-read";

setDefaultTimeout(30_000);

describe("the home page and the live menu admin stream", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let demo: DemoResult;
  let rid: string;
  let otherRid: string;
  const cookies: Record<string, string> = {};
  const tiles = async (cookie: string) => {
    const html = await (await t.app.handle(req("/home", { headers: { cookie } }))).text();
    return [...html.matchAll(/<a class="home-tile" href="([^"]+)"><strong>([^<]+)<\/strong>/g)].map((m) => [m[2]!.replaceAll("&amp;", "&"), m[1]]);
  };

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    demo = await seedDemo(db.db, testConfig().pinPepper, "demo");
    rid = demo.restaurant.id;
    otherRid = (await seedDemo(db.db, testConfig().pinPepper, "other")).restaurant.id;
    for (const role of ["manager", "server", "cashier", "kitchen", "expo"]) cookies[role] = (await sessionCookieFor(db.db, rid, role)).cookie;
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it("lists for each role exactly the screens its permissions open, with a tile per kitchen station", async () => {
    const stations = (await loadMenuAdmin(db.db, rid)).stations.map((s) => [`Kitchen: ${s.name}`, `/kds/${s.id}`]);
    const account = [["Change password", "/account/password"], ["Two-step sign-in", "/account/security"]];
    const admin = [["Menu", "/admin/menu"], ["Staff", "/admin/staff"], ["Stations & devices", "/admin/stations"], ["Tables & QR codes", "/admin/tables"], ["API keys", "/admin/api-keys"], ["Reports", "/admin/reports"], ["Settings", "/admin/settings"], ["Audit log", "/admin/audit"]];
    const front = [["POS", "/pos"], ["Open orders", "/pos/orders"], ["Guest orders", "/guest-desk"]];
    const expo = ["Expo", "/expo"];
    const board = ["Ready board", "/board"];
    expect(await tiles(cookies.manager!)).toEqual([...front, ...stations, expo, board, ...admin, ...account]);
    expect(await tiles(cookies.server!)).toEqual([...front, expo, board, ...account]);
    expect(await tiles(cookies.cashier!)).toEqual([...front, board, ...account]);
    expect(await tiles(cookies.kitchen!)).toEqual([...stations, expo, board, ...account]);
    expect(await tiles(cookies.expo!)).toEqual([...stations, expo, board, ...account]);
  });

  it("shows another restaurant's stations to nobody", async () => {
    const theirs = (await loadMenuAdmin(db.db, otherRid)).stations.map((s) => s.id);
    const html = await (await t.app.handle(req("/home", { headers: { cookie: cookies.manager! } }))).text();
    for (const id of theirs) expect(html).not.toContain(id);
  });

  it("is for signed-in people: a pinless screen, an API key and a stranger are turned away", async () => {
    const kds = await makeDevice(db.db, rid, "kds", { pinless: true, stationId: (await loadMenuAdmin(db.db, rid)).stations[0]!.id });
    expect((await t.app.handle(req("/home", { headers: { cookie: kds.cookie, accept: "application/json" } }))).status).toBe(403);
    expect((await t.app.handle(req("/home", { headers: { authorization: `Bearer ${demo.apiKey}` } }))).status).toBe(403);
    const stranger = await t.app.handle(req("/home"));
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("location")).toBe("/sign-in?next=%2Fhome");
  });

  it("sends every open menu admin page the new 86 switch when an item is 86ed elsewhere, and only managers may listen", async () => {
    for (const role of ["server", "kitchen"]) {
      expect((await t.app.handle(req("/admin/menu/stream", { headers: { cookie: cookies[role]!, accept: "application/json" } }))).status).toBe(403);
    }
    const controller = new AbortController();
    const res = await t.app.handle(req("/admin/menu/stream", { headers: { cookie: cookies.manager! }, signal: controller.signal }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBeNull();
    const sse = sseReader(res);
    try {
      // First the state as it is: every switch.
      const first = await sse.next((m) => m.event === "swap");
      const menu = await loadMenuAdmin(db.db, rid);
      expect(first.data.match(/<form id="avail-(item|option)-/g)!.length).toBe(menu.items.length + menu.options.length);
      // A server 86es Wings from the POS.
      const wings = menu.items.find((i) => i.name === "Wings (8)")!;
      const tap = await t.app.handle(req(`/menu/items/${wings.id}/availability`, { headers: { cookie: cookies.server!, "hx-request": "true" }, form: { available: "false", back: "/pos?mode=86" } }));
      expect(tap.status).toBe(200);
      const live = await sse.next((m) => m.event === "swap" && m.data.includes(`avail-item-${wings.id}`), 5000, sse.messages.indexOf(first) + 1);
      expect(live.data).toContain('data-available="false"');
      expect(live.data).toContain("Wings (8) is 86'd: bring it back");
      // Only the switch that changed travels.
      expect(live.data.match(/<form /g)!.length).toBe(1);
    } finally {
      controller.abort();
      sse.cancel();
    }
  });
});
