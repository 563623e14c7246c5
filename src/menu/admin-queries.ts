import { and, asc, eq, inArray, ne, sql, type Column } from "drizzle-orm";
import {
  itemModifierGroups, itemStations, menuCategories, menuItems, modifierGroups, modifierOptions, restaurants, stations, taxCategories,
} from "../db/schema";
import type { Tx } from "../db/tenant";
import { isUuid } from "./queries";

/**
 * Tenant-scoped reads and writes behind the menu admin. Every statement, UPDATE and DELETE included,
 * filters on restaurant_id; row-level security is the second wall, not the first.
 */

export type Category = typeof menuCategories.$inferSelect;
export type Item = typeof menuItems.$inferSelect;
export type Group = typeof modifierGroups.$inferSelect;
export type Option = typeof modifierOptions.$inferSelect;
export type TaxCategory = typeof taxCategories.$inferSelect;
export type Station = typeof stations.$inferSelect;

const lower = (column: Column) => sql`lower(${column})`;

// ---- restaurant pricing settings -------------------------------------------------------------

export async function findPricing(tx: Tx, restaurantId: string) {
  const [row] = await tx
    .select({ id: restaurants.id, name: restaurants.name, currency: restaurants.currency, taxRateBps: restaurants.taxRateBps, taxInclusive: restaurants.taxInclusive })
    .from(restaurants)
    .where(eq(restaurants.id, restaurantId));
  return row ?? null;
}

export async function updatePricing(tx: Tx, restaurantId: string, values: { taxRateBps: number; taxInclusive: boolean }) {
  await tx.update(restaurants).set(values).where(eq(restaurants.id, restaurantId));
}

// ---- stations (read only: the stations screen owns them) -------------------------------------

export async function listStations(tx: Tx, restaurantId: string): Promise<Station[]> {
  return tx.select().from(stations).where(eq(stations.restaurantId, restaurantId)).orderBy(asc(stations.name));
}

/** Which of these ids are stations of this restaurant. */
export async function existingStationIds(tx: Tx, restaurantId: string, ids: string[]): Promise<Set<string>> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return new Set();
  const rows = await tx.select({ id: stations.id }).from(stations).where(and(eq(stations.restaurantId, restaurantId), inArray(stations.id, valid)));
  return new Set(rows.map((r) => r.id));
}

// ---- categories ------------------------------------------------------------------------------

export async function listCategories(tx: Tx, restaurantId: string): Promise<Category[]> {
  return tx.select().from(menuCategories).where(eq(menuCategories.restaurantId, restaurantId)).orderBy(asc(menuCategories.position), asc(menuCategories.name));
}

export async function findCategory(tx: Tx, restaurantId: string, id: string): Promise<Category | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx.select().from(menuCategories).where(and(eq(menuCategories.restaurantId, restaurantId), eq(menuCategories.id, id)));
  return row ?? null;
}

export async function categoryNameTaken(tx: Tx, restaurantId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx.select({ id: menuCategories.id }).from(menuCategories).where(and(
    eq(menuCategories.restaurantId, restaurantId),
    eq(lower(menuCategories.name), name.toLowerCase()),
    exceptId ? ne(menuCategories.id, exceptId) : undefined,
  ));
  return rows.length > 0;
}

export async function insertCategory(tx: Tx, restaurantId: string, values: { name: string; active: boolean }): Promise<Category> {
  const [row] = await tx.insert(menuCategories).values({
    restaurantId, ...values,
    position: sql`(select coalesce(max(position), -1) + 1 from menu_categories where restaurant_id = ${restaurantId})`,
  }).returning();
  return row!;
}

export async function updateCategory(tx: Tx, restaurantId: string, id: string, values: { name: string; active: boolean }) {
  await tx.update(menuCategories).set(values).where(and(eq(menuCategories.restaurantId, restaurantId), eq(menuCategories.id, id)));
}

export async function deleteCategory(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(menuCategories).where(and(eq(menuCategories.restaurantId, restaurantId), eq(menuCategories.id, id)));
}

export async function setCategoryPositions(tx: Tx, restaurantId: string, orderedIds: string[]) {
  for (const [position, id] of orderedIds.entries()) {
    await tx.update(menuCategories).set({ position }).where(and(eq(menuCategories.restaurantId, restaurantId), eq(menuCategories.id, id)));
  }
}

// ---- items -----------------------------------------------------------------------------------

export async function listItems(tx: Tx, restaurantId: string): Promise<Item[]> {
  return tx.select().from(menuItems).where(eq(menuItems.restaurantId, restaurantId)).orderBy(asc(menuItems.position), asc(menuItems.name));
}

export async function listItemsInCategory(tx: Tx, restaurantId: string, categoryId: string): Promise<Item[]> {
  return tx.select().from(menuItems)
    .where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.categoryId, categoryId)))
    .orderBy(asc(menuItems.position), asc(menuItems.name));
}

export async function findItem(tx: Tx, restaurantId: string, id: string): Promise<Item | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx.select().from(menuItems).where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.id, id)));
  return row ?? null;
}

