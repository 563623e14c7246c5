import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { appendEvent } from "../realtime/events";
import type { EventData } from "../realtime/catalogue";
import { recordAudit } from "../audit/service";
import { notFound } from "../http/errors";
import * as q from "./queries";

export type { OrderableGroup, OrderableItem, OrderableOption, PosMenu } from "./queries";
export { loadOrderableItems, loadPosMenu } from "./queries";

/** Who made a change: a signed-in person, a station device, or both (a PIN session at a station). */
export type MenuActor = { userId: string | null; deviceId: string | null };

/** Event type every POS and menu screen listens to for 86 / un-86. */
export const AVAILABILITY_EVENT = "menu.availability" as const;
export type AvailabilityEvent = EventData<"menu.availability">;

/** 86 (available=false) or bring back an item; appends "menu.availability" {kind:"item", id, available}. */
export async function setItemAvailability(db: Db, restaurantId: string, itemId: string, available: boolean, actor: MenuActor): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const item = await q.updateItemAvailability(tx, restaurantId, itemId, available);
    if (!item) throw notFound("That menu item does not exist.");
    const event: AvailabilityEvent = { kind: "item", id: item.id, available };
    await appendEvent(tx, restaurantId, AVAILABILITY_EVENT, event);
    await recordAudit(tx, { restaurantId, action: available ? "menu.item.available" : "menu.item.86", actorUserId: actor.userId, deviceId: actor.deviceId, data: { itemId: item.id, name: item.name } });
  });
}

/** 86 or bring back a modifier option; appends "menu.availability" {kind:"option", id, available}. */
export async function setOptionAvailability(db: Db, restaurantId: string, optionId: string, available: boolean, actor: MenuActor): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const option = await q.updateOptionAvailability(tx, restaurantId, optionId, available);
    if (!option) throw notFound("That modifier option does not exist.");
    const event: AvailabilityEvent = { kind: "option", id: option.id, available };
    await appendEvent(tx, restaurantId, AVAILABILITY_EVENT, event);
    await recordAudit(tx, { restaurantId, action: available ? "menu.option.available" : "menu.option.86", actorUserId: actor.userId, deviceId: actor.deviceId, data: { optionId: option.id, name: option.name } });
  });
}
