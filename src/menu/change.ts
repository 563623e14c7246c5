import type { Tx } from "../db/tenant";
import { appendEvent } from "../realtime/events";
import type { EventData } from "../realtime/catalogue";
import { recordAudit } from "../audit/service";
import type { MenuActor } from "./service";

/** Every admin edit of the menu appends this event, so POS screens and caches in every process refresh. */
export const MENU_CHANGED_EVENT = "menu.changed" as const;

export type MenuChange = EventData<"menu.changed">;

/** The event and the audit entry of one menu edit, in the caller's transaction. */
export async function recordMenuChange(tx: Tx, restaurantId: string, actor: MenuActor, change: MenuChange, detail: Record<string, unknown> = {}): Promise<void> {
  await appendEvent(tx, restaurantId, MENU_CHANGED_EVENT, change);
  await recordAudit(tx, {
    restaurantId, action: `menu.${change.kind}.${change.action}`, actorUserId: actor.userId, deviceId: actor.deviceId, data: { id: change.id, ...detail },
  });
}

export type Direction = "up" | "down";

/** The ids reordered with `id` moved one place up or down, or null when it cannot move. */
export function moveOne(ids: string[], id: string, direction: Direction): string[] | null {
  const from = ids.indexOf(id);
  const to = direction === "up" ? from - 1 : from + 1;
  if (from === -1 || to < 0 || to >= ids.length) return null;
  const next = [...ids];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