export async function itemNameTaken(tx: Tx, restaurantId: string, categoryId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx.select({ id: menuItems.id }).from(menuItems).where(and(
    eq(menuItems.restaurantId, restaurantId),
    eq(menuItems.categoryId, categoryId),
    eq(lower(menuItems.name), name.toLowerCase()),
    exceptId ? ne(menuItems.id, exceptId) : undefined,
  ));
  return rows.length > 0;
}

export type ItemValues = {
  categoryId: string; name: string; kitchenName: string | null; description: string; priceCents: number; taxCategoryId: string | null; active: boolean;
};

export async function insertItem(tx: Tx, restaurantId: string, values: ItemValues): Promise<Item> {
  const [row] = await tx.insert(menuItems).values({
    restaurantId, ...values,
    position: sql`(select coalesce(max(position), -1) + 1 from menu_items where restaurant_id = ${restaurantId} and category_id = ${values.categoryId})`,
  }).returning();
  return row!;
}

export async function updateItem(tx: Tx, restaurantId: string, id: string, values: ItemValues & { position?: number }) {
  await tx.update(menuItems).set({ ...values, updatedAt: new Date() }).where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.id, id)));
}

export async function deleteItem(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(menuItems).where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.id, id)));
}

export async function countItemsInCategory(tx: Tx, restaurantId: string, categoryId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(menuItems).where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.categoryId, categoryId)));
  return Number(row?.n ?? 0);
}

export async function setItemPositions(tx: Tx, restaurantId: string, orderedIds: string[]) {
  for (const [position, id] of orderedIds.entries()) {
    await tx.update(menuItems).set({ position }).where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.id, id)));
  }
}

export async function listItemStations(tx: Tx, restaurantId: string, itemId?: string) {
  return tx.select({ itemId: itemStations.itemId, stationId: itemStations.stationId }).from(itemStations)
    .where(and(eq(itemStations.restaurantId, restaurantId), itemId ? eq(itemStations.itemId, itemId) : undefined));
}

export async function replaceItemStations(tx: Tx, restaurantId: string, itemId: string, stationIds: string[]) {
  await tx.delete(itemStations).where(and(eq(itemStations.restaurantId, restaurantId), eq(itemStations.itemId, itemId)));
  if (stationIds.length) await tx.insert(itemStations).values(stationIds.map((stationId) => ({ restaurantId, itemId, stationId })));
}

// ---- groups attached to items ----------------------------------------------------------------

export async function listItemGroups(tx: Tx, restaurantId: string, itemId?: string) {
  return tx.select({ itemId: itemModifierGroups.itemId, groupId: itemModifierGroups.groupId, position: itemModifierGroups.position })
    .from(itemModifierGroups)
    .where(and(eq(itemModifierGroups.restaurantId, restaurantId), itemId ? eq(itemModifierGroups.itemId, itemId) : undefined))
    .orderBy(asc(itemModifierGroups.position));
}

export async function attachGroup(tx: Tx, restaurantId: string, itemId: string, groupId: string) {
  await tx.insert(itemModifierGroups).values({
    restaurantId, itemId, groupId,
    position: sql`(select coalesce(max(position), -1) + 1 from item_modifier_groups where restaurant_id = ${restaurantId} and item_id = ${itemId})`,
  }).onConflictDoNothing();
}

export async function detachGroup(tx: Tx, restaurantId: string, itemId: string, groupId: string) {
  await tx.delete(itemModifierGroups).where(and(
    eq(itemModifierGroups.restaurantId, restaurantId), eq(itemModifierGroups.itemId, itemId), eq(itemModifierGroups.groupId, groupId),
  ));
}

export async function setItemGroupPositions(tx: Tx, restaurantId: string, itemId: string, orderedGroupIds: string[]) {
  for (const [position, groupId] of orderedGroupIds.entries()) {
    await tx.update(itemModifierGroups).set({ position }).where(and(
      eq(itemModifierGroups.restaurantId, restaurantId), eq(itemModifierGroups.itemId, itemId), eq(itemModifierGroups.groupId, groupId),
    ));
  }
}

// ---- modifier groups and options -------------------------------------------------------------

export async function listGroups(tx: Tx, restaurantId: string): Promise<Group[]> {
  return tx.select().from(modifierGroups).where(eq(modifierGroups.restaurantId, restaurantId)).orderBy(asc(lower(modifierGroups.name)));
}

export async function findGroup(tx: Tx, restaurantId: string, id: string): Promise<Group | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx.select().from(modifierGroups).where(and(eq(modifierGroups.restaurantId, restaurantId), eq(modifierGroups.id, id)));
  return row ?? null;
}

/** Group names are unique per restaurant (not enforced by an index): the attach list and the CSV refer to groups by name. */
export async function groupNameTaken(tx: Tx, restaurantId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx.select({ id: modifierGroups.id }).from(modifierGroups).where(and(
    eq(modifierGroups.restaurantId, restaurantId),
    eq(lower(modifierGroups.name), name.toLowerCase()),
    exceptId ? ne(modifierGroups.id, exceptId) : undefined,
  ));
  return rows.length > 0;
}

