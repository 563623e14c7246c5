import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, readable, type MenuWorld } from "./setup";
import { req } from "../helpers/app";
import { parseCsv, toCsv } from "../../src/menu/csv";
import { CSV_COLUMNS } from "../../src/menu/csv-format";
import { planImport } from "../../src/menu/import-plan";

const HEADER = CSV_COLUMNS.join(",");
/** A CSV row from named cells, in the export's column order. */
const row = (cells: Partial<Record<(typeof CSV_COLUMNS)[number], string>>) => CSV_COLUMNS.map((c) => cells[c] ?? "");
const file = (...rows: string[][]) => toCsv([[...CSV_COLUMNS], ...rows]);

const SMALL_MENU = file(
  row({ type: "tax", name: "Wine", rate: "12.5" }),
  row({ type: "category", name: "Mains" }),
  row({ type: "category", name: "Drinks", active: "yes" }),
  row({ type: "group", name: "Doneness", required: "yes", min: "1", max: "1" }),
  row({ type: "option", group: "Doneness", name: "Rare" }),
  row({ type: "option", group: "Doneness", name: "Medium", default: "yes" }),
  row({ type: "group", name: "Side", required: "no", min: "0", max: "1" }),
  row({ type: "option", group: "Side", name: "Fries", price: "0", station: "fry" }),
  row({ type: "option", group: "Side", name: "Salad", price: "-0.50", station: "Cold", available: "no" }),
  row({ type: "item", category: "Mains", name: "Steak, \"frites\"", description: "Line one\nline two", kitchen_name: "STEAK", price: "24.50", stations: "grill|fry", groups: "Doneness|Side" }),
  row({ type: "item", category: "Mains", name: "Fish", price: "18", stations: "grill", available: "no" }),
  row({ type: "item", category: "Drinks", name: "Malbec", price: "9", tax_category: "Wine", stations: "bar" }),
);

