import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { withTenant } from "../db/tenant";
import { loadPosMenu } from "../menu/service";
import { assertScreen, getStation } from "./service";
import { EightySixList } from "../../views/kds/eighty-six-list";

/**
 * The kitchen screen's 86 list (issue 9, point 8): every item this station cooks, each with the menu's
 * one-tap sold-out switch (POST /menu/items/:id/availability, which every screen hears live). A line
 * on a ticket has its own one-tap 86 button posting to the same route.
 */
export function kitchenEightySixRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "kitchen-86" })
    .use(authPlugin(ctx))
    .get("/kds/:stationId/eighty-six", async ({ principal, params }) => {
      const station = await getStation(db, principal.restaurant.id, params.stationId);
      assertScreen(principal, { kind: "kds", stationId: station.id });
      const menu = await withTenant(db, principal.restaurant.id, (tx) => loadPosMenu(tx, principal.restaurant.id, principal.restaurant.taxRateBps));
      const items = menu.categories.flatMap((c) => c.items).filter((i) => i.stationIds.includes(station.id));
      return EightySixList({ stationId: station.id, items });
    }, { need: "menu.availability", params: t.Object({ stationId: t.String() }) });
}
