import type { Db } from "../db/client";
import type { EventBus, EventRow } from "../realtime/bus";
import { affectsMenu, readMenuJson } from "./api-menu";

/** A menu rendered once as JSON text, with the event seq it was read at; etag names this body. */
export type CachedMenu = { seq: number; etag: string; body: string };

export type MenuCache = {
  get: (restaurantId: string) => Promise<CachedMenu>;
  /** For tests and shutdown: drop everything and stop listening. */
  close: () => void;
};

/** Restaurants kept in memory at most; the least recently built is dropped first. */
const MAX_RESTAURANTS = 500;

/**
 * Per-restaurant menu JSON, shared by every request of this process. A bus subscription per cached
 * restaurant drops the entry when a menu event arrives, whichever process made the change, so a
 * hit costs no query at all.
 */
export function createMenuCache(db: Db, bus: EventBus): MenuCache {
  const entries = new Map<string, CachedMenu>();
  /** Highest seq of a menu event seen per restaurant: an entry older than it is stale. */
  const staleBefore = new Map<string, number>();
  const subscriptions = new Map<string, () => void>();

  function remember(restaurantId: string, entry: CachedMenu) {
    if (entry.seq < (staleBefore.get(restaurantId) ?? 0)) return; // an edit landed while we were reading
    entries.delete(restaurantId);
    entries.set(restaurantId, entry);
    while (entries.size > MAX_RESTAURANTS) forget(entries.keys().next().value!);
  }

  function forget(restaurantId: string) {
    entries.delete(restaurantId);
    staleBefore.delete(restaurantId);
    subscriptions.get(restaurantId)?.();
    subscriptions.delete(restaurantId);
  }

  function listen(restaurantId: string, fromSeq: number) {
    if (subscriptions.has(restaurantId)) return;
    const onEvents = (events: EventRow[]) => {
      const last = events.filter((e) => affectsMenu(e.type)).at(-1);
      if (!last) return;
      staleBefore.set(restaurantId, Math.max(staleBefore.get(restaurantId) ?? 0, last.seq));
      entries.delete(restaurantId);
    };
    // If the bus ends the subscription (shutdown, or it fell too far behind) the entry can no longer be trusted.
    const onClose = () => {
      subscriptions.delete(restaurantId);
      entries.delete(restaurantId);
    };
    subscriptions.set(restaurantId, bus.subscribe(restaurantId, fromSeq, onEvents, onClose));
  }

  async function build(restaurantId: string): Promise<CachedMenu> {
    const menu = await readMenuJson(db, restaurantId);
    const entry = { seq: menu.seq, etag: `"menu-${menu.seq}"`, body: JSON.stringify(menu) };
    listen(restaurantId, menu.seq);
    remember(restaurantId, entry);
    return entry;
  }

  async function get(restaurantId: string): Promise<CachedMenu> {
    const entry = entries.get(restaurantId);
    // Without a live subscription (the bus ended it) nothing would tell us of a change: rebuild.
    return entry && subscriptions.has(restaurantId) ? entry : build(restaurantId);
  }

  function close() {
    for (const id of [...subscriptions.keys()]) forget(id);
    entries.clear();
  }

  return { get, close };
}
