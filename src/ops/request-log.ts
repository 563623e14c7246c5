import { getMeta } from "../http/request-context";
import { observeRequest } from "./metrics";

/**
 * The one line per request: request id (from the child logger), restaurant, actor kind, route pattern,
 * status and duration; and the same request counted in the metrics. Only the path is logged, never the
 * query string, headers or body, so tokens and PINs have no way in (the logger redacts them anyway).
 */
export function logRequest(request: Request, route: string | undefined, responseValue: unknown, setStatus: unknown): void {
  const meta = getMeta(request);
  if (!meta) return;
  const status = responseValue instanceof Response ? responseValue.status : typeof setStatus === "number" ? setStatus : 200;
  const ms = performance.now() - meta.startedAt;
  // A group prefix plus "/" gives "/api/v1/orders/"; the route is the same one as "/api/v1/orders".
  const pattern = route ? (route.length > 1 ? route.replace(/\/$/, "") : route) : "unmatched";
  observeRequest(request.method, pattern, status, ms / 1000);
  meta.log.info({
    method: request.method, route: pattern, path: new URL(request.url).pathname, status, ms: Math.round(ms),
    restaurantId: meta.restaurantId, actor: meta.actor, ip: meta.ip,
  }, "request");
}
