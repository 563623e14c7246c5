import { Elysia } from "elysia";
import { html } from "@elysiajs/html";
import type { AppContext } from "./context";
import { HttpError, type Problem } from "./http/errors";
import { isConnectionFailure, RETRY_AFTER_SECONDS } from "./db/health";
import { getMeta, wantsJson } from "./http/request-context";
import { requestContext } from "./http/plugin";
import { opsRoutes } from "./ops/routes";
import { requestLimits } from "./ops/request-limits";
import { logRequest } from "./ops/request-log";
import { assetRoutes } from "./ops/static";
import { compression } from "./ops/compression";
import { ErrorPage } from "../views/error-page";
import { authRoutes } from "./auth/routes";
import { homeRoutes } from "./home/routes";
import { settingsRoutes } from "./settings/routes";
import { menuRoutes } from "./menu/routes";
import { staffRoutes } from "./staff/routes";
import { deviceRoutes } from "./devices/routes";
import { auditRoutes } from "./audit/routes";
import { apiKeyRoutes } from "./api-keys/routes";
import { orderApiRoutes } from "./api/orders";
import { posRoutes } from "./pos/routes";
import { paymentApiRoutes } from "./payments/api";
import { paymentPosRoutes } from "./payments/pos-routes";
import { kitchenRoutes } from "./kitchen/routes";
import { expoRoutes } from "./expo/routes";
import { posQuickRoutes } from "./pos/quick-routes";
import { kitchenEightySixRoutes } from "./kitchen/eighty-six-routes";
import { expoRecallListRoutes } from "./expo/recall-list-routes";
import { eventRoutes } from "./realtime/routes";
import { reportRoutes } from "./reports/routes";
import { guestRoutes } from "./guest/routes";
import { guestStaffRoutes } from "./guest/staff-routes";
import { squareRoutes } from "./square/routes";
import { isHtmx, routesWithoutNeed, stationOfRequest } from "./auth/plugin";

