import { badRequest } from "../http/errors";
import { LIMITS, type NewLine } from "../orders/validation";
import { optionalText, requiredText } from "../text";

/**
 * What a guest may send, and nothing more: item ids, option ids, quantities and notes, a name, how they
 * eat, how they pay. Prices, totals, tax, discounts and statuses come from the server only; a body that
 * carries one is refused by name rather than silently ignored, so a tampering client learns nothing works.
 */
const FORBIDDEN = ["price", "priceCents", "unitPriceCents", "total", "totalCents", "subtotalCents", "taxCents", "tax", "discount", "discountCents", "status", "paid", "lineTotalCents", "priceDeltaCents"];
const LINE_KEYS = new Set(["menuItemId", "quantity", "modifierOptionIds", "note"]);
const BODY_KEYS = new Set(["items", "name", "dining", "payment", "idempotencyKey", "pageToken", "sourceId", "verificationToken"]);
export const NAME_MAX = 40;
const KEY = /^[A-Za-z0-9_-]{8,64}$/;

export type GuestCheckout = { items: NewLine[]; name: string | null; dining: "eat_in" | "takeout"; payment: "counter" | "card"; idempotencyKey: string };

function refuseTampering(obj: Record<string, unknown>, at: string, allowed: Set<string>) {
  for (const key of Object.keys(obj)) {
    if (FORBIDDEN.includes(key)) throw badRequest(`${at}${key} is not accepted: prices, totals and status come from the restaurant, not from the order`, `${at}${key}`);
    if (!allowed.has(key)) throw badRequest(`${at}${key} is not part of a guest order`, `${at}${key}`);
  }
}

function parseLine(raw: unknown, at: string): NewLine {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw badRequest("Each item must be an object with menuItemId and quantity", at);
  const line = raw as Record<string, unknown>;
  refuseTampering(line, `${at}.`, LINE_KEYS);
  if (typeof line.quantity !== "number" || !Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > LIMITS.quantity) {
    throw badRequest(`Quantity must be a whole number from 1 to ${LIMITS.quantity}`, `${at}.quantity`);
  }
  const options = line.modifierOptionIds ?? [];
  if (!Array.isArray(options) || options.length > 50 || options.some((o) => typeof o !== "string")) throw badRequest("modifierOptionIds must be a list of option ids", `${at}.modifierOptionIds`);
  return {
    menuItemId: line.menuItemId as string, quantity: line.quantity, modifierOptionIds: options as string[],
    note: optionalText(line.note, `${at}.note`, { label: "A note", max: 200, multiline: true }),
  };
}

/** Checks the shape of a guest checkout before anything is read or written; the menu rules come after. */
export function parseCheckout(body: unknown, opts: { needsName: boolean }): GuestCheckout {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("The order must be a JSON object", "body");
  const b = body as Record<string, unknown>;
  refuseTampering(b, "", BODY_KEYS);
  if (typeof b.idempotencyKey !== "string" || !KEY.test(b.idempotencyKey)) throw badRequest("idempotencyKey must be 8 to 64 letters, digits, - or _ (one per checkout, reused on retry)", "idempotencyKey");
  if (!Array.isArray(b.items) || b.items.length === 0) throw badRequest("Your order is empty: add at least one item", "items");
  if (b.items.length > LIMITS.lines) throw badRequest(`At most ${LIMITS.lines} items per order`, "items");
  const items = b.items.map((l, i) => parseLine(l, `items[${i}]`));
  const nameRule = { label: "Your name", max: NAME_MAX };
  const name = opts.needsName
    ? requiredText(b.name, "name", { ...nameRule, empty: "Please tell us a name to call when your order is ready" })
    : optionalText(b.name, "name", nameRule);
  const dining = b.dining ?? "eat_in";
  if (dining !== "eat_in" && dining !== "takeout") throw badRequest("Choose eat in or take out", "dining");
  const payment = b.payment ?? "counter";
  if (payment !== "counter" && payment !== "card") throw badRequest("Choose pay at the counter or pay by card", "payment");
  return { items, name, dining, payment, idempotencyKey: b.idempotencyKey };
}
