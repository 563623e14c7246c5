import type { OrderView } from "../orders/service";

/** An order as the JSON API shows it: amounts in minor units (`Cents`), lines with their kitchen progress. */
export function orderJson(o: OrderView) {
  return {
    id: o.id, number: o.number, businessDate: o.businessDate, status: o.status, version: o.version, type: o.type,
    table: o.tableLabel, guests: o.guests, note: o.note,
    subtotalCents: o.subtotalCents, discountCents: o.discountCents, taxCents: o.taxCents, totalCents: o.totalCents,
    createdAt: o.createdAt, updatedAt: o.updatedAt,
    items: o.lines.map((l) => ({
      id: l.id, menuItemId: l.menuItemId, name: l.name, quantity: l.quantity, unitPriceCents: l.unitPriceCents,
      modifiers: l.modifiers, note: l.note, seat: l.seat, course: l.course, lineTotalCents: l.voidedAt ? 0 : l.lineTotalCents,
      fired: !!l.firedAt, voided: !!l.voidedAt, voidReason: l.voidReason, stations: l.stations,
    })),
  };
}
