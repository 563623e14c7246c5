import type { Database } from "../db/client";
import { withSystem, withTenant } from "../db/tenant";
import type { Logger } from "../ops/logger";
import { EVENTS_CHANNEL } from "./events";
import { observeEventDelay } from "../ops/metrics";
import { selectEventSeq, selectEventSeqs, selectEventsAfter, type EventRow } from "./queries";
import { UUID } from "../ids";

export type { EventRow } from "./queries";

/** Receives each batch in seq order. The rows are shared between subscribers: never mutate them. */
export type OnEvents = (events: EventRow[]) => void;

export type Replay = {
  events: EventRow[];
  /** More than `limit` events are missing (or they are gone): send a full-state refresh instead; events is then empty. */
  tooFarBehind: boolean;
};

export type EventBus = {
  /** Settles once LISTEN is in place, or has failed and been logged (the safety net then carries delivery). */
  ready: Promise<void>;
  /**
   * Delivers every event with seq > afterSeq exactly once, in order, without gaps, until the returned
   * function is called. onClose runs when the bus shuts down, when the database becomes unreachable,
   * or when the events this subscriber still needs no longer exist; either way the stream should end
   * and the client reconnect.
   */
  subscribe: (restaurantId: string, afterSeq: number, onEvents: OnEvents, onClose?: () => void) => () => void;
  /** Replay for Last-Event-ID: the events after afterSeq, unless more than limit are missing. */
  readSince: (restaurantId: string, afterSeq: number, limit: number) => Promise<Replay>;
  currentSeq: (restaurantId: string) => Promise<number>;
  close: () => Promise<void>;
  /** Events announced to this process and not yet handed to every subscriber, summed over restaurants (a metric). */
  behind: () => number;
};

export type BusLog = Pick<Logger, "debug" | "info" | "warn" | "error">;

export type BusOptions = {
  database: Database;
  log: BusLog;
  /** How often the safety net compares restaurants.event_seq with what was delivered. */
  pollMs?: number;
  /** Rows per read; a longer backlog is read in several pages. */
  pageSize?: number;
};

export const DEFAULT_POLL_MS = 5_000;
export const DEFAULT_PAGE_SIZE = 500;

type Subscriber = {
  /** Highest seq handed to this subscriber. */
  cursor: number;
  onEvents: OnEvents;
  onClose: (() => void) | undefined;
  active: boolean;
};

type Channel = {
  restaurantId: string;
  subscribers: Set<Subscriber>;
  /** Highest seq announced (by a doorbell, the safety net, or Infinity for "whatever is there") and not read yet. */
  wanted: number;
  /** The read in flight, if any: at most one per restaurant, however many doorbells ring. */
  reading: Promise<void> | null;
  /** Highest seq known to exist (doorbell or safety net), and highest seq read so far: for metrics only. */
  head: number;
  seen: number;
};

const DOORBELL = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([1-9][0-9]{0,14})$/i;

/** Reads a NOTIFY payload `restaurantId:seq`; null for anything else. */
export function parseDoorbell(payload: string): { restaurantId: string; seq: number } | null {
  const match = DOORBELL.exec(payload);
  if (!match) return null;
  return { restaurantId: match[1]!.toLowerCase(), seq: Number(match[2]) };
}

