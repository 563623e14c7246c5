import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import {
  itemModifierGroups, itemStations, memberships, menuCategories, menuItems, modifierGroups, modifierOptions, stations, taxCategories, users,
} from "../db/schema";
import { withSystem } from "../db/tenant";
import { randomInt } from "node:crypto";
import { generatePassword, hashPassword, pinDigest } from "../auth/secrets";
import { createRestaurant, type CreatedRestaurant } from "./service";

/** Staff of every role. Their PINs and the manager's password are random per demo, printed once. */
export const DEMO_STAFF = [
  { role: "manager", name: "Maya Manager", email: "manager" },
  { role: "server", name: "Sam Server", email: null },
  { role: "cashier", name: "Cal Cashier", email: null },
  { role: "kitchen", name: "Kim Kitchen", email: null },
  { role: "expo", name: "Eli Expo", email: null },
] as const;

/**
 * Distinct random 4-digit PINs. A demo started somewhere reachable must not be a door with a documented
 * key: fixed PINs (1111-6666) and a fixed manager password were exactly that.
 */
export function randomPins(count: number): string[] {
  const pins = new Set<string>();
  while (pins.size < count) pins.add(String(randomInt(0, 10_000)).padStart(4, "0"));
  return [...pins];
}

type Opt = [name: string, deltaCents: number, station?: string, isDefault?: boolean];
type Group = { name: string; required: boolean; min: number; max: number; options: Opt[] };
type Item = { name: string; price: number; stations: string[]; groups?: string[]; kitchenName?: string; description?: string; tax?: string };

const GROUPS: Record<string, Group> = {
  doneness: { name: "Doneness", required: true, min: 1, max: 1, options: [["Rare", 0], ["Medium rare", 0], ["Medium", 0, undefined, true], ["Well done", 0]] },
  burgerAdds: { name: "Add-ons", required: false, min: 0, max: 3, options: [["Cheddar", 150], ["Bacon", 250], ["Avocado", 200], ["Fried egg", 175]] },
  side: { name: "Side", required: true, min: 1, max: 1, options: [["Fries", 0, "fry", true], ["Side salad", 0, "cold"], ["Onion rings", 150, "fry"]] },
  size: { name: "Size", required: true, min: 1, max: 1, options: [["Small", 0, undefined, true], ["Large", 150]] },
  dressing: { name: "Dressing", required: false, min: 0, max: 1, options: [["Ranch", 0], ["Vinaigrette", 0], ["Blue cheese", 50]] },
  ice: { name: "Ice", required: false, min: 0, max: 1, options: [["No ice", 0], ["Light ice", 0]] },
};

const MENU: { category: string; items: Item[] }[] = [
  { category: "Burgers", items: [
    { name: "Classic Burger", price: 1295, stations: ["grill"], groups: ["doneness", "burgerAdds", "side"], kitchenName: "CLASSIC" },
    { name: "Smash Double", price: 1495, stations: ["grill"], groups: ["burgerAdds", "side"], kitchenName: "SMASH DBL" },
    { name: "Veggie Burger", price: 1250, stations: ["grill"], groups: ["burgerAdds", "side"], kitchenName: "VEG" },
    { name: "Chicken Sandwich", price: 1350, stations: ["grill", "fry"], groups: ["side"], kitchenName: "CHX SAND" },
  ] },
  { category: "Sides", items: [
    { name: "Fries", price: 450, stations: ["fry"], groups: ["size"] },
    { name: "Onion Rings", price: 550, stations: ["fry"] },
    { name: "Wings (8)", price: 1150, stations: ["fry"], description: "Buffalo or BBQ, with celery" },
  ] },
  { category: "Salads", items: [
    { name: "Caesar Salad", price: 1100, stations: ["cold"], groups: ["dressing"] },
    { name: "Garden Salad", price: 950, stations: ["cold"], groups: ["dressing"] },
  ] },
  { category: "Drinks", items: [
    { name: "Cola", price: 300, stations: ["bar"], groups: ["size", "ice"], tax: "Beverages" },
    { name: "Lemonade", price: 350, stations: ["bar"], groups: ["size", "ice"], tax: "Beverages" },
    { name: "Draft Lager", price: 700, stations: ["bar"], tax: "Alcohol" },
    { name: "House Red", price: 900, stations: ["bar"], tax: "Alcohol" },
  ] },
  { category: "Desserts", items: [
    { name: "Brownie Sundae", price: 750, stations: ["cold"] },
    { name: "Apple Pie", price: 650, stations: ["cold"] },
  ] },
];

