import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin, isHtmx } from "../auth/plugin";
import { asRefusal, fieldErrors } from "../auth/refusal";
import type { Principal } from "../auth/service";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, type KeyActor } from "./service";
import { ApiKeysPage, KeyRow, type ApiKeysPageProps } from "../../views/admin/api-keys/page";

const FLASHES: Record<string, string> = {
  revoked: "Key revoked. Requests with it are refused, and its live streams were ended.",
};

const actor = (p: Principal, ip: string | null): KeyActor => ({ restaurantId: p.restaurant.id, userId: p.user?.id ?? null, deviceId: p.device?.id ?? null, ip, via: "admin" });

/** Admin: the restaurant's API keys. A new or rotated secret is in the answer to that POST only, never in a URL. */
export function apiKeyRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const page = async (nonce: string, p: Principal, extra: Partial<ApiKeysPageProps> = {}) => ApiKeysPage({
    nonce, restaurantName: p.restaurant.name, userName: p.user?.name ?? "", timeZone: p.restaurant.timeZone,
    keys: await listApiKeys(db, p.restaurant.id), ...extra,
  });

  return new Elysia({ name: "api-key-routes" })
    .use(authPlugin(ctx))
    .get("/admin/api-keys", ({ nonce, principal, query }) => page(nonce, principal, { flash: FLASHES[query.done ?? ""] }),
      { need: "apikeys.manage", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/admin/api-keys", async ({ nonce, principal, body, set, clientIp }) => {
      try {
        const key = await createApiKey(db, actor(principal, clientIp), body.name);
        return page(nonce, principal, { issued: key, flash: "Key created." });
      } catch (error) {
        const e = asRefusal(error, set);
        return page(nonce, principal, { errors: fieldErrors(e), name: body.name });
      }
    }, { need: "apikeys.manage", body: t.Object({ name: t.String({ maxLength: 200 }) }) })
    .post("/admin/api-keys/:id/revoke", async ({ principal, params, request, redirect, clientIp }) => {
      const key = await revokeApiKey(db, actor(principal, clientIp), params.id);
      if (isHtmx(request)) {
        const row = (await listApiKeys(db, principal.restaurant.id)).find((k) => k.id === key.id)!;
        return KeyRow({ apiKey: row, timeZone: principal.restaurant.timeZone });
      }
      return redirect("/admin/api-keys?done=revoked", 303);
    }, { need: "apikeys.manage" })
    .post("/admin/api-keys/:id/rotate", async ({ nonce, principal, params, clientIp }) => {
      const key = await rotateApiKey(db, actor(principal, clientIp), params.id);
      return page(nonce, principal, { issued: key, flash: "Key rotated: the old secret no longer works." });
    }, { need: "apikeys.manage" });
}
