import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { isHtmx, seeOther } from "../http/answer";
import { getMeta } from "../http/request-context";
import { whoOf } from "../http/actor";
import { listOrders, transitionOrder } from "../orders/service";
import { openScreenStream } from "../realtime/screen-stream";
import { assertScreen, listStations } from "../kitchen/service";
import { thresholdsOf } from "../kitchen/routes";
import { loadPassOrders, serveOrder } from "./service";
import { BoardColumns, BoardPage, ExpoColumns, ExpoPage } from "../../views/expo/page";
import { boardLiveRender, expoLiveRender } from "../../views/expo/live";


/** Expo (the pass) and the customers' order-ready board. */
export function expoRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const boardRender = boardLiveRender(db);

  return new Elysia({ name: "expo" })
    .use(authPlugin(ctx))
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
        request, principal, key: "expo", scope: "", render: expoLiveRender(db, stations, thresholds), since: query.since,
        snapshot: async () => ExpoColumns({ orders: await loadPassOrders(db, rid), stations, thresholds }) as string,
      });
    }, { need: "expo.view", query: t.Object({ since: t.Optional(t.String()) }) })
    .post("/expo/orders/:orderId/serve", async ({ principal, params, request, set, server }) => {
      assertScreen(principal, { kind: "expo" });
      const order = await serveOrder(db, principal.restaurant.id, params.orderId, whoOf(principal, request));
      if (!isHtmx(request)) {
        return seeOther(set, "/expo");
      }
      return `<div id="expo-${order.id}" data-remove></div>`;
    }, { need: "expo.serve", params: t.Object({ orderId: t.String({ format: "uuid", error: "No such order" }) }) })
    .post("/expo/orders/:orderId/recall", async ({ principal, params, request, set, server }) => {
      assertScreen(principal, { kind: "expo" });
      await transitionOrder(db, principal.restaurant.id, params.orderId, "ready", null, whoOf(principal, request), { recall: true });
      return seeOther(set, "/expo");
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
