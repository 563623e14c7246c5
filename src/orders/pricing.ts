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

/** a / b rounded half-up, for non-negative a and positive b. */
export function roundDiv(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

export function lineTotalCents(line: PricedLineInput): number {
  const unit = line.unitPriceCents + line.modifierDeltasCents.reduce((s, d) => s + d, 0);
  return Math.max(0, unit) * line.quantity;
}

export function discountCents(subtotal: number, discount: Discount | null): number {
  if (!discount) return 0;
  const raw = discount.kind === "amount" ? discount.cents : roundDiv(subtotal * discount.bps, 10_000);
  return Math.min(Math.max(0, raw), subtotal);
}

/**
 * Spreads the discount over lines in proportion to their totals (largest remainder), so each tax rate
 * is charged on what the guest actually pays.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0 || amount === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (amount * w) / total);
  const floors = exact.map(Math.floor);
  let left = amount - floors.reduce((s, f) => s + f, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}

export function priceOrder(lines: PricedLineInput[], options: { taxInclusive: boolean; discount: Discount | null }): OrderTotals {
  const lineTotals = lines.map((l) => (l.voided ? 0 : lineTotalCents(l)));
  const subtotal = lineTotals.reduce((s, t) => s + t, 0);
  const discount = discountCents(subtotal, options.discount);
  const shares = allocate(discount, lineTotals);
  const netByRate = new Map<number, number>();
  lines.forEach((l, i) => {
    const net = lineTotals[i]! - shares[i]!;
    if (net > 0) netByRate.set(l.taxRateBps, (netByRate.get(l.taxRateBps) ?? 0) + net);
  });
  let tax = 0;
  for (const [rate, net] of netByRate) {
    // Inclusive prices already hold the tax: it is the part rate/(1+rate) of what is paid.
    tax += options.taxInclusive ? roundDiv(net * rate, 10_000 + rate) : roundDiv(net * rate, 10_000);
  }
  const total = options.taxInclusive ? subtotal - discount : subtotal - discount + tax;
  return { subtotalCents: subtotal, discountCents: discount, taxCents: tax, totalCents: total, lineTotalsCents: lineTotals };
}

/** "12.95" -> 1295; null when the text is not a non-negative amount with at most two decimals. */
export function parseMoney(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
}

export function formatMoney(cents: number, currency = "USD", locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}
