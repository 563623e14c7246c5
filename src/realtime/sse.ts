import type { EventBus, EventRow } from "./bus";
import { streamClosed, streamKind, streamOpened } from "../ops/metrics";

/*
 * A route streams one restaurant's events like this; everything awaited happens before the Response:
 *
 *   const plan = await planResume(bus, restaurantId, request.headers.get("last-event-id") ?? query.since);
 *   const full = plan.kind === "refresh" ? await renderBoard(restaurantId) : null;
 *   return createSseResponse({ request, signal: shutdownSignal, start: (send, end) => {
 *     if (full !== null) send({ id: plan.afterSeq, event: "refresh", data: full });
 *     else for (const e of plan.events) send({ id: e.seq, event: e.type, data: fragmentFor(e) });
 *     return bus.subscribe(restaurantId, plan.afterSeq, (events) => { for (const e of events) send(...); }, end);
 *   } });
 *
 * onEvents is synchronous: a screen whose fragments need their own reads must chain them per stream
 * so they still go out in seq order.
 */

/** Bun, proxies and load balancers close a connection that stays silent; a comment every 15 s keeps it open. */
export const SSE_HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting after the stream ends. */
export const SSE_RETRY_MS = 3_000;
/**
 * Bun.serve closes a connection that sends nothing for idleTimeout seconds, 10 by default: shorter
 * than the heartbeat, so every stream would drop after about 10 s. server.ts should pass this as
 * `idleTimeout` to app.listen / Bun.serve. It must exceed the heartbeat by more than Bun's 4 s sweep
 * interval (measured: idleTimeout 5 drops a silent stream after 8 s); Bun allows at most 255.
 * Alternatively a route lifts the limit for its own request with `server.timeout(request, 0)`.
 */
export const SSE_SERVER_IDLE_TIMEOUT_SECONDS = 30;
/** A client missing more events than this gets a full-state refresh instead of a replay. */
export const SSE_REPLAY_LIMIT = 500;
/** A client this far behind on reading is cut off: it reconnects and replays instead of growing our memory. */
export const SSE_MAX_QUEUED_BYTES = 256 * 1024;

export type SseMessage = { id?: number | string; event?: string; data: string; retry?: number };
/** Queues one message; false once the stream has ended. */
export type SendSse = (message: SseMessage) => boolean;
/** Runs when the stream opens; returns what to undo when it ends (typically the bus unsubscribe). */
export type SseStart = (send: SendSse, end: () => void) => (() => void) | void;

export type SseOptions = {
  request: Request;
  /** Ends the stream too, e.g. the server's shutdown signal. */
  signal?: AbortSignal;
  heartbeatMs?: number;
  retryMs?: number;
  start: SseStart;
};

const LINE_BREAK = /\r\n|\r|\n/;
const encoder = new TextEncoder();

/**
 * One event in the text/event-stream format. Each line of data gets its own `data:` line, since a
 * raw newline would end the field early and let the rest be read as other fields.
 */
