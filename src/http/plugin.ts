import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { getMeta, setMeta } from "./request-context";
import { newNonce, securityHeaders } from "../ops/security";
import { isJsonType, parseJsonBody } from "./json-body";

const RAW_BODY_PATH = /^\/square\/webhooks\/[^/]+$/;
import { clientIpResolver } from "../ops/client-ip";

/**
 * Request id, CSP nonce, per-request logger and security headers, for every request. Named, so every
 * feature can .use() it for types while Elysia registers it once.
 */
export function requestContext(ctx: AppContext) {
  const clientIp = clientIpResolver(ctx.config.trustedProxies);
  return new Elysia({ name: "request-context" })
    .onRequest(({ request, set, server }) => {
      const requestId = request.headers.get("x-request-id")?.replace(/[^\w.-]/g, "").slice(0, 64) || crypto.randomUUID();
      const nonce = newNonce();
      const ip = clientIp(server?.requestIP(request)?.address, request.headers.get("x-forwarded-for"));
      setMeta(request, { requestId, nonce, startedAt: performance.now(), log: ctx.log.child({ requestId }), ip });
      Object.assign(set.headers, securityHeaders(nonce, ctx.config), { "x-request-id": requestId });
    })
    // Every JSON body, on every route, is size- and depth-bounded before anything walks it (src/http/json-body.ts).
    // Square's webhook reads its raw body itself: its signature covers the exact bytes (src/square/webhooks.ts).
    .onParse({ as: "global" }, ({ request, contentType }) => (isJsonType(contentType ?? "") && !RAW_BODY_PATH.test(new URL(request.url).pathname) ? parseJsonBody(request) : undefined))
    .derive({ as: "global" }, ({ request }) => {
      const meta = getMeta(request)!;
      return { requestId: meta.requestId, nonce: meta.nonce, log: meta.log };
    });
}
