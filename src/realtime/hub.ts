import type { EventBus, EventRow } from "./bus";
import type { Logger } from "../ops/logger";
import { isEvent, type EventType } from "./catalogue";

/**
 * Screens of one kind and scope (e.g. the grill KDS of one restaurant) share one render per batch of
 * events: the hub subscribes to the bus once per restaurant and hands each group the same fragment.
 * A render per subscriber would cost O(screens) database reads per order; this costs O(groups).
 */
export type Render = (restaurantId: string, scope: string, events: EventRow[]) => Promise<string | null>;

export type Sink = {
  /** Sends a fragment with the seq it brings the screen up to; false when the stream is gone. */
  send: (seq: number, html: string) => boolean;
  close: () => void;
} & Holder;

/** Whose grant keeps a stream open: the device, session, person or API key it was opened with. */
export type Holder = { deviceId: string | null; sessionId: string | null; userId: string | null; apiKeyId?: string | null };

type Group = { render: Render; scope: string; sinks: Set<Sink> };
type Restaurant = { unsubscribe: () => void; groups: Map<string, Group>; queue: Promise<void> };

/** Events that end a stream's right to listen: its device, session, person or API key was revoked. */
export const REVOKE_EVENTS = new Set<string>(["device.revoked", "session.revoked", "staff.deactivated", "api_key.revoked"] satisfies EventType[]);

/**
 * Does this event end the grant a stream was opened with? The one rule for every live stream (screens
 * through the hub, GET /api/v1/events directly); the events reach every process through the bus.
 */
export function revokes(e: EventRow, h: Holder): boolean {
  if (isEvent(e, "device.revoked")) return h.deviceId === e.data.deviceId;
  if (isEvent(e, "session.revoked")) return !!((h.sessionId && e.data.sessionIds?.includes(h.sessionId)) || (e.data.userId && h.userId === e.data.userId));
  if (isEvent(e, "staff.deactivated")) return h.userId === e.data.userId;
  if (isEvent(e, "api_key.revoked")) return h.apiKeyId === e.data.apiKeyId;
  return false;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub(bus: EventBus, log: Pick<Logger, "error" | "warn">) {
  const restaurants = new Map<string, Restaurant>();

  function closeRevoked(r: Restaurant, events: EventRow[]) {
    for (const e of events) {
      if (!REVOKE_EVENTS.has(e.type)) continue;
      for (const group of r.groups.values()) {
        for (const sink of group.sinks) {
          if (revokes(e, sink)) {
            group.sinks.delete(sink);
            sink.close();
          }
        }
      }
    }
  }

  async function deliver(restaurantId: string, r: Restaurant, events: EventRow[]) {
    closeRevoked(r, events);
    const seq = events[events.length - 1]!.seq;
    await Promise.all([...r.groups.values()].map(async (group) => {
      if (!group.sinks.size) return;
      try {
        const html = await group.render(restaurantId, group.scope, events);
        for (const sink of group.sinks) if (!sink.send(seq, html ?? "")) group.sinks.delete(sink);
      } catch (error) {
        // A screen that missed a fragment is told to rebuild itself rather than show a wrong state.
        log.error({ err: error, restaurantId, scope: group.scope }, "live render failed");
        for (const sink of group.sinks) sink.close();
        group.sinks.clear();
      }
    }));
  }

  function restaurantFor(restaurantId: string, afterSeq: number): Restaurant {
    let r = restaurants.get(restaurantId);
    if (r) return r;
    const created: Restaurant = { groups: new Map(), queue: Promise.resolve(), unsubscribe: () => {} };
    created.unsubscribe = bus.subscribe(restaurantId, afterSeq, (events) => {
      // Batches are rendered one after another so fragments leave in seq order.
      created.queue = created.queue.then(() => deliver(restaurantId, created, events));
    }, () => {
      for (const group of created.groups.values()) for (const sink of group.sinks) sink.close();
      restaurants.delete(restaurantId);
    });
    restaurants.set(restaurantId, created);
    return created;
  }

  return {
    /** Adds a screen; returns the function that removes it. */
    join(restaurantId: string, afterSeq: number, key: string, scope: string, render: Render, sink: Sink): () => void {
      const r = restaurantFor(restaurantId, afterSeq);
      let group = r.groups.get(key);
      if (!group) r.groups.set(key, (group = { render, scope, sinks: new Set() }));
      group.sinks.add(sink);
      return () => {
        group!.sinks.delete(sink);
        if (!group!.sinks.size) r.groups.delete(key);
        if (!r.groups.size && restaurants.get(restaurantId) === r) {
          r.unsubscribe();
          restaurants.delete(restaurantId);
        }
      };
    },
    /** How many screens are connected (metrics, tests). */
    size(): number {
      let n = 0;
      for (const r of restaurants.values()) for (const g of r.groups.values()) n += g.sinks.size;
      return n;
    },
  };
}