export function encodeSse(message: SseMessage): string {
  let text = "";
  if (message.event !== undefined) text += `event: ${singleLine(message.event, "event")}\n`;
  if (message.id !== undefined) text += `id: ${singleLine(String(message.id), "id")}\n`;
  if (message.retry !== undefined) text += retryLine(message.retry);
  for (const line of message.data.split(LINE_BREAK)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** A comment line: browsers ignore it, but it keeps proxies and idle timers from closing the stream. */
export function sseComment(text: string): string {
  return `${text.split(LINE_BREAK).map((line) => `: ${line}\n`).join("")}\n`;
}

// A newline would smuggle in a field of its own; a NUL makes browsers drop the id silently.
function singleLine(value: string, field: string): string {
  if (/[\r\n\0]/.test(value)) throw new TypeError(`SSE ${field} must be a single line without NUL`);
  return value;
}

function retryLine(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`SSE retry must be a non-negative integer, got ${ms}`);
  return `retry: ${ms}\n`;
}

/** Why a Last-Event-ID cannot be resumed from; each case calls for a full-state refresh. */
export type NoResume = "missing" | "unknown" | "future";

/**
 * The seq to replay after, or why not. Garbage (not a plain non-negative integer, or too long to be
 * exact) is "unknown"; a seq past currentSeq comes from another restaurant or a reset database.
 */
export function parseLastEventId(value: string | null | undefined, currentSeq: number): number | NoResume {
  if (value === null || value === undefined || value === "") return "missing";
  if (!/^[0-9]{1,15}$/.test(value)) return "unknown";
  const seq = Number(value);
  return seq > currentSeq ? "future" : seq;
}

export type Resume =
  /** Send these events, then subscribe after afterSeq (the last of them, or the client's own seq). */
  | { kind: "replay"; events: EventRow[]; afterSeq: number }
  /**
   * Send the full state, then subscribe after afterSeq. Events after it may already be in that state;
   * they are delivered again, which the screens' idempotent swaps absorb.
   */
  | { kind: "refresh"; reason: NoResume | "too-far-behind"; afterSeq: number };

/** Decides how a (re)connecting stream catches up, from its Last-Event-ID header (or ?since=). */
export async function planResume(bus: EventBus, restaurantId: string, lastEventId: string | null | undefined, limit = SSE_REPLAY_LIMIT): Promise<Resume> {
  const head = await bus.currentSeq(restaurantId);
  const last = parseLastEventId(lastEventId, head);
  if (typeof last !== "number") return { kind: "refresh", reason: last, afterSeq: head };
  const replay = await bus.readSince(restaurantId, last, limit);
  if (replay.tooFarBehind) return { kind: "refresh", reason: "too-far-behind", afterSeq: head };
  const newest = replay.events[replay.events.length - 1];
  return { kind: "replay", events: replay.events, afterSeq: newest?.seq ?? last };
}

/** What one open stream keeps: a few fields, nothing that holds the request or rendered pages. */
type StreamState = {
  controller: ReadableStreamDefaultController<Uint8Array>;
  signals: AbortSignal[];
  onAbort: () => void;
  heartbeat: ReturnType<typeof setInterval> | undefined;
  cleanup: (() => void) | undefined;
  closed: boolean;
  /** The metric label this stream is counted under while open (kds, expo, board, pos, api). */
  kind: string;
};

/**
 * A text/event-stream Response: `retry:` first, a ping comment every heartbeatMs, and an end (timers
 * stopped, cleanup run once) on client abort, options.signal, end(), a consumer cancel, or a client
 * too slow to read. start runs synchronously; do the awaiting (planResume) before calling this.
 */
export function createSseResponse(options: SseOptions): Response {
  let state: StreamState | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      start: (controller) => { state = openStream(controller, options); },
      cancel: () => { if (state) endStream(state); },
    },
    // Counting bytes makes desiredSize tell how much a slow client has left unread.
    { highWaterMark: 0, size: (chunk) => chunk?.byteLength ?? 0 },
  );
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      // no-store: every stream is someone's (a session, a device, an API key) and never worth keeping.
      // no-transform: a compressing proxy would buffer the stream and hold events back.
      "cache-control": "no-store, no-transform",
      // nginx buffers responses by default, which would hold events back the same way.
      "x-accel-buffering": "no",
    },
  });
}

function openStream(controller: ReadableStreamDefaultController<Uint8Array>, options: SseOptions): StreamState {
  const signals = options.signal ? [options.request.signal, options.signal] : [options.request.signal];
  const state: StreamState = { controller, signals, onAbort: () => {}, heartbeat: undefined, cleanup: undefined, closed: false, kind: streamKind(options.request) };
  streamOpened(state.kind);
  state.onAbort = () => endStream(state);
  if (signals.some((signal) => signal.aborted)) {
    endStream(state);
    return state;
  }
  for (const signal of signals) signal.addEventListener("abort", state.onAbort);
  write(state, encoder.encode(retryLine(options.retryMs ?? SSE_RETRY_MS) + "\n"));
  state.heartbeat = setInterval(() => write(state, encoder.encode(sseComment("ping"))), options.heartbeatMs ?? SSE_HEARTBEAT_MS);
  try {
    const cleanup = options.start((message) => write(state, encoder.encode(encodeSse(message))), state.onAbort);
    if (state.closed) cleanup?.();
    else state.cleanup = cleanup ?? undefined;
  } catch (error) {
    endStream(state);
    throw error;
  }
  return state;
}

function write(state: StreamState, chunk: Uint8Array): boolean {
  if (state.closed) return false;
  if ((state.controller.desiredSize ?? 0) < -SSE_MAX_QUEUED_BYTES) {
    endStream(state);
    return false;
  }
  try {
    state.controller.enqueue(chunk);
    return true;
  } catch {
    // The consumer went away between our check and the enqueue.
    endStream(state);
    return false;
  }
}

function endStream(state: StreamState): void {
  if (state.closed) return;
  state.closed = true;
  streamClosed(state.kind);
  clearInterval(state.heartbeat);
  for (const signal of state.signals) signal.removeEventListener("abort", state.onAbort);
  try {
    state.controller.close();
  } catch {
    // Already closed or cancelled by the consumer: nothing left to end.
  }
  const cleanup = state.cleanup;
  state.cleanup = undefined;
  cleanup?.();
}
