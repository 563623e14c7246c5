import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import {
  itemModifierGroups, itemStations, menuCategories, menuItems, modifierGroups, modifierOptions, taxCategories,
} from "../db/schema";
import type { Tx } from "../db/tenant";
import { UUID } from "../ids";

export type OrderableOption = { id: string; name: string; priceDeltaCents: number; isDefault: boolean; available: boolean; stationId: string | null };
export type OrderableGroup = { id: string; name: string; required: boolean; minSelect: number; maxSelect: number; options: OrderableOption[] };
export type OrderableItem = {
  id: string;
  categoryId: string;
  name: string;
  kitchenName: string | null;
  description: string;
  priceCents: number;
  /** The item's tax category rate, else the restaurant default. */
  taxRateBps: number;
  active: boolean;
  available: boolean;
  stationIds: string[];
  /** In position order. */
  groups: OrderableGroup[];
};
/** Active categories and their active items in position order; 86'd items are included with available=false. */
export type PosMenu = { categories: { id: string; name: string; items: OrderableItem[] }[] };

/**
 * The items whose ids are given, with their groups, options and stations, in four statements however
 * many items are asked for. Ids of another restaurant (or unknown ids) are simply absent from the map.
 */
export async function loadOrderableItems(tx: Tx, restaurantId: string, defaultTaxRateBps: number, itemIds: string[]): Promise<Map<string, OrderableItem>> {
  const ids = [...new Set(itemIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const items = await loadItemsWhere(tx, restaurantId, defaultTaxRateBps, inArray(menuItems.id, ids));
  return new Map(items.map((item) => [item.id, item]));
}

export async function loadPosMenu(tx: Tx, restaurantId: string, defaultTaxRateBps: number): Promise<PosMenu> {
  const categories = await tx
    .select({ id: menuCategories.id, name: menuCategories.name })
    .from(menuCategories)
    .where(and(eq(menuCategories.restaurantId, restaurantId), eq(menuCategories.active, true)))
    .orderBy(asc(menuCategories.position), asc(menuCategories.name));
  const items = await loadItemsWhere(tx, restaurantId, defaultTaxRateBps, eq(menuItems.active, true));
  const byCategory = new Map(categories.map((c) => [c.id, { ...c, items: [] as OrderableItem[] }]));
  for (const item of items) byCategory.get(item.categoryId)?.items.push(item);
  return { categories: [...byCategory.values()] };
}

/** Items matching `where` (always within the restaurant), in position order, fully assembled. */
async function loadItemsWhere(tx: Tx, restaurantId: string, defaultTaxRateBps: number, where: SQL | undefined): Promise<OrderableItem[]> {
  const rows = await tx
    .select({
      id: menuItems.id, categoryId: menuItems.categoryId, name: menuItems.name, kitchenName: menuItems.kitchenName,
      description: menuItems.description, priceCents: menuItems.priceCents, active: menuItems.active, available: menuItems.available,
      rateBps: taxCategories.rateBps,
    })
    .from(menuItems)
    .leftJoin(taxCategories, and(eq(taxCategories.restaurantId, menuItems.restaurantId), eq(taxCategories.id, menuItems.taxCategoryId)))
    .where(and(eq(menuItems.restaurantId, restaurantId), where))
    .orderBy(asc(menuItems.position), asc(menuItems.name));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [stationRows, groupRows] = await Promise.all([
    tx.select({ itemId: itemStations.itemId, stationId: itemStations.stationId })
      .from(itemStations)
      .where(and(eq(itemStations.restaurantId, restaurantId), inArray(itemStations.itemId, ids)))
      .orderBy(asc(itemStations.stationId)),
    tx.select({
      itemId: itemModifierGroups.itemId, id: modifierGroups.id, name: modifierGroups.name, required: modifierGroups.required,
      minSelect: modifierGroups.minSelect, maxSelect: modifierGroups.maxSelect,
    })
      .from(itemModifierGroups)
      .innerJoin(modifierGroups, and(eq(modifierGroups.restaurantId, itemModifierGroups.restaurantId), eq(modifierGroups.id, itemModifierGroups.groupId)))
      .where(and(eq(itemModifierGroups.restaurantId, restaurantId), inArray(itemModifierGroups.itemId, ids)))
      .orderBy(asc(itemModifierGroups.position), asc(modifierGroups.name)),
  ]);
  const options = await loadOptionsOfGroups(tx, restaurantId, [...new Set(groupRows.map((g) => g.id))]);
  return rows.map(({ rateBps, ...item }) => ({
    ...item,
    taxRateBps: rateBps ?? defaultTaxRateBps,
    stationIds: stationRows.filter((s) => s.itemId === item.id).map((s) => s.stationId),
    groups: groupRows
      .filter((g) => g.itemId === item.id)
      .map(({ itemId: _, ...g }) => ({ ...g, options: options.get(g.id) ?? [] })),
  }));
}

async function loadOptionsOfGroups(tx: Tx, restaurantId: string, groupIds: string[]): Promise<Map<string, OrderableOption[]>> {
  const byGroup = new Map<string, OrderableOption[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await tx
    .select({
      groupId: modifierOptions.groupId, id: modifierOptions.id, name: modifierOptions.name, priceDeltaCents: modifierOptions.priceDeltaCents,
      isDefault: modifierOptions.isDefault, available: modifierOptions.available, stationId: modifierOptions.stationId,
    })
    .from(modifierOptions)
    .where(and(eq(modifierOptions.restaurantId, restaurantId), inArray(modifierOptions.groupId, groupIds)))
    .orderBy(asc(modifierOptions.position), asc(modifierOptions.name));
  for (const { groupId, ...option } of rows) {
    const list = byGroup.get(groupId) ?? [];
    list.push(option);
    byGroup.set(groupId, list);
  }
  return byGroup;
}

/** Sets an item's availability; returns its id and name, or null if it is not this restaurant's. */
export async function updateItemAvailability(tx: Tx, restaurantId: string, itemId: string, available: boolean) {
  if (!isUuid(itemId)) return null;
  const [row] = await tx
    .update(menuItems)
    .set({ available, updatedAt: new Date() })
    .where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.id, itemId)))
    .returning({ id: menuItems.id, name: menuItems.name });
  return row ?? null;
}

export async function updateOptionAvailability(tx: Tx, restaurantId: string, optionId: string, available: boolean) {
  if (!isUuid(optionId)) return null;
  const [row] = await tx
    .update(modifierOptions)
    .set({ available })
    .where(and(eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.id, optionId)))
    .returning({ id: modifierOptions.id, name: modifierOptions.name });
  return row ?? null;
}

/** A malformed id would make Postgres raise a cast error (a 500); treat it as "no such row" instead. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
