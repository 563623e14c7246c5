import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { listOrders } from "../orders/service";
import { assertScreen } from "../kitchen/service";
import { ExpoRecallList } from "../../views/expo/recall-list";

/**
 * The expo's recall menu as it is now (issue 9, point 9): public/js/kds.js loads it when the menu opens
 * and again on every live update while it is open, so an order served after the page loaded is there.
 */
export function expoRecallListRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "expo-recall-list" })
    .use(authPlugin(ctx))
    .get("/expo/recall-list", async ({ principal }) => {
      assertScreen(principal, { kind: "expo" });
      return ExpoRecallList({ recent: await listOrders(db, principal.restaurant.id, { statuses: ["completed"], limit: 8 }) });
    }, { need: "expo.view" });
}
