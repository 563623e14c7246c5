import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";

export function paymentPosRoutes(ctx: AppContext) {
  return new Elysia({ name: "payments-pos" }).use(authPlugin(ctx));
}
