import type { Db } from "../../src/db/client";
import type { EventRow } from "../../src/realtime/bus";
import { ordersTouchedBy } from "../../src/orders/service";
import { loadAllDay } from "../../src/kitchen/service";
import { AllDayPanel, hasWorkAt, KdsTicket, linesAt, type Thresholds } from "./ticket";

/** One render per batch for every screen of one station: changed tickets, removals, all-day counts. */
export const kdsLiveRender = (db: Db, stationId: string, thresholds: Thresholds) => async (restaurantId: string, _scope: string, events: EventRow[]) => {
  // Orders with nothing routed here are not this screen's business: no fragment, no all-day query.
  const orders = (await ordersTouchedBy(db, restaurantId, events)).filter((o) => linesAt(o, stationId).length > 0);
  if (!orders.length) return null;
  const parts = orders.map((o) => hasWorkAt(o, stationId)
    ? KdsTicket({ order: o, stationId, thresholds }) as string
    : `<div id="ticket-${o.id}" data-remove></div>`);
  return parts.join("") + (AllDayPanel({ counts: await loadAllDay(db, restaurantId, stationId) }) as string);
};
