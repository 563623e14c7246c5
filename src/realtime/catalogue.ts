/**
 * Every event the server appends, its name and the shape of its data, defined once. appendEvent takes
 * only these names with their shape, and subscribers read typed data through `isEvent`, so renaming an
 * event or changing its data is a type error at every emitter and listener rather than a screen that
 * silently stops updating. tests/realtime/catalogue.test.ts checks every listed event is emitted somewhere.
 */

/** Every order change: the order, its human number and the version it now has. */
type OrderChange = { orderId: string; number: number; version?: number };
type DrawerMovement = { drawerId: string; amountCents: number; reason: string | null };

export type EventCatalogue = {
  /** A POS ticket opened before it is sent (round 0). */
  "order.created": OrderChange & { round: number };
  /** Lines went to the kitchen: a first send (round 1), an addition or a held course fired. */
  "order.fired": OrderChange & { round?: number; course?: number };
  "order.updated": OrderChange;
  "order.line_removed": OrderChange & { lineId?: string };
  "order.status": OrderChange & { from?: string; to?: string };
  "kitchen.bumped": OrderChange & { stationId: string; lineIds: string[] };
  "kitchen.recalled": OrderChange & { stationId: string; lineIds: string[] };
  /** A cook at the station has seen the VOID on these lines: they leave that station's screen. */
  "kitchen.void_acknowledged": OrderChange & { stationId: string; lineIds: string[] };
  /** Checks and payments (src/payments/): each changes the order's version too, so every screen of it redraws. */
  "payment.taken": OrderChange & { paymentId: string; amountCents: number; tipCents: number; checkId: string | null };
  "payment.refunded": OrderChange & { paymentId: string; refundId: string; amountCents: number };
  "payment.voided": OrderChange & { paymentId: string };
  /** A card tender on Square moved (checkout pending/in progress/canceled, a card refund pending/failed): the pay screen redraws. */
  "payment.card_updated": OrderChange & { paymentId: string; status: string; refundId?: string };
  "order.split": OrderChange & { checks?: number; kind?: string; shared?: string };
  "order.comped": OrderChange & { lineId: string; comped: boolean };
  "order.left_unpaid": OrderChange & { unpaid: boolean };
  "order.reopened": OrderChange & { reopened: boolean };
  /** Cash drawers: a till's float, movements and count. */
  "drawer.opened": { drawerId: string; floatCents: number };
  "drawer.pay_in": DrawerMovement;
  "drawer.pay_out": DrawerMovement;
  "drawer.no_sale": DrawerMovement;
  "drawer.closed": { drawerId: string; countedCents: number; expectedCents: number; overShortCents: number };
  /** An item or option was 86'd or brought back. */
  "menu.availability": { kind: "item" | "option"; id: string; available: boolean };
  "menu.changed": {
    kind: "category" | "item" | "group" | "option" | "tax" | "pricing" | "import";
    action: "created" | "updated" | "deleted" | "moved" | "attached" | "detached" | "imported";
    id: string | null;
  };
  "station.created": { stationId: string };
  "station.updated": { stationId: string; active: boolean };
  /** These four end a live stream's right to listen (see the hub). */
  "device.revoked": { deviceId: string };
  "session.revoked": { sessionIds?: string[]; userId?: string };
  "staff.deactivated": { userId: string };
  "api_key.revoked": { apiKeyId: string };
  /** A guest's part of an order changed (src/guest/): a kiosk order placed, a table round sent, confirmed, declined or released after payment. */
  "guest.order": OrderChange & { guestOrderId: string; state: string };
  /** A manager saved the settings page: the fields and stations that changed (screens re-read the restaurant). */
  "restaurant.settings_updated": { fields: string[]; stations: string[] };
  /** A Square Terminal was paired (or unpaired) with this restaurant. */
  "square.paired": { deviceId: string | null };
};

export type EventType = keyof EventCatalogue;
export type EventData<K extends EventType> = EventCatalogue[K];

/** The names at run time, for the test that each is emitted and for checking a name from outside. */
export const EVENT_TYPES = [
  "order.created", "order.fired", "order.updated", "order.line_removed", "order.status", "kitchen.bumped", "kitchen.recalled", "kitchen.void_acknowledged",
  "payment.taken", "payment.refunded", "payment.voided", "payment.card_updated", "order.split", "order.comped", "order.left_unpaid", "order.reopened",
  "drawer.opened", "drawer.pay_in", "drawer.pay_out", "drawer.no_sale", "drawer.closed",
  "menu.availability", "menu.changed", "station.created", "station.updated", "device.revoked", "session.revoked", "staff.deactivated", "api_key.revoked", "restaurant.settings_updated", "square.paired",
  "guest.order",
] as const satisfies readonly EventType[];

// Fails to compile when a catalogue entry is missing from EVENT_TYPES.
const _allListed: Exclude<EventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void _allListed;

/** An event row as subscribers see it. */
export type StoredEvent = { seq: number; type: string; data: unknown };

/** Narrows a stored event to one type of the catalogue, so its data is typed. */
export function isEvent<K extends EventType>(e: StoredEvent, type: K): e is StoredEvent & { type: K; data: EventData<K> } {
  return e.type === type;
}

/** The order an event is about, for the events that carry one (order and kitchen events). */
export function orderIdOf(e: StoredEvent): string | null {
  const id = (e.data as { orderId?: unknown } | null)?.orderId;
  return typeof id === "string" ? id : null;
}
