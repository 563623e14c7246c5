import { allocate, roundDiv } from "../money";
import type { DiscountedLine } from "./queries";

/**
 * An order's discount is spread over its lines in proportion to their value, largest remainder first
 * (money.allocate, exactly as pricing spreads it), and tax is then rounded once per rate per order. For the
 * few discounted orders this runs here, line by line; undiscounted orders are summed in SQL.
 */
export type DiscountSplit = { byItem: Map<string, number>; taxByRate: Map<string, { rate: number; inclusive: boolean; net: number; tax: number }> };

export function splitDiscounts(lines: DiscountedLine[]): DiscountSplit {
  const byItem = new Map<string, number>();
  const taxByRate: DiscountSplit["taxByRate"] = new Map();
  const orders = new Map<string, DiscountedLine[]>();
  for (const l of lines) {
    const group = orders.get(l.orderId);
    if (group) group.push(l);
    else orders.set(l.orderId, [l]);
  }
  for (const lines of orders.values()) {
    const weights = lines.map((l) => (l.voided ? 0 : l.lineTotal));
    const shares = allocate(lines[0]!.discount, weights);
    const netByRate = new Map<number, number>();
    lines.forEach((l, i) => {
      if (l.voided) return;
      byItem.set(l.itemKey, (byItem.get(l.itemKey) ?? 0) + shares[i]!);
      const net = weights[i]! - shares[i]!;
      if (net > 0) netByRate.set(l.rate, (netByRate.get(l.rate) ?? 0) + net);
    });
    const inclusive = lines[0]!.inclusive;
    for (const [rate, net] of netByRate) {
      const tax = inclusive ? roundDiv(net * rate, 10_000 + rate) : roundDiv(net * rate, 10_000);
      const key = `${rate}:${inclusive}`;
      const sum = taxByRate.get(key) ?? { rate, inclusive, net: 0, tax: 0 };
      sum.net += net;
      sum.tax += tax;
      taxByRate.set(key, sum);
    }
  }
  return { byItem, taxByRate };
}