export type GroupValues = { name: string; required: boolean; minSelect: number; maxSelect: number };

export async function insertGroup(tx: Tx, restaurantId: string, values: GroupValues): Promise<Group> {
  const [row] = await tx.insert(modifierGroups).values({ restaurantId, ...values }).returning();
  return row!;
}

export async function updateGroup(tx: Tx, restaurantId: string, id: string, values: GroupValues) {
  await tx.update(modifierGroups).set(values).where(and(eq(modifierGroups.restaurantId, restaurantId), eq(modifierGroups.id, id)));
}

export async function deleteGroup(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(modifierGroups).where(and(eq(modifierGroups.restaurantId, restaurantId), eq(modifierGroups.id, id)));
}

export async function listOptions(tx: Tx, restaurantId: string, groupId?: string): Promise<Option[]> {
  return tx.select().from(modifierOptions)
    .where(and(eq(modifierOptions.restaurantId, restaurantId), groupId ? eq(modifierOptions.groupId, groupId) : undefined))
    .orderBy(asc(modifierOptions.position), asc(modifierOptions.name));
}

export async function findOption(tx: Tx, restaurantId: string, id: string): Promise<Option | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx.select().from(modifierOptions).where(and(eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.id, id)));
  return row ?? null;
}

export type OptionValues = { name: string; priceDeltaCents: number; isDefault: boolean; stationId: string | null };

export async function insertOptions(tx: Tx, restaurantId: string, groupId: string, values: OptionValues[]): Promise<Option[]> {
  if (values.length === 0) return [];
  const [row] = await tx.select({ next: sql<number>`coalesce(max(position), -1)::int + 1` }).from(modifierOptions)
    .where(and(eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.groupId, groupId)));
  const first = Number(row?.next ?? 0);
  return tx.insert(modifierOptions).values(values.map((v, i) => ({ restaurantId, groupId, ...v, position: first + i }))).returning();
}

export async function updateOption(tx: Tx, restaurantId: string, id: string, values: OptionValues) {
  await tx.update(modifierOptions).set(values).where(and(eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.id, id)));
}

export async function deleteOption(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(modifierOptions).where(and(eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.id, id)));
}

/** A single-choice group has one default: choosing a new one clears the others. */
export async function clearOtherDefaults(tx: Tx, restaurantId: string, groupId: string, keepId: string) {
  await tx.update(modifierOptions).set({ isDefault: false }).where(and(
    eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.groupId, groupId), ne(modifierOptions.id, keepId),
  ));
}

export async function setOptionPositions(tx: Tx, restaurantId: string, orderedIds: string[]) {
  for (const [position, id] of orderedIds.entries()) {
    await tx.update(modifierOptions).set({ position }).where(and(eq(modifierOptions.restaurantId, restaurantId), eq(modifierOptions.id, id)));
  }
}

// ---- tax categories --------------------------------------------------------------------------

export async function listTaxCategories(tx: Tx, restaurantId: string): Promise<TaxCategory[]> {
  return tx.select().from(taxCategories).where(eq(taxCategories.restaurantId, restaurantId)).orderBy(asc(taxCategories.name));
}

export async function findTaxCategory(tx: Tx, restaurantId: string, id: string): Promise<TaxCategory | null> {
  if (!isUuid(id)) return null;
  const [row] = await tx.select().from(taxCategories).where(and(eq(taxCategories.restaurantId, restaurantId), eq(taxCategories.id, id)));
  return row ?? null;
}

export async function taxNameTaken(tx: Tx, restaurantId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await tx.select({ id: taxCategories.id }).from(taxCategories).where(and(
    eq(taxCategories.restaurantId, restaurantId),
    eq(lower(taxCategories.name), name.toLowerCase()),
    exceptId ? ne(taxCategories.id, exceptId) : undefined,
  ));
  return rows.length > 0;
}

export async function insertTaxCategory(tx: Tx, restaurantId: string, values: { name: string; rateBps: number }): Promise<TaxCategory> {
  const [row] = await tx.insert(taxCategories).values({ restaurantId, ...values }).returning();
  return row!;
}

export async function updateTaxCategory(tx: Tx, restaurantId: string, id: string, values: { name: string; rateBps: number }) {
  await tx.update(taxCategories).set(values).where(and(eq(taxCategories.restaurantId, restaurantId), eq(taxCategories.id, id)));
}

export async function deleteTaxCategory(tx: Tx, restaurantId: string, id: string) {
  await tx.delete(taxCategories).where(and(eq(taxCategories.restaurantId, restaurantId), eq(taxCategories.id, id)));
}

export async function countItemsWithTax(tx: Tx, restaurantId: string, taxCategoryId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(menuItems).where(and(eq(menuItems.restaurantId, restaurantId), eq(menuItems.taxCategoryId, taxCategoryId)));
  return Number(row?.n ?? 0);
}
