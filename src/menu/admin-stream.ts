import type { Db } from "../db/client";
import type { EventRow } from "../realtime/bus";
import { loadMenuAdmin } from "./admin-read";
import { AVAILABILITY_EVENT, type AvailabilityEvent } from "./service";
import { AvailabilityToggle } from "../../views/menu/availability-toggle";

/**
 * The menu admin pages live: when anyone 86es or brings back an item or option (from the POS, the
 * kitchen or another manager), every open admin page gets the new switch, swapped in by its id; the
 * row greys out through CSS (:has) as it does after a manager's own tap. One render per batch serves
 * every admin screen of the restaurant.
 */
export function menuAdminLive(db: Db) {
  async function toggles(restaurantId: string, only: ((kind: "item" | "option", id: string) => boolean) | null): Promise<string> {
    const data = await loadMenuAdmin(db, restaurantId);
    const items = data.items.filter((i) => !only || only("item", i.id))
      .map((i) => AvailabilityToggle({ kind: "item", id: i.id, name: i.name, available: i.available, back: "/admin/menu" }) as string);
    const options = data.options.filter((o) => !only || only("option", o.id))
      .map((o) => AvailabilityToggle({ kind: "option", id: o.id, name: o.name, available: o.available, back: `/admin/menu/groups/${o.groupId}` }) as string);
    return items.join("") + options.join("");
  }
  return {
    render: async (restaurantId: string, _scope: string, events: EventRow[]) => {
      const changed = events.filter((e) => e.type === AVAILABILITY_EVENT).map((e) => e.data as AvailabilityEvent);
      if (!changed.length) return null;
      return toggles(restaurantId, (kind, id) => changed.some((c) => c.kind === kind && c.id === id));
    },
    /** Every switch: what a screen gets when it connects or cannot resume exactly. */
    snapshot: (restaurantId: string) => toggles(restaurantId, null),
  };
}
