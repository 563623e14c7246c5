import type { Db } from "../../src/db/client";
import type { Principal } from "../../src/auth/service";
import type { EventRow } from "../../src/realtime/bus";
import { isEvent } from "../../src/realtime/catalogue";
import { touchedOrders, type OrderView } from "../../src/orders/service";
import { loadPosScreen } from "../../src/pos/service";
import { ItemButton, MenuGrid } from "./menu-grid";

/**
 * Live POS: an 86 greys out the item, any other menu edit re-renders the grid, and a change to this
 * screen's order (from another till or the kitchen) re-renders its ticket. Screens that show the same
 * order with the same rights share one render.
 */
export const posLiveRender = (db: Db, p: Principal, orderId: string | null, ticketHtml: (p: Principal, order: OrderView) => Promise<string>) =>
  async (restaurantId: string, _scope: string, events: EventRow[]) => {
      const parts: string[] = [];
      const menuChanged = events.some((e) => isEvent(e, "menu.changed"));
      const itemIds = events.flatMap((e) => (isEvent(e, "menu.availability") && e.data.kind === "item" ? [e.data.id] : []));
      // An 86 (or its undoing) may hit an item or option sitting unsent on this ticket: the ticket is
      // re-rendered so the mark appears, or goes, at once.
      const availability = events.some((e) => isEvent(e, "menu.availability"));
      const orderTouched = orderId !== null && (touchedOrders(events).includes(orderId) || availability);
      if (!menuChanged && !itemIds.length && !orderTouched) return null;
      const screen = await loadPosScreen(db, restaurantId, p.restaurant.taxRateBps, orderTouched ? orderId : null);
      if (menuChanged) parts.push(MenuGrid({ menu: screen.menu, orderId, currency: p.restaurant.currency }) as string);
      else {
        const items = screen.menu.categories.flatMap((c) => c.items).filter((i) => itemIds.includes(i.id));
        for (const item of items) parts.push(ItemButton({ item, orderId, currency: p.restaurant.currency }) as string);
      }
      if (orderTouched && screen.order) parts.push(await ticketHtml(p, screen.order));
      return parts.join("");
    };
