import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { notFound } from "../http/errors";
import * as q from "./admin-queries";

/** Everything the menu admin pages show, read in one transaction with a handful of statements. */
export type MenuAdminData = {
  pricing: NonNullable<Awaited<ReturnType<typeof q.findPricing>>>;
  categories: q.Category[];
  items: q.Item[];
  groups: q.Group[];
  options: q.Option[];
  taxCategories: q.TaxCategory[];
  stations: q.Station[];
  itemStations: { itemId: string; stationId: string }[];
  itemGroups: { itemId: string; groupId: string; position: number }[];
};

export async function loadMenuAdmin(db: Db, restaurantId: string): Promise<MenuAdminData> {
  return withTenant(db, restaurantId, async (tx) => {
    const pricing = await q.findPricing(tx, restaurantId);
    if (!pricing) throw notFound("That restaurant does not exist.");
    const [categories, items, groups, options, taxCategories, stations, itemStations, itemGroups] = await Promise.all([
      q.listCategories(tx, restaurantId),
      q.listItems(tx, restaurantId),
      q.listGroups(tx, restaurantId),
      q.listOptions(tx, restaurantId),
      q.listTaxCategories(tx, restaurantId),
      q.listStations(tx, restaurantId),
      q.listItemStations(tx, restaurantId),
      q.listItemGroups(tx, restaurantId),
    ]);
    return { pricing, categories, items, groups, options, taxCategories, stations, itemStations, itemGroups };
  });
}
