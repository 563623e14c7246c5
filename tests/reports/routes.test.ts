import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { makeRestaurant, signInAs } from "../helpers/auth";
import { withSystem } from "../../src/db/tenant";
import { buildKnownDay, DAY } from "./day";

setDefaultTimeout(60_000);

describe("report pages", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let close: () => Promise<void>;
  let managerA: string, managerB: string, ownerA: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app, close } = makeTestApp(db));
    const a = await buildKnownDay(db.db, "rep-a");
    const b = await makeRestaurant(db.db, "rep-b");
    // Restaurant B sells on the same day: its order must never show in A's figures, nor A's in B's.
    await withSystem(db.db, (tx) => tx.execute(sql`insert into orders (restaurant_id, number, business_date, type, status, subtotal_cents, total_cents)
      values (${b.id}, 1, ${DAY}::date, 'takeout', 'completed', 99900, 99900)`));
    // A menu item named like a spreadsheet formula: the CSV export must neutralise it.
    await withSystem(db.db, (tx) => tx.execute(sql`update menu_items set name = '=HYPERLINK("http://evil.example","x")' where restaurant_id = ${a.rid} and name = 'Wings (8)'`));
    await withSystem(db.db, (tx) => tx.execute(sql`update restaurants set time_zone = 'America/New_York' where id = ${b.id}`));
    managerA = (await signInAs(app, db.db, a.rid, "manager")).cookie;
    ownerA = (await signInAs(app, db.db, a.rid, "owner")).cookie;
    managerB = (await signInAs(app, db.db, b.id, "manager")).cookie;
  }, 120_000);
  afterAll(async () => { await close(); await db.drop(); });

  const get = (path: string, cookie: string, json = false) => app.handle(req(path, { headers: { cookie, ...(json ? { accept: "application/json" } : {}) } }));

  it("shows a manager the day's sales with an SVG chart drawn on the server, titled for screen readers, and CSV links", async () => {
    const res = await get(`/admin/reports?from=${DAY}&to=${DAY}`, managerA);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("$89.32");
    expect(html).toMatch(/<svg class="wide" viewBox="0 0 640 260" role="img" aria-labelledby="chart-hours-title chart-hours-desc"/);
    expect(html).toContain('<title id="chart-hours-title">Net sales by hour</title>');
    expect(html).toContain("Hour the order was placed");
    expect(html).toContain(`/admin/reports/sales/csv?from=${DAY}&to=${DAY}&table=summary`);
    expect(html).toContain('href="/admin/reports"');
    expect(html).toContain("Payments");
  });

  it("lets an owner read every report and the printable end of day on both papers", async () => {
    for (const path of ["/admin/reports", "/admin/reports/items", "/admin/reports/kitchen", "/admin/reports/staff", "/admin/reports/end-of-day?paper=80mm", "/admin/reports/end-of-day?paper=a4"]) {
      const res = await get(`${path}${path.includes("?") ? "&" : "?"}from=${DAY}&to=${DAY}`, ownerA);
      expect(res.status).toBe(200);
    }
    const eod = await (await get(`/admin/reports/end-of-day?from=${DAY}&to=${DAY}&paper=80mm`, ownerA)).text();
    expect(eod).toContain('class="eod paper-80mm"');
    expect(eod).toContain("Voids and discounts");
  });

  it("shows each manager only their own restaurant's figures for the same day", async () => {
    const a = await (await get(`/admin/reports?from=${DAY}&to=${DAY}`, managerA, true)).json() as { sections: { figures: { label: string; value: unknown }[] }[] };
    const b = await (await get(`/admin/reports?from=${DAY}&to=${DAY}`, managerB, true)).json() as typeof a;
    const gross = (r: typeof a) => r.sections[0]!.figures.find((f) => f.label === "Gross sales")!.value;
    expect(gross(a)).toEqual({ cents: 9345 });
    expect(gross(b)).toEqual({ cents: 99900 });
    const items = await (await get(`/admin/reports/items?from=${DAY}&to=${DAY}`, managerB)).text();
    expect(items).not.toContain("Classic Burger");
  });

  it("exports a table as RFC 4180 CSV with money as plain numbers and formulas neutralised", async () => {
    const res = await get(`/admin/reports/items/csv?from=${DAY}&to=${DAY}&table=items`, managerA);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain(`rep-a-items-items-${DAY}_${DAY}.csv`);
    const csv = await res.text();
    expect(csv.split("\r\n")[0]).toBe("Item,Category,Sold,Gross,Discounts,Net,Voided");
    expect(csv).toContain("Caesar Salad,Salads,1,11.00,1.65,9.35,0\r\n");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",Sides,1,11.50,0.00,11.50,0`);
  });

  it("refuses a date that is not one, naming the field, on the page and as JSON, and reads nothing", async () => {
    const page = await get("/admin/reports?from=2026-02-30&to=2026-03-01", managerA);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain("From must be a date like 2026-11-29");
    expect(html).toContain('aria-invalid="true"');
    const json = await get("/admin/reports/kitchen?from=2026-11-02&to=2026-11-01", managerA, true);
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ field: "to", message: "To must be on or after From" });
  });

  it("refuses a CSV of a table the report does not have, or of a report that does not exist", async () => {
    const noTable = await get(`/admin/reports/sales/csv?from=${DAY}&to=${DAY}&table=nope`, managerA, true);
    expect(noTable.status).toBe(400);
    expect(await noTable.json()).toMatchObject({ field: "table" });
    const noKind = await get(`/admin/reports/nope/csv?table=summary`, managerA, true);
    expect(noKind.status).toBe(400);
    expect(await noKind.json()).toMatchObject({ field: "kind" });
  });

  it("escapes names that look like markup", async () => {
    await withSystem(db.db, (tx) => tx.execute(sql`update menu_items set name = '<script>alert(1)</script>' where name = 'Apple Pie'`));
    const html = await (await get(`/admin/reports/items?from=${DAY}&to=${DAY}`, managerA)).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes a hostile period typed into the address on the page that refuses it", async () => {
    const res = await get(`/admin/reports?from=${encodeURIComponent('"><script>x()</script>')}`, managerA);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain("<script>x()");
  });
});
