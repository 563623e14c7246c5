import type { Db } from "../../src/db/client";
import type { EventRow } from "../../src/realtime/bus";
import { ordersTouchedBy } from "../../src/orders/service";
import { loadPassOrders, PASS_STATUSES } from "../../src/expo/service";
import type { Thresholds } from "../kds/ticket";
import { BoardColumns, ExpoCard } from "./page";

const onPass = new Set<string>(PASS_STATUSES);

/** Expo: each touched order's card, or its removal once it left the pass. */
export const expoLiveRender = (db: Db, stations: { id: string; name: string }[], thresholds: Thresholds) => async (restaurantId: string, _scope: string, events: EventRow[]) => {
  const orders = await ordersTouchedBy(db, restaurantId, events);
  if (!orders.length) return null;
  return orders.map((o) => onPass.has(o.status)
    ? ExpoCard({ order: o, stations, thresholds }) as string
    : `<div id="expo-${o.id}" data-remove></div>`).join("");
};

/** The board: both columns again whenever an order or ticket moved. */
export const boardLiveRender = (db: Db) => async (restaurantId: string, _scope: string, events: EventRow[]) => {
  if (!events.some((e) => e.type.startsWith("order.") || e.type.startsWith("kitchen."))) return null;
  return BoardColumns({ orders: await loadPassOrders(db, restaurantId) }) as string;
};
