import { Elysia, t, type Context } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { getMeta } from "../http/request-context";
import type { Principal } from "../auth/service";
import { HttpError } from "../http/errors";
import { actorOf } from "../orders/api";
import {
  acknowledgeVoids, bumpAtStation, getOrder, touchedOrders, listOrders, loadAllDay, loadKitchenOrders, loadOrdersByIds, loadPassOrders, recallAtStation,
  serveOrder, transitionOrder, type OrderView,
} from "../orders/service";
import type { EventRow } from "../realtime/bus";
import { openScreenStream } from "../realtime/screen-stream";
import { assertScreen, getStation, homeOf, listStations } from "./service";
import { AllDayPanel, hasWorkAt, KdsTicket, linesAt, type Thresholds } from "../../views/kds/ticket";
import { KdsChooser, KdsPage, KdsRail } from "../../views/kds/page";
import { BoardColumns, BoardPage, ExpoCard, ExpoColumns, ExpoPage } from "../../views/expo/page";

const isHx = (request: Request) => request.headers.get("hx-request") === "true";
const thresholdsOf = (p: Principal) => p.restaurant.ageThresholds as Thresholds;

const PASS_STATUSES = new Set(["sent", "preparing", "ready"]);

export function kitchenRoutes(ctx: AppContext) {
  const db = ctx.database.db;

  // The hub hands the same batch (the same array) to every group of a restaurant: the orders it
  // touched are read once per batch for all stations and expo, not once per station.
  const batchOrders = new WeakMap<EventRow[], Promise<OrderView[]>>();
  const ordersOf = (restaurantId: string, events: EventRow[], ids: string[]) => {
    let pending = batchOrders.get(events);
    if (!pending) batchOrders.set(events, (pending = loadOrdersByIds(db, restaurantId, ids)));
    return pending;
  };

  /** One render per batch for every screen of one station: changed tickets, removals, all-day counts. */
  const kdsRender = (stationId: string, thresholds: Thresholds) => async (restaurantId: string, _scope: string, events: EventRow[]) => {
    const ids = touchedOrders(events);
    if (!ids.length) return null;
    // Orders with nothing routed here are not this screen's business: no fragment, no all-day query.
    const orders = (await ordersOf(restaurantId, events, ids)).filter((o) => linesAt(o, stationId).length > 0);
    if (!orders.length) return null;
    const parts = orders.map((o) => hasWorkAt(o, stationId)
      ? KdsTicket({ order: o, stationId, thresholds }) as string
      : `<div id="ticket-${o.id}" data-remove></div>`);
    return parts.join("") + (AllDayPanel({ counts: await loadAllDay(db, restaurantId, stationId) }) as string);
  };

  const expoRender = (stations: { id: string; name: string }[], thresholds: Thresholds) => async (restaurantId: string, _scope: string, events: EventRow[]) => {
    const ids = touchedOrders(events);
    if (!ids.length) return null;
    const orders = await ordersOf(restaurantId, events, ids);
    return orders.map((o) => PASS_STATUSES.has(o.status)
      ? ExpoCard({ order: o, stations, thresholds }) as string
      : `<div id="expo-${o.id}" data-remove></div>`).join("");
  };

  const boardRender = async (restaurantId: string, _scope: string, events: EventRow[]) => {
    if (!events.some((e) => e.type.startsWith("order.") || e.type.startsWith("kitchen."))) return null;
    return BoardColumns({ orders: await loadPassOrders(db, restaurantId) }) as string;
  };

  /** After a bump: the ticket as it now is (empty when it left this station), or back to the page. */
  async function answerTicket(request: Request, set: Context["set"], p: Principal, stationId: string, orderId: string, work: () => Promise<OrderView>) {
    let order: OrderView;
    try {
      order = await work();
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500 || error.status === 403) throw error;
      // Already bumped, voided...: show the ticket as it really is, with the refusal's status.
      order = await getOrder(db, p.restaurant.id, orderId);
      set.status = error.status;
      set.headers["x-refusal"] = encodeURIComponent(error.message);
    }
    if (!isHx(request)) {
      set.status = 303;
      set.headers.location = `/kds/${stationId}`;
      return "";
    }
    return hasWorkAt(order, stationId) ? KdsTicket({ order, stationId, thresholds: thresholdsOf(p) }) : "";
  }

  /** The station a KDS request names, if this screen may use it (a pinless display: its own only). */
  async function stationFor(p: Principal, stationId: string) {
    const station = await getStation(db, p.restaurant.id, stationId);
    assertScreen(p, { kind: "kds", stationId: station.id });
    return station;
  }

  const stationParams = t.Object({ stationId: t.String() });
  const ticketParams = t.Object({ stationId: t.String(), orderId: t.String({ format: "uuid", error: "No such order" }) });

  return new Elysia({ name: "kitchen" })
    .use(authPlugin(ctx))
    .get("/kds", async ({ principal, nonce, redirect }) => {
      // A pinless screen goes to what it was enrolled for; a display a person signed on at opens its own station first.
      const home = homeOf(principal) ?? (principal.device?.kind === "kds" && principal.device.stationId ? `/kds/${principal.device.stationId}` : null);
      if (home) return redirect(home, 303);
      return KdsChooser({ nonce, stations: await listStations(db, principal.restaurant.id) });
    }, { need: "kitchen.view" })
    .get("/kds/:stationId", async ({ principal, params, nonce }) => {
      const station = await stationFor(principal, params.stationId);
      // The seq is read before the state: an event in between is then replayed, never skipped.
      const seq = await ctx.bus.currentSeq(principal.restaurant.id);
      const [orders, allDay, stations] = await Promise.all([
        loadKitchenOrders(db, principal.restaurant.id, station.id), loadAllDay(db, principal.restaurant.id, station.id),
        listStations(db, principal.restaurant.id),
      ]);
      // A pinless display cannot switch stations, so it is not offered the switch.
      const switchable = principal.actor === "device" ? [] : stations;
      return KdsPage({ nonce, restaurantName: principal.restaurant.name, station, stations: switchable, orders, allDay, thresholds: thresholdsOf(principal), lastSeq: seq });
    }, { need: "kitchen.view", params: stationParams })
    .get("/kds/:stationId/stream", async ({ principal, params, request, query }) => {
      const station = await stationFor(principal, params.stationId);
      const thresholds = thresholdsOf(principal);
      return openScreenStream(ctx, {
        request, principal, key: `kds:${station.id}`, scope: station.id, render: kdsRender(station.id, thresholds), since: query.since,
        snapshot: async () => {
          const [orders, allDay] = await Promise.all([loadKitchenOrders(db, principal.restaurant.id, station.id), loadAllDay(db, principal.restaurant.id, station.id)]);
          return (KdsRail({ stationId: station.id, orders, thresholds }) as string) + (AllDayPanel({ counts: allDay }) as string);
        },
      });
    }, { need: "kitchen.view", params: stationParams, query: t.Object({ since: t.Optional(t.String()) }) })
    .post("/kds/:stationId/orders/:orderId/bump", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      return answerTicket(request, set, principal, station.id, params.orderId,
        () => bumpAtStation(db, principal.restaurant.id, station.id, params.orderId, "all", actorOf(principal, getMeta(request)?.ip)));
    }, { need: "kitchen.bump", params: ticketParams })
    .post("/kds/:stationId/orders/:orderId/lines/:lineId/bump", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      return answerTicket(request, set, principal, station.id, params.orderId,
        () => bumpAtStation(db, principal.restaurant.id, station.id, params.orderId, [params.lineId], actorOf(principal, getMeta(request)?.ip)));
    }, { need: "kitchen.bump", params: t.Object({ stationId: t.String(), orderId: t.String({ format: "uuid" }), lineId: t.String({ format: "uuid", error: "No such item" }) }) })
    .post("/kds/:stationId/orders/:orderId/voids/ack", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      return answerTicket(request, set, principal, station.id, params.orderId,
        () => acknowledgeVoids(db, principal.restaurant.id, station.id, params.orderId, actorOf(principal, getMeta(request)?.ip)));
    }, { need: "kitchen.bump", params: ticketParams })
    .post("/kds/:stationId/recall", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      const order = await recallAtStation(db, principal.restaurant.id, station.id, null, actorOf(principal, getMeta(request)?.ip));
      if (!isHx(request)) {
        set.status = 303;
        set.headers.location = `/kds/${station.id}`;
        return "";
      }
      // The ticket comes back onto the rail; the live stream tells the other screens.
      return KdsTicket({ order, stationId: station.id, thresholds: thresholdsOf(principal) });
    }, { need: "orders.recall", params: stationParams })
    .get("/expo", async ({ principal, nonce }) => {
      assertScreen(principal, { kind: "expo" });
      const rid = principal.restaurant.id;
      const seq = await ctx.bus.currentSeq(rid); // before the state, as on the KDS
      const [orders, stations, recent] = await Promise.all([loadPassOrders(db, rid), listStations(db, rid), listOrders(db, rid, { statuses: ["completed"], limit: 8 })]);
      return ExpoPage({ nonce, restaurantName: principal.restaurant.name, orders, stations, thresholds: thresholdsOf(principal), lastSeq: seq, recent });
    }, { need: "expo.view" })
    .get("/expo/stream", async ({ principal, request, query }) => {
      assertScreen(principal, { kind: "expo" });
      const rid = principal.restaurant.id;
      const stations = await listStations(db, rid);
      const thresholds = thresholdsOf(principal);
      return openScreenStream(ctx, {
        request, principal, key: "expo", scope: "", render: expoRender(stations, thresholds), since: query.since,
        snapshot: async () => ExpoColumns({ orders: await loadPassOrders(db, rid), stations, thresholds }) as string,
      });
    }, { need: "expo.view", query: t.Object({ since: t.Optional(t.String()) }) })
    .post("/expo/orders/:orderId/serve", async ({ principal, params, request, set, server }) => {
      assertScreen(principal, { kind: "expo" });
      const order = await serveOrder(db, principal.restaurant.id, params.orderId, actorOf(principal, getMeta(request)?.ip));
      if (!isHx(request)) {
        set.status = 303;
        set.headers.location = "/expo";
        return "";
      }
      return `<div id="expo-${order.id}" data-remove></div>`;
    }, { need: "expo.serve", params: t.Object({ orderId: t.String({ format: "uuid", error: "No such order" }) }) })
    .post("/expo/orders/:orderId/recall", async ({ principal, params, request, set, server }) => {
      assertScreen(principal, { kind: "expo" });
      await transitionOrder(db, principal.restaurant.id, params.orderId, "ready", null, actorOf(principal, getMeta(request)?.ip), { recall: true });
      set.status = 303;
      set.headers.location = "/expo";
      return "";
    }, { need: "orders.recall", params: t.Object({ orderId: t.String({ format: "uuid", error: "No such order" }) }) })
    .get("/board", async ({ principal, nonce }) => {
      assertScreen(principal, { kind: "board" });
      const rid = principal.restaurant.id;
      const seq = await ctx.bus.currentSeq(rid); // before the state, as on the KDS
      const orders = await loadPassOrders(db, rid);
      return BoardPage({ nonce, restaurantName: principal.restaurant.name, orders, lastSeq: seq });
    }, { need: "board.view" })
    .get("/board/stream", async ({ principal, request, query }) => {
      assertScreen(principal, { kind: "board" });
      return openScreenStream(ctx, {
        request, principal, key: "board", scope: "", render: boardRender, since: query.since,
        snapshot: async () => BoardColumns({ orders: await loadPassOrders(db, principal.restaurant.id) }) as string,
      });
    }, { need: "board.view", query: t.Object({ since: t.Optional(t.String()) }) });
}
