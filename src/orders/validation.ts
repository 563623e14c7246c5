import { orderTypeEnum } from "../db/schema/orders";
import { badRequest, conflict, unprocessable } from "../http/errors";
import type { OrderableItem } from "../menu/service";
import { optionalText } from "../text";
import type { ModifierSnapshot } from "../db/schema";
import { UUID } from "../ids";

export type NewLine = {
  menuItemId: string;
  quantity: number;
  modifierOptionIds?: string[];
  note?: string | null;
  seat?: number | null;
  course?: number | null;
};

export type OrderHeader = { type: "dine_in" | "takeout" | "delivery" | "kiosk"; table?: string | null; guests?: number | null; note?: string | null };

export const LIMITS = { lines: 100, quantity: 99, note: 500, reason: 200, table: 20, guests: 99, seat: 99, course: 9 };

/** A line checked against the menu and frozen: names and prices as they are now, for ever. */
export type SnapshotLine = {
  menuItemId: string; name: string; kitchenName: string | null; unitPriceCents: number; taxRateBps: number; quantity: number;
  modifiers: ModifierSnapshot[]; note: string | null; seat: number | null; course: number; stationIds: string[];
};

const isInt = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

export function validateHeader(h: OrderHeader): OrderHeader {
  if (!(orderTypeEnum.enumValues as readonly string[]).includes(h.type)) throw badRequest(`Order type must be ${orderTypeEnum.enumValues.slice(0, -1).join(", ")} or ${orderTypeEnum.enumValues.at(-1)}`, "type");
  const table = optionalText(h.table?.toString(), "table", { label: "Table", max: LIMITS.table });
  if (h.type === "dine_in" && !table) throw badRequest("A dine-in order needs a table", "table");
  if (h.guests != null && !isInt(h.guests, 1, LIMITS.guests)) throw badRequest(`Guests must be a whole number from 1 to ${LIMITS.guests}`, "guests");
  const note = optionalText(h.note, "note", { label: "The order note", max: LIMITS.note, multiline: true });
  return { type: h.type, table, guests: h.guests ?? null, note };
}

/** Checks every line against the live menu (exists, on sale, modifier rules) and snapshots it. */
export function snapshotLines(lines: NewLine[], menu: Map<string, OrderableItem>): SnapshotLine[] {
  if (!Array.isArray(lines) || lines.length === 0) throw badRequest("Add at least one item", "items");
  if (lines.length > LIMITS.lines) throw badRequest(`At most ${LIMITS.lines} lines per request`, "items");
  return lines.map((line, i) => snapshotLine(line, menu, `items[${i}]`));
}

function snapshotLine(line: NewLine, menu: Map<string, OrderableItem>, at: string): SnapshotLine {
  if (typeof line.menuItemId !== "string" || !UUID.test(line.menuItemId)) throw badRequest("menuItemId must be a menu item id", `${at}.menuItemId`);
  const item = menu.get(line.menuItemId);
  if (!item || !item.active) throw unprocessable("There is no such item on this restaurant's menu", `${at}.menuItemId`);
  if (!item.available) throw conflict(`${item.name} is 86'd (sold out)`, `${at}.menuItemId`);
  if (!isInt(line.quantity, 1, LIMITS.quantity)) throw badRequest(`Quantity must be a whole number from 1 to ${LIMITS.quantity}`, `${at}.quantity`);
  const note = optionalText(line.note?.toString(), `${at}.note`, { label: "A note", max: LIMITS.note, multiline: true });
  if (line.seat != null && !isInt(line.seat, 1, LIMITS.seat)) throw badRequest(`Seat must be a whole number from 1 to ${LIMITS.seat}`, `${at}.seat`);
  if (line.course != null && !isInt(line.course, 1, LIMITS.course)) throw badRequest(`Course must be a whole number from 1 to ${LIMITS.course}`, `${at}.course`);
  const modifiers = checkModifiers(item, line.modifierOptionIds ?? [], `${at}.modifierOptionIds`);
  const optionStations = modifiers.map((m) => m.stationId).filter((s): s is string => !!s);
  return {
    menuItemId: item.id, name: item.name, kitchenName: item.kitchenName, unitPriceCents: item.priceCents, taxRateBps: item.taxRateBps,
    quantity: line.quantity, modifiers: modifiers.map(({ stationId: _, ...m }) => m), note, seat: line.seat ?? null, course: line.course ?? 1,
    stationIds: [...new Set([...item.stationIds, ...optionStations])],
  };
}

function checkModifiers(item: OrderableItem, optionIds: string[], field: string): (ModifierSnapshot & { stationId: string | null })[] {
  if (!Array.isArray(optionIds) || optionIds.some((id) => typeof id !== "string")) throw badRequest("modifierOptionIds must be a list of option ids", field);
  if (new Set(optionIds).size !== optionIds.length) throw badRequest("The same option is chosen twice", field);
  const chosen: (ModifierSnapshot & { stationId: string | null })[] = [];
  const seen = new Set<string>();
  for (const group of item.groups) {
    const picked = group.options.filter((o) => optionIds.includes(o.id));
    picked.forEach((o) => seen.add(o.id));
    const min = Math.max(group.minSelect, group.required ? 1 : 0);
    if (picked.length < min) throw unprocessable(`${item.name}: choose ${min === group.maxSelect ? min : `at least ${min}`} for ${group.name}`, field);
    if (picked.length > group.maxSelect) throw unprocessable(`${item.name}: choose at most ${group.maxSelect} for ${group.name}`, field);
    for (const o of picked) {
      if (!o.available) throw conflict(`${o.name} is 86'd (sold out)`, field);
      chosen.push({ optionId: o.id, groupName: group.name, name: o.name, priceDeltaCents: o.priceDeltaCents, stationId: o.stationId });
    }
  }
  const foreign = optionIds.find((id) => !seen.has(id));
  if (foreign) throw unprocessable(`An option chosen does not belong to ${item.name}`, field);
  return chosen;
}

/**
 * Stored lines whose item, or a chosen option, is no longer on sale (86'd, or taken off the menu) since
 * the line was taken: they must not reach the kitchen. One entry per such line, its message naming it.
 */
export function notOnSale(lines: { id: string; name: string; menuItemId: string | null; modifiers: ModifierSnapshot[] }[], menu: Map<string, OrderableItem>) {
  return lines.flatMap((l) => {
    const item = l.menuItemId ? menu.get(l.menuItemId) : undefined;
    if (!item || !item.active) return [{ lineId: l.id, message: `${l.name} is no longer on the menu` }];
    if (!item.available) return [{ lineId: l.id, message: `${l.name} is 86'd (sold out)` }];
    const options = item.groups.flatMap((g) => g.options);
    const gone = l.modifiers.filter((m) => options.find((o) => o.id === m.optionId)?.available === false).map((m) => m.name);
    return gone.length ? [{ lineId: l.id, message: `${l.name}: ${gone.join(", ")} ${gone.length > 1 ? "are" : "is"} 86'd (sold out)` }] : [];
  });
}