async function problemResponse(request: Request, status: number, problem: Problem, headers: Record<string, string> = {}) {
  const meta = getMeta(request);
  if (wantsJson(request)) {
    return new Response(JSON.stringify(problem), { status, headers: { ...headers, "content-type": "application/json" } });
  }
  if (isHtmx(request)) {
    // htmx swaps error responses too: a refusal must never replace what a live screen shows (an error
    // page in a kitchen rail). It swaps nothing and carries its message, which public/js/refusals.js shows.
    const text = problem.requestId ? `${problem.message} (reference ${problem.requestId})` : problem.message;
    const fragment = `<p class="flash error" role="alert">${Bun.escapeHTML(text)}</p>`;
    return new Response(fragment, { status, headers: { ...headers, "content-type": "text/html; charset=utf-8", "hx-reswap": "none", "x-refusal": encodeURIComponent(text) } });
  }
  const refreshSeconds = status === 503 && request.method === "GET" ? 5 : undefined;
  // Every refusal on a station offers Sign off / switch person (its "start" may be the refusing page).
  const station = await stationOfRequest(request);
  const page = ErrorPage({ nonce: meta?.nonce ?? "", status, message: problem.message, requestId: problem.requestId, refreshSeconds, station }) as string;
  return new Response(page, { status, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}

/** Builds the whole application. Tests call app.handle(new Request(...)) on it in-process. */
export function createApp(ctx: AppContext) {
  const app = buildApp(ctx);
  const unguarded = routesWithoutNeed(app.routes as never);
  if (unguarded.length) throw new Error(`Routes without a stated need (add need: "<permission>"): ${unguarded.join(", ")}`);
  return app;
}

function buildApp(ctx: AppContext) {
  return new Elysia()
    .use(requestContext(ctx))
    .use(requestLimits(ctx))
    .onAfterResponse({ as: "global" }, ({ request, route, responseValue, set }) => logRequest(request, route, responseValue, set.status))
    .onError({ as: "global" }, ({ code, error: thrown, request, set }) => {
      // Elysia wraps whatever a parse hook throws; the JSON body limits' refusal is inside (src/http/json-body.ts).
      const cause = code === "PARSE" ? (thrown as { cause?: unknown }).cause : undefined;
      const error = cause instanceof HttpError ? cause : thrown;
      const meta = getMeta(request);
      const requestId = meta?.requestId;
      const headers = { ...(set.headers as Record<string, string>) };
      delete headers["content-type"];
      if (error instanceof HttpError) {
        // A person at a page who is not signed in goes to sign in (or to the PIN pad on a station).
        if (error.status === 401 && request.method === "GET" && !wantsJson(request) && !isHtmx(request)) {
          const path = new URL(request.url).pathname;
          const to = error.message.includes("PIN") ? "/station" : `/sign-in?next=${encodeURIComponent(path)}`;
          return new Response(null, { status: 303, headers: { ...headers, location: to } });
        }
        set.status = error.status;
        return problemResponse(request, error.status, { error: error.code, message: error.message, field: error.field }, { ...headers, ...error.headers });
      }
      if (code === "NOT_FOUND") {
        set.status = 404;
        return problemResponse(request, 404, { error: "not_found", message: "There is nothing at this address." }, headers);
      }
      if (code === "PARSE") {
        set.status = 400;
        return problemResponse(request, 400, { error: "malformed_body", message: "The request body could not be read (malformed JSON or form data)." }, headers);
      }
      if (code === "VALIDATION") {
        const first = (error as { all?: { path?: string; summary?: string; message?: string }[] }).all?.[0];
        const field = first?.path?.replace(/^\//, "").replaceAll("/", ".") || undefined;
        const message = field ? `${field}: ${first?.summary ?? first?.message ?? "is not valid"}` : "The request is not valid.";
        set.status = 400;
        return problemResponse(request, 400, { error: "validation", message, field }, headers);
      }
      // The database is out of reach: not our bug, and the client may try again shortly. A known outage
      // is logged once by the health probe, so each refused request only at debug level.
      if (isConnectionFailure(error)) {
        const log = meta?.log ?? ctx.log;
        log[ctx.database.health.isUp() ? "warn" : "debug"]({ requestId, reason: (error as Error).message }, "database unavailable");
        set.status = 503;
        return problemResponse(request, 503, { error: "unavailable", message: "The database cannot be reached right now. Please try again in a few seconds.", requestId }, { ...headers, "retry-after": String(RETRY_AFTER_SECONDS) });
      }
      // Anything else is our bug: log it with the request id and show that id to the user.
      (meta?.log ?? ctx.log).error({ err: error, requestId }, "unhandled error");
      set.status = 500;
      return problemResponse(request, 500, { error: "internal", message: "Something went wrong on our side. Please try again; if it keeps happening, quote the reference below.", requestId }, headers);
    })
    // Before html(): the first response mapper that answers wins, and this one compresses.
    .use(compression())
    .use(html({ autoDetect: true }))
    .use(assetRoutes())
    .use(opsRoutes(ctx))
    .use(authRoutes(ctx))
    .use(homeRoutes(ctx))
    .use(settingsRoutes(ctx))
    .use(menuRoutes(ctx))
    .use(staffRoutes(ctx))
    .use(deviceRoutes(ctx))
    .use(auditRoutes(ctx))
    .use(apiKeyRoutes(ctx))
    .use(orderApiRoutes(ctx))
    .use(posRoutes(ctx))
    .use(paymentApiRoutes(ctx))
    .use(paymentPosRoutes(ctx))
    .use(kitchenRoutes(ctx))
    .use(expoRoutes(ctx))
    .use(posQuickRoutes(ctx)).use(kitchenEightySixRoutes(ctx)).use(expoRecallListRoutes(ctx)) // issue 9: POS quick actions, KDS 86 list, live expo recall
    .use(eventRoutes(ctx))
    .use(reportRoutes(ctx))
    .use(guestRoutes(ctx))
    .use(guestStaffRoutes(ctx))
    .use(squareRoutes(ctx));
}

export type App = ReturnType<typeof buildApp>;