const STATIONS = [["Grill", "grill"], ["Fry", "fry"], ["Bar", "bar"], ["Cold", "cold"]] as const;

export type DemoResult = CreatedRestaurant & { managerEmail: string; managerPassword: string; pins: { name: string; role: string; pin: string }[] };

/** A demo restaurant with a realistic menu, four stations and staff of every role. */
export async function seedDemo(db: Db, pepper: string, slug = "demo"): Promise<DemoResult> {
  const created = await createRestaurant(db, {
    name: slug === "demo" ? "Demo Diner" : `Demo Diner (${slug})`,
    slug,
    ownerEmail: `owner@${slug}.example`,
    ownerName: "Olive Owner",
    timeZone: "America/New_York",
    taxRateBps: 875,
  });
  const rid = created.restaurant.id;
  const managerEmail = `manager@${slug}.example`;
  const managerPassword = generatePassword();
  const [ownerPin, ...staffPins] = randomPins(DEMO_STAFF.length + 1) as [string, ...string[]];
  const managerHash = await hashPassword(managerPassword);

  // People are global rows; their memberships are tenant rows.
  const staffIds = await withSystem(db, async (tx) => {
    const ids: string[] = [];
    for (const s of DEMO_STAFF) {
      const [u] = await tx.insert(users).values({
        name: s.name,
        email: s.email ? managerEmail : null,
        passwordHash: s.email ? managerHash : null,
      }).returning({ id: users.id });
      ids.push(u!.id);
    }
    return ids;
  });

  await withTenant(db, rid, async (tx) => {
    await tx.update(memberships).set({ pinDigest: pinDigest(pepper, rid, ownerPin) });
    await tx.insert(memberships).values(DEMO_STAFF.map((s, i) => ({
      restaurantId: rid, userId: staffIds[i]!, role: s.role, pinDigest: pinDigest(pepper, rid, staffPins[i]!),
    })));
    const stationRows = await tx.insert(stations).values(STATIONS.map(([name, s]) => ({ restaurantId: rid, name, slug: s }))).returning();
    const stationId = (s: string) => stationRows.find((r) => r.slug === s)!.id;
    const taxRows = await tx.insert(taxCategories).values([
      { restaurantId: rid, name: "Beverages", rateBps: 875 },
      { restaurantId: rid, name: "Alcohol", rateBps: 1000 },
    ]).returning();
    const groupIds: Record<string, string> = {};
    for (const [key, g] of Object.entries(GROUPS)) {
      const [row] = await tx.insert(modifierGroups).values({ restaurantId: rid, name: g.name, required: g.required, minSelect: g.min, maxSelect: g.max }).returning();
      groupIds[key] = row!.id;
      await tx.insert(modifierOptions).values(g.options.map(([name, delta, station, isDefault], position) => ({
        restaurantId: rid, groupId: row!.id, name, priceDeltaCents: delta, stationId: station ? stationId(station) : null, isDefault: !!isDefault, position,
      })));
    }
    for (const [cpos, c] of MENU.entries()) {
      const [cat] = await tx.insert(menuCategories).values({ restaurantId: rid, name: c.category, position: cpos }).returning();
      for (const [ipos, it] of c.items.entries()) {
        const [item] = await tx.insert(menuItems).values({
          restaurantId: rid, categoryId: cat!.id, name: it.name, kitchenName: it.kitchenName ?? null, description: it.description ?? "",
          priceCents: it.price, position: ipos, taxCategoryId: it.tax ? taxRows.find((t) => t.name === it.tax)!.id : null,
        }).returning();
        await tx.insert(itemStations).values(it.stations.map((s) => ({ restaurantId: rid, itemId: item!.id, stationId: stationId(s) })));
        if (it.groups?.length) {
          await tx.insert(itemModifierGroups).values(it.groups.map((g, position) => ({ restaurantId: rid, itemId: item!.id, groupId: groupIds[g]!, position })));
        }
      }
    }
  });

  return {
    ...created,
    managerEmail,
    managerPassword,
    pins: [{ name: "Olive Owner", role: "owner", pin: ownerPin }, ...DEMO_STAFF.map((s, i) => ({ name: s.name, role: s.role, pin: staffPins[i]! }))],
  };
}
