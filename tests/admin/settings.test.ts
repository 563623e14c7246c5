import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";

setDefaultTimeout(30_000);

type Snapshot = { restaurant: Record<string, unknown>; stations: { id: string; name: string; slug: string }[]; audits: number };

describe("restaurant settings (/admin/settings)", () => {
  let db: TestDatabase;
  let t: ReturnType<typeof makeTestApp>;
  let rid: string;
  let otherRid: string;
  let manager: string;
  let stations: { id: string; name: string; slug: string }[];
  let otherStationId: string;

  const snapshot = async (restaurantId = rid): Promise<Snapshot> => withSystem(db.db, async (tx) => ({
    restaurant: rowsOf<Record<string, unknown>>(await tx.execute(sql`select name, time_zone, day_starts_at_hour, tax_rate_bps, tax_inclusive, age_thresholds from restaurants where id = ${restaurantId}`))[0]!,
    stations: rowsOf<{ id: string; name: string; slug: string }>(await tx.execute(sql`select id, name, slug from stations where restaurant_id = ${restaurantId} order by slug`)),
    audits: Number(rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from audit_log where restaurant_id = ${restaurantId} and action = 'settings.updated'`))[0]!.n),
  }));

  /** A complete, valid form as the page would send it, with some fields changed. */
  const form = (changes: Record<string, string> = {}) => ({
    name: "Demo Diner", timeZone: "America/New_York", dayStartsAtHour: "4", taxRate: "8.75", taxInclusive: "exclusive",
    warnAfter: "8", lateAfter: "12", criticalAfter: "16", ...Object.fromEntries(stations.map((s) => [`station-${s.id}`, s.name])), ...changes,
  });
  const post = (cookie: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.handle(req("/admin/settings", { form: body, headers: { cookie, ...headers } }));

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    t = makeTestApp(db);
    rid = (await seedDemo(db.db, testConfig().pinPepper, "demo")).restaurant.id;
    otherRid = (await seedDemo(db.db, testConfig().pinPepper, "settings-other")).restaurant.id;
    manager = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    stations = (await snapshot()).stations;
    otherStationId = (await snapshot(otherRid)).stations[0]!.id;
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it("shows a manager every setting with its saved value", async () => {
    const res = await t.app.handle(req("/admin/settings", { headers: { cookie: manager } }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('value="Demo Diner"');
    expect(html).toContain('<option value="America/New_York" selected>');
    expect(html).toContain('value="8.75"');
    for (const s of stations) expect(html).toContain(`name="station-${s.id}" type="text" value="${s.name}"`);
  });

  it("saves name, time zone, business-day start, tax, ageing thresholds and station names together, audited with before and after", async () => {
    const grill = stations.find((s) => s.slug === "grill")!;
    const res = await post(manager, form({
      name: "Luigi's Diner", timeZone: "Europe/Rome", dayStartsAtHour: "5", taxRate: "10", taxInclusive: "inclusive",
      warnAfter: "5", lateAfter: "9", criticalAfter: "14", [`station-${grill.id}`]: "Flat top",
    }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/settings?done=saved");
    const after = await snapshot();
    expect(after.restaurant).toEqual({ name: "Luigi's Diner", time_zone: "Europe/Rome", day_starts_at_hour: 5, tax_rate_bps: 1000, tax_inclusive: true, age_thresholds: [5, 9, 14] });
    // The slug stays: CSV files and devices already know the station by it.
    expect(after.stations.find((s) => s.id === grill.id)).toEqual({ id: grill.id, name: "Flat top", slug: "grill" });
    const [audit] = rowsOf<{ data: { changes: Record<string, { from: unknown; to: unknown }>; stationsRenamed: unknown[] } }>(
      await withSystem(db.db, (tx) => tx.execute(sql`select data from audit_log where restaurant_id = ${rid} and action = 'settings.updated' order by created_at desc limit 1`)));
    expect(audit!.data.changes.name).toEqual({ from: "Demo Diner", to: "Luigi's Diner" });
    expect(audit!.data.changes.ageThresholds).toEqual({ from: [8, 12, 16], to: [5, 9, 14] });
    expect(audit!.data.stationsRenamed).toEqual([{ id: grill.id, from: "Grill", to: "Flat top" }]);
    const [event] = rowsOf<{ type: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select type from events where restaurant_id = ${rid} order by seq desc limit 1`)));
    expect(event!.type).toBe("restaurant.settings_updated");
    // The kitchen screen ages tickets by the new thresholds.
    const kds = await (await t.app.handle(req(`/kds/${grill.id}`, { headers: { cookie: manager } }))).text();
    expect(kds).toContain('data-thresholds="5,9,14"');
    stations = after.stations;
  });

  const refusals: [string, Record<string, string>, string, string][] = [
    ["an empty name", { name: "  " }, "name", "Give the restaurant a name of 1 to 120 characters."],
    ["a name of 121 characters", { name: "x".repeat(121) }, "name", "Give the restaurant a name of 1 to 120 characters."],
    ["a name with a tab in it", { name: "Demo\tDiner" }, "name", "The name must be one line of text, without tabs or control characters."],
    ["an unknown time zone", { timeZone: "Mars/Olympus" }, "timeZone", "Choose a time zone from the list"],
    ["hour 24", { dayStartsAtHour: "24" }, "dayStartsAtHour", "Choose the hour a business day starts, 0 to 23."],
    ["an hour that is not a number", { dayStartsAtHour: "4am" }, "dayStartsAtHour", "Choose the hour a business day starts, 0 to 23."],
    ["a tax rate that is not a number", { taxRate: "lots" }, "taxRate", "Enter a rate in percent"],
    ["a tax rate over 50%", { taxRate: "60" }, "taxRate", "between 0% and 50%"],
    ["no tax mode", { taxInclusive: "sometimes" }, "taxInclusive", "Choose whether menu prices include tax or not."],
    ["a warning after 0 minutes", { warnAfter: "0" }, "warnAfter", "Enter whole minutes from 1 to 240."],
    ["late before warning", { warnAfter: "10", lateAfter: "10" }, "lateAfter", "Late must come after warning (more than 10 minutes)."],
    ["critical before late", { criticalAfter: "3" }, "criticalAfter", "Critical must come after late"],
    ["minutes with a fraction", { criticalAfter: "15.5" }, "criticalAfter", "Enter whole minutes from 1 to 240."],
  ];
  for (const [what, changes, field, message] of refusals) {
    it(`refuses ${what} with a message at the field and changes nothing`, async () => {
      const before = await snapshot();
      const res = await post(manager, form(changes));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`id="${field}-error"`);
      expect(html).toContain(message.replace(/'/g, "&#39;"));
      expect(html).toContain('aria-invalid="true"');
      expect(html).toContain("Nothing was saved");
      expect(await snapshot()).toEqual(before);
    });
  }

  it("refuses an empty station name, a name of symbols and two stations of one name, at the station's field, changing nothing", async () => {
    const [a, b] = stations;
    for (const [changes, message] of [
      [{ [`station-${a!.id}`]: "" }, "Give the station a name of 1 to 40 characters"],
      [{ [`station-${a!.id}`]: "!!!" }, "Use letters or digits in the station name."],
      [{ [`station-${a!.id}`]: "Grill\u0000" }, "The station name must be one line of text, without tabs or control characters."],
      [{ [`station-${a!.id}`]: "Pass", [`station-${b!.id}`]: "pass" }, "Two stations cannot both be called pass."],
    ] as [Record<string, string>, string][]) {
      const before = await snapshot();
      const res = await post(manager, form({ name: "Renamed too", ...changes }));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toMatch(/id="station-[0-9a-f-]{36}-error"/);
      // What was typed stays in the form.
      expect(html).toContain('value="Renamed too"');
      expect(await snapshot()).toEqual(before);
    }
  });

  it("answers a JSON client with a problem body naming the field", async () => {
    const res = await post(manager, form({ warnAfter: "abc" }), { accept: "application/json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "validation", message: "Enter whole minutes from 1 to 240.", field: "warnAfter" });
  });

  it("escapes a name with markup wherever it is shown", async () => {
    expect((await post(manager, form({ name: '"><img src=x onerror=alert(1)>' }))).status).toBe(303);
    for (const path of ["/admin/settings", "/home"]) {
      const html = await (await t.app.handle(req(path, { headers: { cookie: manager } }))).text();
      expect(html).not.toContain('"><img');
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    }
    expect((await post(manager, form({ name: "Demo Diner" }))).status).toBe(303);
  });

  it("never renames another restaurant's station, even when its id is sent", async () => {
    const before = await snapshot(otherRid);
    const res = await post(manager, form({ [`station-${otherStationId}`]: "Hijacked" }));
    expect(res.status).toBe(303);
    expect(await snapshot(otherRid)).toEqual(before);
  });

  it("is for owners and managers only; a cross-site post is refused before anything runs", async () => {
    for (const role of ["server", "cashier", "kitchen", "expo"]) {
      const { cookie } = await sessionCookieFor(db.db, rid, role);
      expect((await t.app.handle(req("/admin/settings", { headers: { cookie } }))).status).toBe(403);
      expect((await post(cookie, form({ name: "Nope" }))).status).toBe(403);
    }
    const anonymous = await t.app.handle(req("/admin/settings"));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/sign-in?next=%2Fadmin%2Fsettings");
    const before = await snapshot();
    const forged = await post(manager, form({ name: "Forged" }), { origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
