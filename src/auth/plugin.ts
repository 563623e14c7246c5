import { Elysia } from "elysia";
import { jwt } from "@elysiajs/jwt";
import type { AppContext } from "../context";
import { requestContext } from "../http/plugin";
import { getMeta } from "../http/request-context";
import { forbidden, HttpError, unauthorized } from "../http/errors";
import { allows, type Permission } from "./permissions";
import { resolvePrincipal, type Principal, type Resolution } from "./service";

export const SESSION_COOKIE = "ros_session";
export const DEVICE_COOKIE = "ros_device";
const DEVICE_COOKIE_DAYS = 400; // browsers cap cookie lifetime at 400 days

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a state-changing request carried by cookies must come from our own pages. Browsers send
 * Origin on every POST and Sec-Fetch-Site on every request; a request with neither is refused.
 * API-key requests carry no ambient credentials and are exempt.
 */
export function csrfRefusal(request: Request): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  if (request.headers.get("authorization")?.startsWith("Bearer ")) return null;
  // Square's webhooks carry no cookie and no Origin; the body's HMAC signature is their credential.
  if (!request.headers.get("cookie") && /^\/square\/webhooks\/[^/]+$/.test(new URL(request.url).pathname)) return null;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return "cross-site request refused";
  const origin = request.headers.get("origin");
  if (origin) {
    const host = request.headers.get("host") ?? new URL(request.url).host;
    let originHost = "";
    try { originHost = new URL(origin).host; } catch {}
    if (originHost !== host) return "cross-origin request refused";
    return null;
  }
  return site === "same-origin" ? null : "request without Origin refused";
}

const resolutions = new WeakMap<Request, Promise<Resolution>>();

