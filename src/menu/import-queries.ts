import { and, eq, notInArray, sql } from "drizzle-orm";
import {
  itemModifierGroups, itemStations, menuCategories, menuItems, modifierGroups, modifierOptions, taxCategories,
} from "../db/schema";
import type { Tx } from "../db/tenant";

/**
 * Bulk writes for a CSV import: rows keep their ids when their name matches (so POS screens,
 * integrations and 86 state survive a round trip), everything else is inserted or removed.
 * Every statement filters on restaurant_id.
 */

// Postgres takes at most 65535 bind parameters per statement; 500 rows of ~12 columns stay far below.
const CHUNK = 500;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

export async function deleteMenuExcept(tx: Tx, restaurantId: string, keep: { items: string[]; options: string[]; groups: string[]; categories: string[] }) {
  const none = ["00000000-0000-0000-0000-000000000000"];
  const keepOr = (ids: string[]) => (ids.length ? ids : none);
  // Routing and attachments are rewritten whole below.
  await tx.delete(itemStations).where(eq(itemStations.restaurantId, restaurantId));
  await tx.delete(itemModifierGroups).where(eq(itemModifierGroups.restaurantId, restaurantId));
  await tx.delete(menuItems).where(and(eq(menuItems.restaurantId, restaurantId), notInArray(menuItems.id, keepOr(keep.items))));
  await tx.delete(modifierOptions).where(and(eq(modifierOptions.restaurantId, restaurantId), notInArray(modifierOptions.id, keepOr(keep.options))));
  await tx.delete(modifierGroups).where(and(eq(modifierGroups.restaurantId, restaurantId), notInArray(modifierGroups.id, keepOr(keep.groups))));
  await tx.delete(menuCategories).where(and(eq(menuCategories.restaurantId, restaurantId), notInArray(menuCategories.id, keepOr(keep.categories))));
}

export async function upsertTaxes(tx: Tx, rows: (typeof taxCategories.$inferInsert)[]) {
  for (const part of chunks(rows)) {
    await tx.insert(taxCategories).values(part).onConflictDoUpdate({
      target: [taxCategories.restaurantId, taxCategories.id], set: { name: excluded("name"), rateBps: excluded("rate_bps") },
    });
  }
}

export async function upsertCategories(tx: Tx, rows: (typeof menuCategories.$inferInsert)[]) {
  for (const part of chunks(rows)) {
    await tx.insert(menuCategories).values(part).onConflictDoUpdate({
      target: [menuCategories.restaurantId, menuCategories.id], set: { name: excluded("name"), position: excluded("position"), active: excluded("active") },
    });
  }
}

export async function upsertGroups(tx: Tx, rows: (typeof modifierGroups.$inferInsert)[]) {
  for (const part of chunks(rows)) {
    await tx.insert(modifierGroups).values(part).onConflictDoUpdate({
      target: [modifierGroups.restaurantId, modifierGroups.id],
      set: { name: excluded("name"), required: excluded("required"), minSelect: excluded("min_select"), maxSelect: excluded("max_select") },
    });
  }
}

export async function upsertOptions(tx: Tx, rows: (typeof modifierOptions.$inferInsert)[]) {
  for (const part of chunks(rows)) {
    await tx.insert(modifierOptions).values(part).onConflictDoUpdate({
      target: [modifierOptions.restaurantId, modifierOptions.id],
      set: {
        name: excluded("name"), priceDeltaCents: excluded("price_delta_cents"), isDefault: excluded("is_default"), available: excluded("available"),
        stationId: excluded("station_id"), position: excluded("position"),
      },
    });
  }
}

export async function upsertItems(tx: Tx, rows: (typeof menuItems.$inferInsert)[]) {
  for (const part of chunks(rows)) {
    await tx.insert(menuItems).values(part).onConflictDoUpdate({
      target: [menuItems.restaurantId, menuItems.id],
      set: {
        name: excluded("name"), kitchenName: excluded("kitchen_name"), description: excluded("description"), priceCents: excluded("price_cents"),
        taxCategoryId: excluded("tax_category_id"), position: excluded("position"), active: excluded("active"), available: excluded("available"),
        updatedAt: sql`now()`,
      },
    });
  }
}

export async function insertItemStations(tx: Tx, rows: (typeof itemStations.$inferInsert)[]) {
  for (const part of chunks(rows)) await tx.insert(itemStations).values(part);
}

export async function insertItemGroups(tx: Tx, rows: (typeof itemModifierGroups.$inferInsert)[]) {
  for (const part of chunks(rows)) await tx.insert(itemModifierGroups).values(part);
}