describe("menu CSV export and import", () => {
  let w: MenuWorld;
  beforeAll(async () => { w = await menuWorld(); });
  afterAll(() => w.close());

  const upload = (content: string | Uint8Array<ArrayBuffer>, cookie = w.manager, hx = false) => {
    const form = new FormData();
    form.append("file", new File([content], "menu.csv", { type: "text/csv" }));
    return w.app.handle(req("/admin/menu/import", { method: "POST", headers: { cookie, ...(hx ? { "hx-request": "true" } : {}) }, body: form }));
  };

  it("exports the whole menu as one CSV a spreadsheet opens, one row per thing", async () => {
    const res = await w.get("/admin/menu/export.csv", w.manager);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="menu-home.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // The UTF-8 byte order mark, so a spreadsheet reads accents right (Response.text() would hide it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const records = parseCsv(text.slice(1));
    expect(records[0]!.cells).toEqual([...CSV_COLUMNS]);
    const types = records.slice(1).map((r) => r.cells[0]);
    expect(types.filter((t) => t === "item")).toHaveLength(15);
    expect(types.filter((t) => t === "category")).toHaveLength(5);
    expect(types.filter((t) => t === "group")).toHaveLength(6);
    expect(text).toContain("item,Chicken Sandwich,Burgers,,,CHX SAND,13.50,,,grill|fry,Side,,,,,,yes,yes");
  });

  it("imports its own export unchanged: same ids, same order, same 86 state", async () => {
    const before = await w.data();
    const text = await (await w.get("/admin/menu/export.csv", w.manager)).text();
    const res = await upload(text);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Imported 5 categories, 15 items, 6 modifier groups with 18 options and 2 tax categories.");
    const after = await w.data();
    const shape = (d: typeof before) => ({
      categories: d.categories.map((c) => [c.id, c.name, c.position, c.active]),
      items: d.items.map((i) => [i.id, i.name, i.categoryId, i.priceCents, i.position, i.available, i.taxCategoryId, i.kitchenName]),
      options: d.options.map((o) => [o.id, o.name, o.priceDeltaCents, o.isDefault, o.stationId, o.position]),
      groups: d.groups.map((g) => [g.id, g.name, g.minSelect, g.maxSelect, g.required]),
      itemGroups: d.itemGroups.map((g) => [g.itemId, g.groupId, g.position]).sort(),
      itemStations: d.itemStations.map((s) => [s.itemId, s.stationId]).sort(),
    });
    expect(shape(after)).toEqual(shape(before));
  });

  it("replaces the menu with a file's, keeping ids of things whose names match", async () => {
    const events = await w.eventCount();
    const res = await upload(SMALL_MENU);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Removed 4 categories, 15 items, 4 groups and 15 options that were not in the file.");
    const d = await w.data();
    const n = byName(d);
    expect(d.categories.map((c) => c.name)).toEqual(["Mains", "Drinks"]);
    const steak = n.item('Steak, "frites"');
    expect(steak).toMatchObject({ priceCents: 2450, description: "Line one\nline two", kitchenName: "STEAK", available: true });
    expect(n.item("Fish").available).toBe(false);
    expect(n.item("Malbec").taxCategoryId).toBe(n.tax("Wine").id);
    expect(d.itemStations.filter((s) => s.itemId === steak.id).map((s) => s.stationId).sort()).toEqual([n.station("grill").id, n.station("fry").id].sort());
    expect(d.itemGroups.filter((g) => g.itemId === steak.id).map((g) => d.groups.find((x) => x.id === g.groupId)!.name)).toEqual(["Doneness", "Side"]);
    expect(n.option("Side", "Salad")).toMatchObject({ priceDeltaCents: -50, stationId: n.station("cold").id, available: false });
    expect(n.option("Doneness", "Medium").isDefault).toBe(true);
    expect(await w.eventCount()).toBe(events + 1);
  });

  it("lists every problem of a bad file by row and column, and changes nothing", async () => {
    const before = await w.snapshot();
    const bad = file(
      row({ type: "category", name: "" }),
      row({ type: "category", name: "Mains" }),
      row({ type: "category", name: "mains" }),
      row({ type: "group", name: "Size", required: "yes", min: "2", max: "1" }),
      row({ type: "option", group: "Size", name: "Small" }),
      row({ type: "group", name: "Empty", required: "yes" }),
      row({ type: "option", group: "Nope", name: "Lost" }),
      row({ type: "item", category: "Mains", name: "A".repeat(200), price: "-1" }),
      row({ type: "item", category: "Mains", name: "Soup", price: "abc", stations: "grill|wok", groups: "Size|Ghost", tax_category: "Luxury", active: "maybe" }),
      row({ type: "item", category: "Mains", name: "soup", price: "5" }),
      row({ type: "item", category: "Nowhere", name: "Stray", price: "1" }),
      row({ type: "dessert", name: "Cake" }),
    );
    const res = await upload(bad);
    expect(res.status).toBe(422);
    const html = readable(await res.text());
    const expected: [number, string, string][] = [
      [2, "name", "Category name cannot be empty"],
      [4, "name", 'The category "mains" is listed twice'],
      [5, "min", "Minimum (2) cannot be more than maximum (1)"],
      [7, "name", "A required group needs at least one option"],
      [8, "group", 'No group called "Nope" in this file'],
      [9, "name", "Name must be at most 120 characters"],
      [9, "price", "A price cannot be negative"],
      [10, "price", "Enter a price as a number"],
      [10, "stations", 'No station called "wok"'],
      [10, "groups", 'No group called "Ghost" in this file'],
      [10, "tax_category", 'No tax category called "Luxury"'],
      [10, "active", 'Write yes or no (not "maybe")'],
      [11, "name", 'There is already an item called "soup" in Mains in this file'],
      [12, "category", 'No category called "Nowhere" in this file'],
      [13, "type", 'Unknown type "dessert"'],
    ];
    expect(html).toContain("Nothing was imported: 15 problems to fix");
    for (const [r, column, message] of expected) {
      expect(html).toMatch(new RegExp(`<td>${r}</td><td><code>${column}</code></td><td>[^<]*${message.replace(/[()"]/g, (c) => `\\${c}`)}`));
    }
    expect(await w.snapshot()).toBe(before);
  });

  it("refuses a file with unknown or missing columns, naming them", async () => {
    const res = await upload("type,name,colour\ncategory,Mains,blue\n");
    expect(res.status).toBe(422);
    expect(readable(await res.text())).toContain('Unknown column "colour"');
    const missing = await upload("kind,title\ncategory,Mains\n");
    const text = readable(await missing.text());
    expect(text).toContain('The header has no "type" column');
    expect(text).toContain('The header has no "name" column');
  });

  it("accepts a file with only some of the columns, in any order", async () => {
    const { problems, plan } = planImport("name,type\nMains,category\n", { currency: "USD", stations: [], taxNames: [] });
    expect(problems).toEqual([]);
    expect(plan.categories).toEqual([{ name: "Mains", active: true }]);
  });

  it("refuses a file that is not UTF-8, with advice", async () => {
    const before = await w.snapshot();
    const latin1 = new Uint8Array([...new TextEncoder().encode(`${HEADER}\ncategory,Cr`), 0xe8, ...new TextEncoder().encode("pes\n")]);
    const res = await upload(latin1);
    expect(res.status).toBe(400);
    expect(readable(await res.text())).toContain("The file is not UTF-8 text");
    expect(await w.snapshot()).toBe(before);
  });

  it("refuses 10,000 rows with a clear message, before looking at any of them", async () => {
    const before = await w.snapshot();
    const rows = Array.from({ length: 10_000 }, (_, i) => `category,Category ${i}`);
    const res = await upload(`type,name\n${rows.join("\n")}\n`);
    expect(res.status).toBe(422);
    expect(readable(await res.text())).toContain("The file has 10,000 rows; an import takes at most 5,000.");
    expect(await w.snapshot()).toBe(before);
  });

  it("refuses an oversized file", async () => {
    const res = await upload(`type,name\n${"category,x\n".repeat(300_000)}`);
    expect(res.status).toBe(413);
    expect(readable(await res.text())).toContain("2 MB");
  });

  it("refuses an oversized upload over real HTTP from its declared length, with the same page", async () => {
    w.app.listen({ port: 0, hostname: "127.0.0.1" });
    try {
      const base = `http://127.0.0.1:${w.app.server!.port}`;
      const form = new FormData();
      form.append("file", new File([`type,name\n${"category,x\n".repeat(300_000)}`], "menu.csv"));
      const res = await fetch(`${base}/admin/menu/import`, { method: "POST", headers: { cookie: w.manager, origin: base }, body: form });
      expect(res.status).toBe(413);
      expect(readable(await res.text())).toMatch(/The file is 3\.\d MB; an import can be at most 2 MB/);
    } finally {
      await w.app.stop(true);
    }
  });

  it("refuses an empty upload and a file with an unclosed quote", async () => {
    expect((await upload("")).status).toBe(400);
    const res = await upload('type,name\ncategory,"Mains\n');
    expect(res.status).toBe(422);
    expect(readable(await res.text())).toContain("a quoted value is opened but never closed");
  });

  it("imports 5,000 rows in one go", async () => {
    const rows = [row({ type: "category", name: "Big" }), ...Array.from({ length: 4_999 }, (_, i) => row({ type: "item", category: "Big", name: `Item ${i}`, price: "1.00", stations: "grill" }))];
    const started = performance.now();
    const res = await upload(file(...rows));
    expect(res.status).toBe(200);
    expect((await w.data()).items).toHaveLength(4_999);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("keeps spreadsheet formulas out of exported text and reads them back as typed", async () => {
    await upload(file(row({ type: "category", name: "=HYPERLINK(\"x\")" }), row({ type: "item", category: "=HYPERLINK(\"x\")", name: "+SUM(A1)", price: "1" })));
    const text = await (await w.get("/admin/menu/export.csv", w.manager)).text();
    expect(text).toContain(`category,"'=HYPERLINK(""x"")"`);
    expect(text).toContain("'+SUM(A1)");
    expect((await upload(text)).status).toBe(200);
    expect(byName(await w.data()).item("+SUM(A1)").priceCents).toBe(100);
  });

  it("does not let a kitchen user import or export", async () => {
    expect((await upload(SMALL_MENU, w.kitchen)).status).toBe(403);
    expect((await w.get("/admin/menu/export.csv", w.kitchen)).status).toBe(403);
  });
});
