import type { Logger } from "../ops/logger";

/** What the app knows about a request before any route runs: set in onRequest, read everywhere. */
export type RequestMeta = {
  requestId: string; nonce: string; startedAt: number; log: Logger;
  /** The client's address (X-Forwarded-For only from a trusted proxy; src/ops/client-ip.ts); null when unknown. */
  ip: string | null;
  /** Filled in by the auth plugin once it knows who is asking, for the request log line. */
  restaurantId?: string; actor?: string;
};

const metas = new WeakMap<Request, RequestMeta>();

export function setMeta(request: Request, meta: RequestMeta): void {
  metas.set(request, meta);
}

export function getMeta(request: Request): RequestMeta | undefined {
  return metas.get(request);
}

export function wantsJson(request: Request): boolean {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/api/")) return true;
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}