export function createBus(options: BusOptions): EventBus {
  const { database, log } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const channels = new Map<string, Channel>();
  let closed = false;
  let unlisten: (() => Promise<void>) | null = null;
  let listening: Promise<void> | null = null;
  let polling: Promise<void> | null = null;

  const ready = startListening();
  // While the database is out of reach nothing can be delivered: end every subscription, so the screens
  // behind them show they are not live (instead of looking current while stale) and come back with a
  // replay from their last seq once the database answers again.
  const stopWatching = database.health.onChange((up) => { if (!up) endAll("realtime: the database is unreachable; ending live streams"); });
  const timer = setInterval(() => { polling ??= poll().finally(() => { polling = null; }); }, options.pollMs ?? DEFAULT_POLL_MS);
  // The bus alone must not keep a process (a CLI command, a test) alive.
  timer.unref();

  function startListening(): Promise<void> {
    listening = listenOnce().finally(() => { listening = null; });
    return listening;
  }

  async function listenOnce(): Promise<void> {
    try {
      const stop = await database.listen(EVENTS_CHANNEL, onDoorbell, onReconnect);
      if (closed) await stop();
      else unlisten = stop;
    } catch (error) {
      if (!closed) log.error({ err: error }, "realtime: LISTEN failed; the safety net delivers until it succeeds");
    }
  }

  function onDoorbell(payload: string): void {
    if (closed) return;
    const bell = parseDoorbell(payload);
    if (!bell) {
      log.debug({ payload: payload.slice(0, 100) }, "realtime: ignored a malformed doorbell");
      return;
    }
    const channel = channels.get(bell.restaurantId);
    if (channel) want(channel, bell.seq);
  }

  // Doorbells rung while the listener was reconnecting are lost for good (NOTIFY is at-most-once).
  function onReconnect(): void {
    if (closed) return;
    log.info({ restaurants: channels.size }, "realtime: listener reconnected, catching up");
    for (const channel of channels.values()) want(channel, Infinity);
  }

  function want(channel: Channel, seq: number): void {
    if (closed || seq <= lowestCursor(channel)) return;
    channel.wanted = Math.max(channel.wanted, seq);
    if (Number.isFinite(seq)) channel.head = Math.max(channel.head, seq);
    channel.reading ??= drain(channel);
  }

  async function drain(channel: Channel): Promise<void> {
    try {
      while (!closed && channel.wanted > lowestCursor(channel)) {
        // Doorbells that ring during this read raise wanted again, and so earn exactly one more read.
        channel.wanted = 0;
        await readOnce(channel);
      }
    } catch (error) {
      log.error({ err: error, restaurantId: channel.restaurantId }, "realtime: reading events failed; the safety net retries");
    } finally {
      channel.reading = null;
      forgetIfIdle(channel);
    }
  }

  async function readOnce(channel: Channel): Promise<void> {
    const from = lowestCursor(channel);
    const { restaurantId } = channel;
    const rows = await withTenant(database.db, restaurantId, (tx) => selectEventsAfter(tx, restaurantId, from, pageSize));
    if (closed) return;
    for (const row of rows) if (row.seq > channel.seen) observeEventDelay(row.createdAt);
    if (rows.length) channel.seen = Math.max(channel.seen, rows[rows.length - 1]!.seq);
    for (const subscriber of channel.subscribers) deliver(channel, subscriber, rows, from);
    // A full page means there is probably more; go on only if someone advanced, so a stuck cursor cannot spin.
    if (rows.length === pageSize && lowestCursor(channel) > from) channel.wanted = Infinity;
  }

  function deliver(channel: Channel, subscriber: Subscriber, rows: EventRow[], from: number): void {
    // Joined after this read began at a later seq: the read it asked for comes next.
    if (!subscriber.active || subscriber.cursor < from) return;
    const start = rows.findIndex((row) => row.seq > subscriber.cursor);
    if (start === -1) return;
    const end = runEnd(rows, start, subscriber.cursor + 1);
    if (end > start) handOver(subscriber, start === 0 && end === rows.length ? rows : rows.slice(start, end));
    // seq is gap-free, so a hole means events were deleted: they can never be delivered in order.
    if (end < rows.length) {
      log.warn({ restaurantId: channel.restaurantId, cursor: subscriber.cursor }, "realtime: the next event is gone; ending the subscription");
      endSubscriber(channel, subscriber);
    }
  }

  function handOver(subscriber: Subscriber, batch: EventRow[]): void {
    subscriber.cursor = batch[batch.length - 1]!.seq;
    try {
      subscriber.onEvents(batch);
    } catch (error) {
      log.error({ err: error }, "realtime: a subscriber threw; it keeps its place");
    }
  }

  function endSubscriber(channel: Channel, subscriber: Subscriber): void {
    if (!subscriber.active) return;
    subscriber.active = false;
    channel.subscribers.delete(subscriber);
    try {
      subscriber.onClose?.();
    } catch (error) {
      log.error({ err: error }, "realtime: a subscriber's onClose threw");
    }
  }

  function endAll(reason: string): void {
    if (channels.size === 0) return;
    log.warn({ restaurants: channels.size }, reason);
    for (const channel of [...channels.values()]) {
      for (const subscriber of [...channel.subscribers]) endSubscriber(channel, subscriber);
      forgetIfIdle(channel);
    }
  }

  // The safety net: one statement for every subscribed restaurant, reading only where something is missing.
  async function poll(): Promise<void> {
    if (closed || !database.health.isUp()) return;
    if (!unlisten && !listening) await startListening();
    if (channels.size === 0) return;
    try {
      const heads = await withSystem(database.db, (tx) => selectEventSeqs(tx, [...channels.keys()]));
      for (const { id, seq } of heads) {
        const channel = channels.get(id);
        if (channel && seq > lowestCursor(channel)) {
          log.debug({ restaurantId: id, seq }, "realtime: safety net found undelivered events");
          want(channel, seq);
        }
      }
    } catch (error) {
      log.warn({ err: error }, "realtime: safety-net poll failed");
    }
  }

  function forgetIfIdle(channel: Channel): void {
    if (channel.subscribers.size > 0 || channel.reading) return;
    if (channels.get(channel.restaurantId) === channel) channels.delete(channel.restaurantId);
  }

  function channelFor(restaurantId: string): Channel {
    let channel = channels.get(restaurantId);
    if (!channel) {
      channel = { restaurantId, subscribers: new Set(), wanted: 0, reading: null, head: 0, seen: 0 };
      channels.set(restaurantId, channel);
    }
    return channel;
  }

  function subscribe(restaurantId: string, afterSeq: number, onEvents: OnEvents, onClose?: () => void): () => void {
    const id = checkRestaurantId(restaurantId);
    checkSeq(afterSeq);
    const subscriber: Subscriber = { cursor: afterSeq, onEvents, onClose, active: true };
    if (closed) {
      subscriber.active = false;
      if (onClose) queueMicrotask(onClose);
      return () => {};
    }
    const channel = channelFor(id);
    // Someone at or behind afterSeq is already waiting: whatever reaches them reaches this one too.
    const needsRead = afterSeq < lowestCursor(channel);
    channel.subscribers.add(subscriber);
    // The first read waits for LISTEN: a commit after that read's snapshot then always rings our doorbell.
    if (needsRead) void ready.then(() => want(channel, Infinity));
    return () => {
      subscriber.active = false;
      channel.subscribers.delete(subscriber);
      forgetIfIdle(channel);
    };
  }

  async function readSince(restaurantId: string, afterSeq: number, limit: number): Promise<Replay> {
    const id = checkRestaurantId(restaurantId);
    checkSeq(afterSeq);
    checkSeq(limit);
    return withTenant(database.db, id, async (tx) => {
      if ((await selectEventSeq(tx, id)) - afterSeq > limit) return { events: [], tooFarBehind: true };
      const rows = await selectEventsAfter(tx, id, afterSeq, limit);
      if (rows.length > 0 && rows[0]!.seq !== afterSeq + 1) return { events: [], tooFarBehind: true };
      return { events: rows, tooFarBehind: false };
    });
  }

  async function currentSeq(restaurantId: string): Promise<number> {
    const id = checkRestaurantId(restaurantId);
    return withTenant(database.db, id, (tx) => selectEventSeq(tx, id));
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    stopWatching();
    const reads = [...channels.values()].map((channel) => channel.reading);
    for (const channel of [...channels.values()]) {
      for (const subscriber of [...channel.subscribers]) endSubscriber(channel, subscriber);
    }
    channels.clear();
    const stop = unlisten;
    unlisten = null;
    // Wait for reads in flight so the caller can close the database right after. Not for a LISTEN still
    // connecting: that can take as long as the database is down, and it unlistens itself when done.
    await Promise.allSettled([...reads, polling, stop?.()]);
  }

  function behind(): number {
    let sum = 0;
    for (const channel of channels.values()) {
      const lowest = lowestCursor(channel);
      if (Number.isFinite(lowest)) sum += Math.max(0, channel.head - lowest);
    }
    return sum;
  }

  return { ready, subscribe, readSince, currentSeq, close, behind };
}

/** Every subscribed restaurant has at least one subscriber; an empty channel waits for nothing. */
function lowestCursor(channel: Channel): number {
  let lowest = Infinity;
  for (const subscriber of channel.subscribers) lowest = Math.min(lowest, subscriber.cursor);
  return lowest;
}

/** The index after the run of rows, from start, whose seqs count up from expected without a hole. */
function runEnd(rows: EventRow[], start: number, expected: number): number {
  let end = start;
  while (end < rows.length && rows[end]!.seq === expected + (end - start)) end++;
  return end;
}

// Programmer errors: a bad id would make every read fail in the database, over and over.
function checkRestaurantId(restaurantId: string): string {
  if (!UUID.test(restaurantId)) throw new TypeError(`realtime: "${restaurantId}" is not a restaurant id`);
  return restaurantId.toLowerCase();
}

function checkSeq(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`realtime: ${value} is not a whole number`);
}
