import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { allows, ROLE_LABELS } from "../auth/permissions";
import { listStations } from "../kitchen/service";
import { screensFor } from "./screens";
import { HomePage } from "../../views/home/page";

/** The signed-in person's home: the screens and admin sections they may open. */
export function homeRoutes(ctx: AppContext) {
  return new Elysia({ name: "home" })
    .use(authPlugin(ctx))
    .get("/home", async ({ principal, nonce }) => {
      const user = principal.user!;
      const stations = allows(principal.actor, "kitchen.view") ? await listStations(ctx.database.db, principal.restaurant.id) : [];
      return HomePage({
        nonce, restaurantName: principal.restaurant.name, userName: user.name, roleLabel: ROLE_LABELS[user.role],
        links: screensFor(principal.actor), stations: stations.map((s) => ({ id: s.id, name: s.name })), account: principal.sessionKind === "password",
      });
    }, { need: "staff.self" });
}
