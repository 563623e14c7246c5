import { Elysia } from "elysia";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { versionAssetUrls } from "./static";

export type Encoding = "br" | "gzip";

/** Below this a compressed body saves less than its own headers cost. */
const MIN_BYTES = 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|problem\+json)|image\/svg\+xml)/;

export const isCompressible = (contentType: string | null | undefined) => !!contentType && COMPRESSIBLE.test(contentType)
  // Live streams must reach the screen message by message; a compressor would hold them back.
  && !contentType.startsWith("text/event-stream");

/**
 * The encoding to answer with, from the request's Accept-Encoding: brotli when accepted (about 15%
 * smaller than gzip on our pages), then gzip; an explicit q=0 refuses one; "*" means either.
 */
export function pickEncoding(header: string | null): Encoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const accepts = (e: Encoding) => (q.get(e) ?? q.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return null;
}

/**
 * "fast" for a page rendered per request (brotli 4 / gzip 6: under a millisecond for our pages, close
 * to the best ratio); "best" for static files, compressed once and kept.
 */
export function compressBytes(bytes: Uint8Array, encoding: Encoding, effort: "fast" | "best"): Uint8Array<ArrayBuffer> {
  if (encoding === "gzip") return new Uint8Array(gzipSync(bytes, { level: effort === "best" ? 9 : 6 }));
  return new Uint8Array(brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: effort === "best" ? 11 : 4,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
    },
  }));
}

type Set = { headers: Record<string, string | number | undefined>; status?: number | string };

const looksLikeHtml = (s: string) => {
  const start = s.trimStart();
  return start.startsWith("<") && s.trimEnd().endsWith(">");
};

/**
 * The body a route returned, encoded for this client. Strings (pages and htmx fragments) and plain
 * JSON values are handled here; Responses a route built itself (live streams, files) pass untouched:
 * static files are compressed by the asset routes, streams never.
 */
export function encodeBody(request: Request, value: unknown, set: Set): Response | undefined {
  let text: string;
  let type = typeof set.headers["content-type"] === "string" ? (set.headers["content-type"] as string) : undefined;
  if (typeof value === "string") {
    type ??= looksLikeHtml(value) ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
    text = type.startsWith("text/html") ? versionAssetUrls(value) : value;
  } else if (value !== null && typeof value === "object" && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    type ??= "application/json";
    text = JSON.stringify(value);
  } else {
    return undefined;
  }
  // Status stays 200 here: Elysia then takes the route's set.status (which may be a name like "Not Found")
  // and adds set.headers (security headers, cookies) to the ones given here.
  return textResponse(request, text, type);
}

/** A text body as a Response, compressed when the client accepts it and it is worth it. */
export function textResponse(request: Request, text: string, type: string, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const headers: Record<string, string> = { ...init.headers, "content-type": type };
  const bytes = new TextEncoder().encode(text);
  if (!isCompressible(type)) return new Response(bytes, { status: init.status, headers });
  headers.vary = "Accept-Encoding";
  const encoding = bytes.byteLength >= MIN_BYTES ? pickEncoding(request.headers.get("accept-encoding")) : null;
  if (!encoding) return new Response(bytes, { status: init.status, headers });
  headers["content-encoding"] = encoding;
  return new Response(compressBytes(bytes, encoding, "fast"), { status: init.status, headers });
}

/**
 * Compresses what routes return (gzip or brotli, by Accept-Encoding). Must be registered before the
 * html plugin: Elysia runs response mappers in order and stops at the first that answers.
 */
export function compression() {
  return new Elysia({ name: "compression" })
    .mapResponse({ as: "global" }, function compressResponse({ request, responseValue, set }) {
      return encodeBody(request, responseValue, set as Set);
    });
}
