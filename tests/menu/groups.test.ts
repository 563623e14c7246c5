import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, readable, type MenuWorld } from "./setup";

describe("menu admin: modifier groups and options", () => {
  let w: MenuWorld;
  beforeAll(async () => { w = await menuWorld(); });
  afterAll(() => w.close());

  const newGroup = (form: Record<string, string>) =>
    w.post("/admin/menu/groups", w.manager, { name: "Temperature", minSelect: "1", maxSelect: "1", required: "on", options: "Hot\nIced +0.50", ...form });

  it("creates a group with its options typed one per line, prices included, and opens it", async () => {
    const res = await newGroup({ options: "Hot\n\nIced +0.50\nNo cup  -0.25\n" });
    expect(res.status).toBe(303);
    const d = byName(await w.data());
    const group = d.group("Temperature");
    expect(res.headers.get("location")).toBe(`/admin/menu/groups/${group.id}?done=group-created`);
    expect(group).toMatchObject({ required: true, minSelect: 1, maxSelect: 1 });
    const options = (await w.data()).options.filter((o) => o.groupId === group.id);
    expect(options.map((o) => [o.name, o.priceDeltaCents])).toEqual([["Hot", 0], ["Iced", 50], ["No cup", -25]]);
    const page = readable(await (await w.get(`/admin/menu/groups/${group.id}?done=group-created`, w.manager)).text());
    expect(page).toContain("Modifier group created.");
    expect(page).toContain('value="-0.25"');
  });

  const refusals: [string, Record<string, string>, string, string][] = [
    ["a minimum above the maximum", { name: "A", minSelect: "2", maxSelect: "1", options: "x\ny\nz" }, "minSelect", "Minimum (2) cannot be more than maximum (1)"],
    ["a maximum above the number of options", { name: "B", minSelect: "1", maxSelect: "3", options: "x\ny" }, "maxSelect", "Maximum (3) cannot be more than the number of options (2)"],
    ["a required group with no options", { name: "C", minSelect: "1", maxSelect: "1", options: "" }, "options", "A required group needs at least one option"],
    ["a required group with a minimum of 0", { name: "D", minSelect: "0", maxSelect: "1", options: "x" }, "minSelect", "A required group needs a minimum of at least 1"],
    ["an optional group with a minimum above 0", { name: "E", required: "", minSelect: "1", maxSelect: "1", options: "x" }, "required", "makes the group required"],
    ["a maximum of 0", { name: "F", minSelect: "0", maxSelect: "0", required: "", options: "x" }, "maxSelect", "Maximum must be a whole number from 1 to 50"],
    ["a minimum that is not a number", { name: "G", minSelect: "one" }, "minSelect", "Minimum must be a whole number"],
    ["an empty name", { name: " " }, "name", "Group name cannot be empty"],
    ["a 200-character name", { name: "g".repeat(200) }, "name", "at most 120 characters"],
    ["a name another group has", { name: "doneness" }, "name", 'There is already a modifier group called "doneness"'],
    ["an option line with a bad price", { name: "H", options: "Hot\nIced +abc" }, "options", "Line 2:"],
    ["an option listed twice", { name: "I", maxSelect: "1", options: "Hot\nhot" }, "options", 'Line 2: "hot" is listed twice'],
    ["an option name of 200 characters", { name: "J", options: "o".repeat(200) }, "options", "Line 1: Option name must be at most 120 characters"],
  ];
  for (const [why, form, field, message] of refusals) {
    it(`refuses a new group with ${why}, next to the field, and creates nothing`, async () => {
      const before = await w.snapshot();
      const res = await newGroup(form);
      expect(res.status).toBe(422);
      const html = readable(await res.text());
      expect(html).toContain(message);
      expect(html).toContain(`id="f-new-group-${field}-error"`);
      expect(await w.snapshot()).toBe(before);
    });
  }

  it("allows an optional group without options yet (nothing to choose, nothing required)", async () => {
    const res = await w.post("/admin/menu/groups", w.manager, { name: "Extras later", minSelect: "0", maxSelect: "1", options: "" });
    expect(res.status).toBe(303);
  });

  it("edits a group's rules and refuses a maximum above its options", async () => {
    const group = byName(await w.data()).group("Add-ons");
    const ok = await w.post(`/admin/menu/groups/${group.id}`, w.manager, { name: "Add-ons", minSelect: "0", maxSelect: "4" }, true);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Modifier group saved.");
    expect(byName(await w.data()).group("Add-ons").maxSelect).toBe(4);
    const before = await w.snapshot();
    const refused = await w.post(`/admin/menu/groups/${group.id}`, w.manager, { name: "Add-ons", minSelect: "0", maxSelect: "5" });
    expect(refused.status).toBe(422);
    expect(readable(await refused.text())).toContain("Maximum (5) cannot be more than the number of options (4)");
    expect(await w.snapshot()).toBe(before);
  });

  it("adds an option with a price change and a station of its own", async () => {
    const d = byName(await w.data());
    const group = d.group("Side");
    const res = await w.post(`/admin/menu/groups/${group.id}/options`, w.manager, { name: "Sweet potato fries", priceDelta: "1.25", stationId: d.station("fry").id });
    expect(res.status).toBe(303);
    const option = byName(await w.data()).option("Side", "Sweet potato fries");
    expect(option).toMatchObject({ priceDeltaCents: 125, stationId: d.station("fry").id, isDefault: false });
  });

  for (const [why, form, field, message] of [
    ["a name the group already has", { name: "FRIES" }, "name", '"Side" already has an option called "FRIES"'],
    ["an empty name", { name: "" }, "name", "Option name cannot be empty"],
    ["a price change that is not a number", { name: "Slaw", priceDelta: "1,50" }, "priceDelta", "Enter a price as a number"],
  ] as const) {
    it(`refuses an option with ${why}`, async () => {
      const group = byName(await w.data()).group("Side");
      const before = await w.snapshot();
      const res = await w.post(`/admin/menu/groups/${group.id}/options`, w.manager, { priceDelta: "0", ...form });
      expect(res.status).toBe(422);
      const html = readable(await res.text());
      expect(html).toContain(message);
      expect(html).toContain(`id="f-new-option-${field}-error"`);
      expect(await w.snapshot()).toBe(before);
    });
  }

  it("makes a new default replace the old one in a single-choice group", async () => {
    const d = byName(await w.data());
    const rare = d.option("Doneness", "Rare");
    const res = await w.post(`/admin/menu/options/${rare.id}`, w.manager, { name: "Rare", priceDelta: "0", isDefault: "on", stationId: "" }, true);
    expect(res.status).toBe(200);
    const after = byName(await w.data());
    expect(after.option("Doneness", "Rare").isDefault).toBe(true);
    expect(after.option("Doneness", "Medium").isDefault).toBe(false);
  });

  it("refuses more defaults than a multi-choice group's maximum", async () => {
    const d = byName(await w.data());
    const group = d.group("Add-ons");
    await w.post(`/admin/menu/groups/${group.id}`, w.manager, { name: "Add-ons", minSelect: "0", maxSelect: "2" });
    const opts = ["Cheddar", "Bacon"].map((n) => d.option("Add-ons", n));
    for (const o of opts) await w.post(`/admin/menu/options/${o.id}`, w.manager, { name: o.name, priceDelta: "1.50", isDefault: "on" });
    const egg = d.option("Add-ons", "Fried egg");
    const res = await w.post(`/admin/menu/options/${egg.id}`, w.manager, { name: "Fried egg", priceDelta: "1.75", isDefault: "on" });
    expect(res.status).toBe(422);
    expect(readable(await res.text())).toContain('At most 2 options of "Add-ons" can be preselected');
    expect(byName(await w.data()).option("Add-ons", "Fried egg").isDefault).toBe(false);
  });

  it("refuses to lower a group's maximum below the defaults it has", async () => {
    const group = byName(await w.data()).group("Add-ons");
    const res = await w.post(`/admin/menu/groups/${group.id}`, w.manager, { name: "Add-ons", minSelect: "0", maxSelect: "1" });
    expect(res.status).toBe(422);
    expect(readable(await res.text())).toContain("At most 1 option can be preselected (default), not 2");
  });

  it("moves an option", async () => {
    const medium = byName(await w.data()).option("Doneness", "Medium");
    await w.post(`/admin/menu/options/${medium.id}/move`, w.manager, { direction: "up" });
    const d = await w.data();
    const names = d.options.filter((o) => o.groupId === medium.groupId).map((o) => o.name);
    expect(names).toEqual(["Rare", "Medium", "Medium rare", "Well done"]);
  });

  it("refuses to delete the last option of a required group", async () => {
    await newGroup({ name: "Bread", options: "Brioche" });
    const only = byName(await w.data()).option("Bread", "Brioche");
    const before = await w.snapshot();
    const res = await w.post(`/admin/menu/options/${only.id}/delete`, w.manager, {});
    expect(res.status).toBe(409);
    expect(readable(await res.text())).toContain('"Bread" is required and needs at least one option');
    expect(await w.snapshot()).toBe(before);
  });

  it("refuses to delete an option when the group's maximum would exceed what is left", async () => {
    await newGroup({ name: "Sauces", required: "", minSelect: "0", maxSelect: "2", options: "Ketchup\nMayo" });
    const mayo = byName(await w.data()).option("Sauces", "Mayo");
    const res = await w.post(`/admin/menu/options/${mayo.id}/delete`, w.manager, {});
    expect(res.status).toBe(409);
    expect(readable(await res.text())).toContain("lower its maximum to 1 before removing an option");
  });

  it("deletes an option otherwise", async () => {
    const rings = byName(await w.data()).option("Side", "Onion rings");
    const res = await w.post(`/admin/menu/options/${rings.id}/delete`, w.manager, {}, true);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Option deleted.");
    expect((await w.data()).options.some((o) => o.id === rings.id)).toBe(false);
  });

  it("deletes a group, detaching it from its items", async () => {
    const group = byName(await w.data()).group("Ice");
    const res = await w.post(`/admin/menu/groups/${group.id}/delete`, w.manager, {});
    expect(res.headers.get("location")).toBe("/admin/menu/groups?done=group-deleted");
    const d = await w.data();
    expect(d.groups.some((g) => g.id === group.id)).toBe(false);
    expect(d.itemGroups.some((g) => g.groupId === group.id)).toBe(false);
    expect(d.options.some((o) => o.groupId === group.id)).toBe(false);
  });
});