/** Paths that are served before any notion of "who": assets and probes. */
const UNGUARDED = [/^\/public\//, /^\/vendor\//, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/];

/**
 * A request that carries a session, a station's device cookie or an API key. Its answer is that
 * person's or that device's and must never be kept by a browser or proxy: on a shared station, Back
 * after sign-off would otherwise show the previous person's page. Decided from the credentials sent,
 * not from whether they turned out valid, so refusals, redirects and 404s are covered as well.
 */
export function carriesCredentials(request: Request): boolean {
  if (UNGUARDED.some((re) => re.test(new URL(request.url).pathname))) return false;
  if (request.headers.get("authorization")?.startsWith("Bearer ")) return true;
  const cookie = request.headers.get("cookie") ?? "";
  return new RegExp(`(?:^|;\\s*)(?:${SESSION_COOKIE}|${DEVICE_COOKIE})=`).test(cookie);
}

const NO_STORE = "no-store";

/**
 * The station a refused request came from, for the error page's way out: the device that resolved
 * (or, when the refusal came before anything resolved, a device cookie), and who is signed on there.
 */
export async function stationOfRequest(request: Request): Promise<{ signedOnName: string | null } | null> {
  const pending = resolutions.get(request);
  if (!pending) return new RegExp(`(?:^|;\\s*)${DEVICE_COOKIE}=`).test(request.headers.get("cookie") ?? "") ? { signedOnName: null } : null;
  const resolution = await pending.catch(() => null);
  if (!resolution?.device) return null;
  const p = resolution.principal;
  return { signedOnName: p?.sessionKind === "pin" && p.user ? p.user.name : null };
}

export function authPlugin(ctx: AppContext) {
  const secure = ctx.config.nodeEnv === "production";
  return new Elysia({ name: "auth" })
    .use(requestContext(ctx))
    .use(jwt({ name: "tokens", secret: ctx.config.sessionSecret, exp: "400d" }))
    .onRequest(({ request, set }) => {
      if (carriesCredentials(request)) set.headers["cache-control"] = NO_STORE;
    })
    // Again after the handler, which may have chosen its own caching (e.g. ETag revalidation): for an
    // authenticated answer, no-store wins.
    .onAfterHandle({ as: "global" }, ({ request, set }) => {
      if (carriesCredentials(request)) set.headers["cache-control"] = NO_STORE;
    })
    .onBeforeHandle({ as: "global" }, ({ request }) => {
      const refusal = csrfRefusal(request);
      if (refusal) throw new HttpError(403, "csrf", `Refused: ${refusal}. Reload the page and try again.`);
    })
    .derive({ as: "global" }, ({ request, cookie, tokens, set, server }) => {
      const readToken = async (name: string): Promise<string | null> => {
        const raw = cookie[name]?.value;
        if (typeof raw !== "string" || !raw) return null;
        const payload = await tokens.verify(raw);
        return payload && typeof payload.tok === "string" ? payload.tok : null;
      };
      /** Resolves who is asking, once per request however many times it is called. */
      const resolveAuth = (): Promise<Resolution> => {
        let pending = resolutions.get(request);
        if (!pending) {
          const header = request.headers.get("authorization");
          const bearer = header?.startsWith("Bearer ") ? header.slice(7).trim() : null;
          pending = (async () => resolvePrincipal(ctx.database.db, {
            bearer, sessionToken: await readToken(SESSION_COOKIE), deviceToken: await readToken(DEVICE_COOKIE),
          }, ctx.config.sessionIdleHours))();
          resolutions.set(request, pending);
        }
        return pending;
      };
      const setSessionCookie = async (token: string | null) => {
        if (!token) {
          cookie[SESSION_COOKIE]!.remove();
          return;
        }
        cookie[SESSION_COOKIE]!.set({
          value: await tokens.sign({ tok: token }), httpOnly: true, sameSite: "lax", secure, path: "/",
          maxAge: ctx.config.sessionIdleHours * 3600 * 3, // the row's idle expiry is what really ends it
        });
      };
      const setDeviceCookie = async (token: string | null) => {
        if (!token) {
          cookie[DEVICE_COOKIE]!.remove();
          return;
        }
        cookie[DEVICE_COOKIE]!.set({ value: await tokens.sign({ tok: token }), httpOnly: true, sameSite: "strict", secure, path: "/", maxAge: DEVICE_COOKIE_DAYS * 86400 });
      };
      void set;
      // The peer address, or the client's as a trusted proxy reports it (TRUSTED_PROXIES; src/ops/client-ip.ts).
      const clientIp = getMeta(request)?.ip ?? null;
      return { resolveAuth, setSessionCookie, setDeviceCookie, clientIp };
    })
    .macro({
      /** Every route states what it needs; see PERMISSIONS. */
      need: (permission: Permission) => ({
        resolve: async function requirePermission({ resolveAuth, request }: { resolveAuth: () => Promise<Resolution>; request: Request }) {
          const resolution = await resolveAuth();
          noteWho(request, resolution.principal);
          if (permission === "public") return { principal: resolution.principal as Principal, resolution };
          const principal = resolution.principal;
          if (!principal) throw unauthorized(resolution.device ? "Sign on with your PIN" : "Please sign in");
          if (!allows(principal.actor, permission)) throw forbidden();
          if (principal.user?.mustChangePassword && principal.sessionKind === "password" && permission !== "staff.self") throw passwordChangeRequired(request);
          return { principal, resolution };
        },
      }),
    });
}

/**
 * A one-time password (the CLI's, or one a manager set) opens nothing but the change-password page:
 * a page request is sent there, anything else is refused with the reason.
 */
function passwordChangeRequired(request: Request): HttpError {
  if (request.method === "GET") return new HttpError(303, "password_change_required", "Choose a new password first.", undefined, { location: "/account/password" });
  return new HttpError(403, "password_change_required", "Choose a new password first, at /account/password.");
}

/** For the request's log line: which restaurant, and what kind of actor (a role, a device, an API key). */
function noteWho(request: Request, principal: Principal | null): void {
  const meta = getMeta(request);
  if (!meta || !principal) return;
  meta.restaurantId = principal.restaurant.id;
  meta.actor = principal.via === "api_key" ? "api_key" : principal.actor;
}

/** htmx marks its requests; routes answer them with a fragment and everyone else with a full page. */
export { isHtmx } from "../http/answer";

type RouteLike = { method: string; path: string; hooks: { beforeHandle?: { fn?: { name?: string } }[] } };

/** Every route must state what it needs (`need:`); the app refuses to start otherwise. */
export function routesWithoutNeed(routes: readonly RouteLike[]): string[] {
  return routes
    .filter((r) => !UNGUARDED.some((re) => re.test(r.path)))
    .filter((r) => !(r.hooks.beforeHandle ?? []).some((h) => h.fn?.name === "requirePermission"))
    .map((r) => `${r.method} ${r.path}`);
}
