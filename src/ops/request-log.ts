import { getMeta } from "../http/request-context";
import { StatusMap } from "elysia";
import { observeRequest } from "./metrics";

/**
 * The status the client got. A route's set.status wins over a Response's own 200: the compression mapper
 * wraps every string or JSON body in a Response with status 200 and Elysia then applies set.status (a
 * number, or a name such as "Created").
 */
function statusOf(responseValue: unknown, setStatus: unknown): number {
  const fromSet = typeof setStatus === "number" ? setStatus : typeof setStatus === "string" ? StatusMap[setStatus as keyof typeof StatusMap] : undefined;
  const fromResponse = responseValue instanceof Response ? responseValue.status : undefined;
  if (fromSet !== undefined && fromSet !== 200) return fromSet;
  return fromResponse ?? fromSet ?? 200;
}

/**
 * The one line per request: request id (from the child logger), restaurant, actor kind, route pattern,
 * status and duration; and the same request counted in the metrics. Only the path is logged, never the
 * query string, headers or body, so tokens and PINs have no way in (the logger redacts them anyway).
 */
export function logRequest(request: Request, route: string | undefined, responseValue: unknown, setStatus: unknown): void {
  const meta = getMeta(request);
  if (!meta) return;
  const status = statusOf(responseValue, setStatus);
  const ms = performance.now() - meta.startedAt;
  // A group prefix plus "/" gives "/api/v1/orders/"; the route is the same one as "/api/v1/orders".
  const pattern = route ? (route.length > 1 ? route.replace(/\/$/, "") : route) : "unmatched";
  observeRequest(request.method, pattern, status, ms / 1000);
  meta.log.info({
    method: request.method, route: pattern, path: new URL(request.url).pathname, status, ms: Math.round(ms),
    restaurantId: meta.restaurantId, actor: meta.actor, ip: meta.ip,
  }, "request");
}
