import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { loadOrderableItems, loadPosMenu, type PosMenu } from "../menu/service";
import { viewOf, type OrderView } from "../orders/service";
import type { OrderRow } from "../orders/queries";
import { notOnSale } from "../orders/validation";
import * as q from "./queries";

export type PosScreen = { menu: PosMenu; order: OrderView | null; open: OrderRow[] };

/** Everything the POS screen shows, read in one transaction. */
export async function loadPosScreen(db: Db, restaurantId: string, defaultTaxRateBps: number, orderId: string | null): Promise<PosScreen> {
  return withTenant(db, restaurantId, async (tx) => {
    const menu = await loadPosMenu(tx, restaurantId, defaultTaxRateBps);
    const order = orderId ? await viewOf(tx, restaurantId, orderId) : null;
    const open = await q.listAllOrders(tx, restaurantId, ["open", "sent", "preparing", "ready"]);
    return { menu, order, open };
  });
}

/**
 * Unsent lines of an order that could not be sent now (86'd, or off the menu since they were taken),
 * line id -> message: the POS ticket marks them, and a send is refused while any is left.
 */
export async function unsentNotOnSale(db: Db, restaurantId: string, defaultTaxRateBps: number, order: OrderView): Promise<Record<string, string>> {
  const unsent = order.lines.filter((l) => !l.firedAt && !l.voidedAt);
  if (!unsent.length) return {};
  const ids = [...new Set(unsent.map((l) => l.menuItemId).filter((id): id is string => !!id))];
  const menu = await withTenant(db, restaurantId, (tx) => loadOrderableItems(tx, restaurantId, defaultTaxRateBps, ids));
  return Object.fromEntries(notOnSale(unsent, menu).map((g) => [g.lineId, g.message]));
}

/** One menu item as the POS picker needs it (null when unknown to this restaurant). */
export async function loadPickerItem(db: Db, restaurantId: string, defaultTaxRateBps: number, itemId: string) {
  return withTenant(db, restaurantId, async (tx) => (await loadOrderableItems(tx, restaurantId, defaultTaxRateBps, [itemId])).get(itemId) ?? null);
}
