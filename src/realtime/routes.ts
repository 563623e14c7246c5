import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import type { EventRow } from "./bus";
import { revokes, type Holder } from "./hub";
import { createSseResponse, planResume, type SseMessage } from "./sse";

/** One event as integrations see it: the SSE id is the seq, the event name is its type. */
export function eventMessage(e: EventRow): SseMessage {
  return { id: e.seq, event: e.type, data: JSON.stringify({ seq: e.seq, type: e.type, data: e.data, at: e.createdAt }) };
}

/**
 * GET /api/v1/events: the restaurant's event stream. A client resumes with Last-Event-ID (or ?since=);
 * one too far behind, or with an id that cannot be its own, gets a `refresh` event and should re-read
 * state through the API before going on.
 */
export function eventRoutes(ctx: AppContext) {
  return new Elysia({ name: "events-api" })
    .use(authPlugin(ctx))
    .get("/api/v1/events", async ({ principal, request, query }) => {
      const restaurantId = principal.restaurant.id;
      const holder: Holder = { deviceId: principal.device?.id ?? null, sessionId: principal.sessionId, userId: principal.user?.id ?? null, apiKeyId: principal.apiKeyId ?? null };
      const resume = await planResume(ctx.bus, restaurantId, request.headers.get("last-event-id") ?? query.since);
      return createSseResponse({
        request,
        signal: ctx.shutdownSignal,
        start: (send, end) => {
          if (resume.kind === "refresh") send({ id: resume.afterSeq, event: "refresh", data: JSON.stringify({ reason: resume.reason, seq: resume.afterSeq }) });
          else for (const e of resume.events) send(eventMessage(e));
          return ctx.bus.subscribe(restaurantId, resume.afterSeq, (events) => {
            for (const e of events) {
              // Events up to the revocation were the holder's to see; nothing after it is.
              if (revokes(e, holder)) return end();
              send(eventMessage(e));
            }
          }, end);
        },
      });
    }, { need: "events.stream", query: t.Object({ since: t.Optional(t.String()) }) });
}
