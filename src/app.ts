import { Elysia } from "elysia";
import { html } from "@elysiajs/html";
import type { AppContext } from "./context";
import { HttpError, type Problem } from "./http/errors";
import { getMeta, wantsJson } from "./http/request-context";
import { requestContext } from "./http/plugin";
import { opsRoutes } from "./ops/routes";
import { assetRoutes } from "./ops/assets";
import { ErrorPage } from "../views/error-page";
import { authRoutes } from "./auth/routes";
import { menuRoutes } from "./menu/routes";
import { staffRoutes } from "./staff/routes";
import { deviceRoutes } from "./devices/routes";
import { auditRoutes } from "./audit/routes";
import { orderApiRoutes } from "./orders/api";
import { posRoutes } from "./orders/pos-routes";
import { kitchenRoutes } from "./kitchen/routes";
import { eventRoutes } from "./realtime/routes";
import { reportRoutes } from "./reports/routes";
import { routesWithoutNeed } from "./auth/plugin";

function problemResponse(request: Request, status: number, problem: Problem, headers: Record<string, string> = {}) {
  const meta = getMeta(request);
  if (wantsJson(request)) {
    return new Response(JSON.stringify(problem), { status, headers: { ...headers, "content-type": "application/json" } });
  }
  const page = ErrorPage({ nonce: meta?.nonce ?? "", status, message: problem.message, requestId: problem.requestId }) as string;
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
    .onAfterResponse({ as: "global" }, ({ request, set }) => {
      const meta = getMeta(request);
      if (!meta) return;
      const url = new URL(request.url);
      meta.log.info({ method: request.method, path: url.pathname, status: set.status, ms: Math.round(performance.now() - meta.startedAt) }, "request");
    })
    .onError({ as: "global" }, ({ code, error, request, set }) => {
      const meta = getMeta(request);
      const requestId = meta?.requestId;
      const headers = { ...(set.headers as Record<string, string>) };
      delete headers["content-type"];
      if (error instanceof HttpError) {
        // A person at a page who is not signed in goes to sign in (or to the PIN pad on a station).
        if (error.status === 401 && request.method === "GET" && !wantsJson(request)) {
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
      // Anything else is our bug: log it with the request id and show that id to the user.
      (meta?.log ?? ctx.log).error({ err: error, requestId }, "unhandled error");
      set.status = 500;
      return problemResponse(request, 500, { error: "internal", message: "Something went wrong on our side. Please try again; if it keeps happening, quote the reference below.", requestId }, headers);
    })
    .use(html({ autoDetect: true }))
    .use(assetRoutes())
    .use(opsRoutes(ctx))
    .use(authRoutes(ctx))
    .use(menuRoutes(ctx))
    .use(staffRoutes(ctx))
    .use(deviceRoutes(ctx))
    .use(auditRoutes(ctx))
    .use(orderApiRoutes(ctx))
    .use(posRoutes(ctx))
    .use(kitchenRoutes(ctx))
    .use(eventRoutes(ctx))
    .use(reportRoutes(ctx));
}

export type App = ReturnType<typeof buildApp>;
