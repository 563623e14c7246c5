import { Elysia, t, type Context } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { isHtmx, seeOther } from "../http/answer";
import { getMeta } from "../http/request-context";
import type { Principal } from "../auth/service";
import { HttpError } from "../http/errors";
import { actorOf, whoOf } from "../http/actor";
import { getOrder, type OrderView } from "../orders/service";
import { openScreenStream } from "../realtime/screen-stream";
import { acknowledgeVoids, assertScreen, bumpAtStation, getStation, homeOf, listStations, loadAllDay, loadKitchenOrders, recallAtStation } from "./service";
import { AllDayPanel, hasWorkAt, KdsTicket, type Thresholds } from "../../views/kds/ticket";
import { kdsLiveRender } from "../../views/kds/live";
import { KdsChooser, KdsPage, KdsRail } from "../../views/kds/page";

export const thresholdsOf = (p: Principal) => p.restaurant.ageThresholds as Thresholds;

export function kitchenRoutes(ctx: AppContext) {
  const db = ctx.database.db;

  const kdsRender = (stationId: string, thresholds: Thresholds) => kdsLiveRender(db, stationId, thresholds);

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
    if (!isHtmx(request)) {
      return seeOther(set, `/kds/${stationId}`);
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
        () => bumpAtStation(db, principal.restaurant.id, station.id, params.orderId, "all", whoOf(principal, request)));
    }, { need: "kitchen.bump", params: ticketParams })
    .post("/kds/:stationId/orders/:orderId/lines/:lineId/bump", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      return answerTicket(request, set, principal, station.id, params.orderId,
        () => bumpAtStation(db, principal.restaurant.id, station.id, params.orderId, [params.lineId], whoOf(principal, request)));
    }, { need: "kitchen.bump", params: t.Object({ stationId: t.String(), orderId: t.String({ format: "uuid" }), lineId: t.String({ format: "uuid", error: "No such item" }) }) })
    .post("/kds/:stationId/orders/:orderId/voids/ack", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      return answerTicket(request, set, principal, station.id, params.orderId,
        () => acknowledgeVoids(db, principal.restaurant.id, station.id, params.orderId, whoOf(principal, request)));
    }, { need: "kitchen.bump", params: ticketParams })
    .post("/kds/:stationId/recall", async ({ principal, params, request, set, server }) => {
      const station = await stationFor(principal, params.stationId);
      const order = await recallAtStation(db, principal.restaurant.id, station.id, null, whoOf(principal, request));
      if (!isHtmx(request)) {
        return seeOther(set, `/kds/${station.id}`);
      }
      // The ticket comes back onto the rail; the live stream tells the other screens.
      return KdsTicket({ order, stationId: station.id, thresholds: thresholdsOf(principal) });
    }, { need: "orders.recall", params: stationParams });
}
