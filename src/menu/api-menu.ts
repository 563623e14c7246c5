import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsOf } from "../db/client";
import { withTenant } from "../db/tenant";
import { notFound } from "../http/errors";
import * as q from "./admin-queries";
import { loadPosMenu, type PosMenu } from "./queries";

/** The menu as integrations see it: active categories and items, with 86 state, groups and routing. */
export type MenuJson = {
  restaurant: { id: string; name: string; currency: string; taxRateBps: number; taxInclusive: boolean };
  taxCategories: { id: string; name: string; rateBps: number }[];
  categories: PosMenu["categories"];
  /** The restaurant's event seq the menu was read at: a newer menu has a higher one. */
  seq: number;
};

/**
 * Reads the seq first, then the menu, in one transaction: a change that commits in between is in
 * the data or after the seq, never lost (at worst the cache rebuilds once more than needed).
 */
export async function readMenuJson(db: Db, restaurantId: string): Promise<MenuJson> {
  return withTenant(db, restaurantId, async (tx) => {
    const [head] = rowsOf<{ seq: string | number }>(await tx.execute(sql`select event_seq as seq from restaurants where id = ${restaurantId}`));
    const pricing = await q.findPricing(tx, restaurantId);
    if (!head || !pricing) throw notFound("That restaurant does not exist.");
    const taxes = await q.listTaxCategories(tx, restaurantId);
    const menu = await loadPosMenu(tx, restaurantId, pricing.taxRateBps);
    return {
      restaurant: pricing,
      taxCategories: taxes.map((t) => ({ id: t.id, name: t.name, rateBps: t.rateBps })),
      categories: menu.categories,
      seq: Number(head.seq),
    };
  });
}

export function affectsMenu(eventType: string): boolean {
  return eventType.startsWith("menu.") || eventType.startsWith("restaurant.");
}
