import type { AppContext } from "../context";
import type { Principal } from "../auth/service";
import type { Render } from "./hub";
import { createSseResponse, parseLastEventId } from "./sse";

export type ScreenStream = {
  request: Request;
  principal: Principal;
  /** Screens with the same key share one render per batch of events. */
  key: string;
  scope: string;
  render: Render;
  /** The whole screen's live part, sent when the client is not exactly up to date. */
  snapshot: () => Promise<string>;
  since?: string | null;
};

/**
 * A live screen: joins the hub first (buffering), then decides from Last-Event-ID (or ?since=) whether
 * the client needs the full state, so no event can fall between the snapshot and the live feed.
 */
export async function openScreenStream(ctx: AppContext, s: ScreenStream): Promise<Response> {
  const restaurantId = s.principal.restaurant.id;
  const buffer: [number, string][] = [];
  let send: ((seq: number, html: string) => boolean) | null = null;
  let end: (() => void) | null = null;
  let ended = false;
  const head = await ctx.bus.currentSeq(restaurantId);
  const leave = ctx.hub.join(restaurantId, head, s.key, s.scope, s.render, {
    send: (seq, html) => {
      if (!html) return !ended;
      if (!send) { buffer.push([seq, html]); return true; }
      return send(seq, html);
    },
    close: () => { ended = true; end?.(); },
    deviceId: s.principal.device?.id ?? null,
    sessionId: s.principal.sessionId,
    userId: s.principal.user?.id ?? null,
  });
  let snapshot: string | null = null;
  try {
    const since = parseLastEventId(s.request.headers.get("last-event-id") ?? s.since, head);
    // Up to date (the page was rendered at this seq): nothing to send. Anything else gets the full
    // state: a missed event, garbage, or an id from the future (another restaurant or a reset DB).
    if (since !== head) snapshot = await s.snapshot();
  } catch (error) {
    leave();
    throw error;
  }
  return createSseResponse({
    request: s.request,
    signal: ctx.shutdownSignal,
    start: (sse, finish) => {
      end = finish;
      send = (seq, html) => sse({ id: seq, event: "swap", data: html });
      if (ended) { finish(); return leave; }
      if (snapshot !== null) send(head, snapshot);
      for (const [seq, html] of buffer.splice(0)) send(seq, html);
      return leave;
    },
  });
}
