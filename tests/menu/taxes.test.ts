import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, readable, type MenuWorld } from "./setup";
import { withSystem } from "../../src/db/tenant";
import { restaurants } from "../../src/db/schema";
import { eq } from "drizzle-orm";

describe("menu admin: tax and pricing", () => {
  let w: MenuWorld;
  beforeAll(async () => { w = await menuWorld(); });
  afterAll(() => w.close());

  const restaurant = async () => (await withSystem(w.db.db, (tx) => tx.select().from(restaurants).where(eq(restaurants.id, w.rid))))[0]!;

  it("sets the default rate typed in percent and switches to tax-inclusive prices", async () => {
    const res = await w.post("/admin/menu/pricing", w.manager, { defaultRate: "8.25", taxInclusive: "inclusive" });
    expect(res.status).toBe(303);
    expect(await restaurant()).toMatchObject({ taxRateBps: 825, taxInclusive: true });
    await w.post("/admin/menu/pricing", w.manager, { defaultRate: "8.75 %", taxInclusive: "exclusive" });
    expect(await restaurant()).toMatchObject({ taxRateBps: 875, taxInclusive: false });
  });

  for (const [why, form, field, message] of [
    ["a rate that is not a number", { defaultRate: "eight", taxInclusive: "exclusive" }, "defaultRate", "Enter a rate in percent"],
    ["a rate above 50%", { defaultRate: "60", taxInclusive: "exclusive" }, "defaultRate", "between 0% and 50%"],
    ["a negative rate", { defaultRate: "-5", taxInclusive: "exclusive" }, "defaultRate", "Enter a rate in percent"],
    ["no pricing mode", { defaultRate: "8" }, "taxInclusive", "Choose whether menu prices include tax or not"],
  ] as const) {
    it(`refuses ${why} and keeps the restaurant as it was`, async () => {
      const before = await restaurant();
      const res = await w.post("/admin/menu/pricing", w.manager, form);
      expect(res.status).toBe(422);
      const html = readable(await res.text());
      expect(html).toContain(message);
      expect(html).toContain(`id="f-pricing-${field}-error"`);
      expect(await restaurant()).toEqual(before);
    });
  }

  it("adds, renames and deletes a tax category", async () => {
    expect((await w.post("/admin/menu/taxes", w.manager, { name: "Hot food", rate: "10.5" })).status).toBe(303);
    const hot = byName(await w.data()).tax("Hot food");
    expect(hot.rateBps).toBe(1050);
    const saved = await w.post(`/admin/menu/taxes/${hot.id}`, w.manager, { name: "Prepared food", rate: "11" }, true);
    expect(saved.status).toBe(200);
    expect(byName(await w.data()).tax("Prepared food").rateBps).toBe(1100);
    expect((await w.post(`/admin/menu/taxes/${hot.id}/delete`, w.manager, {})).status).toBe(303);
    expect((await w.data()).taxCategories.some((t) => t.id === hot.id)).toBe(false);
  });

  it("refuses a duplicate tax category name and a bad rate", async () => {
    const dup = await w.post("/admin/menu/taxes", w.manager, { name: "alcohol", rate: "5" });
    expect(dup.status).toBe(422);
    expect(readable(await dup.text())).toContain('There is already a tax category called "alcohol"');
    const bad = await w.post("/admin/menu/taxes", w.manager, { name: "Other", rate: "5.555" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="f-new-tax-rate-error"');
  });

  it("refuses to delete a tax category items use, saying how many", async () => {
    const alcohol = byName(await w.data()).tax("Alcohol");
    const before = await w.snapshot();
    const res = await w.post(`/admin/menu/taxes/${alcohol.id}/delete`, w.manager, {});
    expect(res.status).toBe(409);
    expect(readable(await res.text())).toContain('2 items use "Alcohol"');
    expect(await w.snapshot()).toBe(before);
  });
});
