import { allocate, roundDiv } from "../money";

/**
 * The one place money is computed. Integer cents throughout; every rounding is half-up and happens
 * once per tax rate on the order (never per line), so totals do not drift by a cent per line.
 */
export type PricedLineInput = {
  unitPriceCents: number;
  modifierDeltasCents: number[];
  quantity: number;
  taxRateBps: number;
  voided?: boolean;
};

export type Discount = { kind: "amount"; cents: number } | { kind: "percent"; bps: number };

export type OrderTotals = {
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  lineTotalsCents: number[];
};

export function lineTotalCents(line: PricedLineInput): number {
  const unit = line.unitPriceCents + line.modifierDeltasCents.reduce((s, d) => s + d, 0);
  return Math.max(0, unit) * line.quantity;
}

export function discountCents(subtotal: number, discount: Discount | null): number {
  if (!discount) return 0;
  const raw = discount.kind === "amount" ? discount.cents : roundDiv(subtotal * discount.bps, 10_000);
  return Math.min(Math.max(0, raw), subtotal);
}

export type TaxLine = { rateBps: number; netCents: number; taxCents: number };

/** Tax per rate on the order (receipts print it by rate); priceOrder's tax is their sum. */
export function taxByRate(lines: PricedLineInput[], options: { taxInclusive: boolean; discount: Discount | null }): TaxLine[] {
  const lineTotals = lines.map((l) => (l.voided ? 0 : lineTotalCents(l)));
  const discount = discountCents(lineTotals.reduce((s, t) => s + t, 0), options.discount);
  const shares = allocate(discount, lineTotals);
  const netByRate = new Map<number, number>();
  lines.forEach((l, i) => {
    const net = lineTotals[i]! - shares[i]!;
    if (net > 0) netByRate.set(l.taxRateBps, (netByRate.get(l.taxRateBps) ?? 0) + net);
  });
  return [...netByRate].map(([rate, net]) => ({
    rateBps: rate, netCents: net,
    // Inclusive prices already hold the tax: it is the part rate/(1+rate) of what is paid.
    taxCents: options.taxInclusive ? roundDiv(net * rate, 10_000 + rate) : roundDiv(net * rate, 10_000),
  }));
}

export function priceOrder(lines: PricedLineInput[], options: { taxInclusive: boolean; discount: Discount | null }): OrderTotals {
  const lineTotals = lines.map((l) => (l.voided ? 0 : lineTotalCents(l)));
  const subtotal = lineTotals.reduce((s, t) => s + t, 0);
  const discount = discountCents(subtotal, options.discount);
  const tax = taxByRate(lines, options).reduce((s, r) => s + r.taxCents, 0);
  const total = options.taxInclusive ? subtotal - discount : subtotal - discount + tax;
  return { subtotalCents: subtotal, discountCents: discount, taxCents: tax, totalCents: total, lineTotalsCents: lineTotals };
}

