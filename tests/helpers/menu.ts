import type { Db } from "../../src/db/client";
import { withTenant } from "../../src/db/tenant";
import { loadPosMenu, type OrderableItem } from "../../src/menu/service";

/** The demo menu of a restaurant, by item name, with helpers to pick options by name. */
export async function demoMenu(db: Db, restaurantId: string) {
  const menu = await withTenant(db, restaurantId, (tx) => loadPosMenu(tx, restaurantId, 875));
  const items = new Map<string, OrderableItem>(menu.categories.flatMap((c) => c.items).map((i) => [i.name, i]));
  const item = (name: string) => {
    const found = items.get(name);
    if (!found) throw new Error(`no demo item ${name}`);
    return found;
  };
  const option = (itemName: string, optionName: string) => {
    const found = item(itemName).groups.flatMap((g) => g.options).find((o) => o.name === optionName);
    if (!found) throw new Error(`no option ${optionName} on ${itemName}`);
    return found.id;
  };
  return { menu, item, option };
}
