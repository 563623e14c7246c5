import { Elysia } from "elysia";
import { readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { compressBytes, isCompressible, pickEncoding, type Encoding } from "./compression";

/**
 * Our static files: public/ and the two vendored libraries (htmx and Alpine, served from node_modules
 * so nobody edits a copy by hand). Each has a content hash; pages link to `path?v=<hash>` (see
 * versionAssetUrls), and a request carrying the current hash is cached by the browser for a year
 * ("immutable": a new deploy changes the hash, hence the URL). A request without it (an old page, a
 * bookmark) gets a short cache. Compressed bytes are kept per file and encoding: static files are
 * compressed once, at the best (slowest) level, not per request.
 */
const PUBLIC_DIR = join(import.meta.dir, "../../public");
const VENDOR: Record<string, string> = {
  "htmx.min.js": "htmx.org/dist/htmx.min.js",
  "alpine-csp.min.js": "@alpinejs/csp/dist/cdn.min.js",
};
const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
  ".png": "image/png", ".ico": "image/x-icon", ".woff2": "font/woff2", ".json": "application/json",
};
export const LONG_CACHE = "public, max-age=31536000, immutable";
export const SHORT_CACHE = "public, max-age=300";

type Asset = { file: string; mtimeMs: number; hash: string; type: string; raw: Uint8Array<ArrayBuffer>; encoded: Partial<Record<Encoding, Uint8Array<ArrayBuffer>>> };
const assets = new Map<string, Asset>();

/** The file behind a URL path, or null for anything outside public/ and the vendor list. */
function fileFor(urlPath: string): string | null {
  if (urlPath.startsWith("/vendor/")) {
    const module = VENDOR[urlPath.slice("/vendor/".length)];
    return module ? Bun.resolveSync(module, import.meta.dir) : null;
  }
  if (!urlPath.startsWith("/public/")) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.slice("/public/".length));
  } catch {
    return null;
  }
  const file = normalize(join(PUBLIC_DIR, relative));
  // No escape from public/ with ../ or an encoded variant of it.
  return file.startsWith(PUBLIC_DIR + sep) ? file : null;
}

/** The asset as it is on disk now; re-read when its mtime changes (a developer editing CSS). */
function load(urlPath: string): Asset | null {
  const file = fileFor(urlPath);
  if (!file) return null;
  let mtimeMs: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return null;
    mtimeMs = stat.mtimeMs;
  } catch {
    return null;
  }
  const cached = assets.get(urlPath);
  if (cached && cached.file === file && cached.mtimeMs === mtimeMs) return cached;
  const raw = new Uint8Array(readFileSync(file));
  const hash = new Bun.CryptoHasher("sha256").update(raw).digest("hex").slice(0, 12);
  const asset: Asset = { file, mtimeMs, hash, type: TYPES[extname(file)] ?? "application/octet-stream", raw, encoded: {} };
  assets.set(urlPath, asset);
  return asset;
}

/** The URL a page should use for an asset: with its content hash, so it can be cached for good. */
export function assetUrl(urlPath: string): string {
  const asset = load(urlPath);
  return asset ? `${urlPath}?v=${asset.hash}` : urlPath;
}

const ASSET_REF = /(\s(?:src|href)=")(\/(?:public|vendor)\/[^"?#]+)"/g;

/** Gives every src/href to one of our assets in a page its versioned URL. */
export function versionAssetUrls(html: string): string {
  if (!html.includes("/public/") && !html.includes("/vendor/")) return html;
  return html.replace(ASSET_REF, (_m, attr: string, path: string) => `${attr}${assetUrl(path)}"`);
}

function serve(request: Request, urlPath: string): Response {
  const asset = load(urlPath);
  if (!asset) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const version = new URL(request.url).searchParams.get("v");
  const etag = `"${asset.hash}"`;
  const headers: Record<string, string> = {
    "content-type": asset.type,
    "cache-control": version === asset.hash ? LONG_CACHE : SHORT_CACHE,
    etag,
  };
  const compressible = isCompressible(asset.type) && asset.raw.byteLength > 512;
  if (compressible) headers.vary = "Accept-Encoding";
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const encoding = compressible ? pickEncoding(request.headers.get("accept-encoding")) : null;
  if (!encoding) return new Response(asset.raw, { headers });
  const body = (asset.encoded[encoding] ??= compressBytes(asset.raw, encoding, "best"));
  return new Response(body, { headers: { ...headers, "content-encoding": encoding } });
}

export function assetRoutes() {
  return new Elysia({ name: "assets" })
    .get("/public/*", ({ request }) => serve(request, new URL(request.url).pathname))
    .get("/vendor/:file", ({ request }) => serve(request, new URL(request.url).pathname));
}
