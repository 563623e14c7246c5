import type { Tx } from "../db/tenant";
import * as q from "./queries";
import { splitDiscounts } from "./discounts";
import { clock } from "./clock";
import type { Section } from "./model";
import { money, oneDecimal, type ReportTable } from "./tables";
import type { Scope } from "./scope";

export type ItemSales = { name: string; category: string; quantity: number; gross: number; discount: number; net: number; voidedQuantity: number };

/** Item and category sales after each line's share of its order's discount (net of discounts, as priced). */
export async function itemSales(tx: Tx, s: Scope): Promise<ItemSales[]> {
  const [items, discounted] = await Promise.all([q.itemMix(tx, s), q.discountedLines(tx, s)]);
  const { byItem } = splitDiscounts(discounted);
  return items.map((i) => {
    const discount = byItem.get(i.itemKey) ?? 0;
    return { name: i.name, category: i.category, quantity: i.quantity, gross: i.gross, discount, net: i.gross - discount, voidedQuantity: i.voidedQuantity };
  }).sort((a, b) => b.quantity - a.quantity || b.net - a.net || a.name.localeCompare(b.name));
}

export type Outage = { kind: string; name: string; out: number; back: number | null; minutes: number; who: string | null };

/**
 * Pairs each 86 with the next back-on of the same item, clipped to the period: an item out when the
 * period started counts from its start, one still out counts to its end (or to now, for today).
 */
export function outages(changes: q.AvailabilityRow[], window: { start: number; end: number }, now: number): Outage[] {
  const open = new Map<string, q.AvailabilityRow>();
  const result: Outage[] = [];
  const close = (o: q.AvailabilityRow, back: number | null) => {
    // Out and back before the period began: not this period's outage.
    if ((back !== null && back <= window.start) || o.at >= window.end) return;
    const from = Math.max(o.at, window.start);
    const to = back === null ? Math.min(window.end, now) : Math.min(back, window.end);
    result.push({ kind: o.kind, name: o.name, out: from, back: back !== null && back < window.end ? back : null, minutes: Math.max(0, to - from) / 60_000, who: o.who });
  };
  for (const c of changes) {
    const key = `${c.kind}:${c.id}`;
    if (!c.available) { if (!open.has(key)) open.set(key, c); continue; }
    const o = open.get(key);
    if (o) { close(o, c.at); open.delete(key); }
  }
  for (const o of open.values()) close(o, null);
  return result.sort((a, b) => a.out - b.out);
}

export async function itemsSection(tx: Tx, s: Scope, now = Date.now()): Promise<Section> {
  const multiDay = s.period.from !== s.period.to;
  const [items, modifiers, changes, window] = await Promise.all([itemSales(tx, s), q.modifierCounts(tx, s), q.availabilityChanges(tx, s), q.windowBounds(tx, s)]);
  const categories = new Map<string, { quantity: number; gross: number; net: number }>();
  for (const i of items) {
    const c = categories.get(i.category) ?? { quantity: 0, gross: 0, net: 0 };
    c.quantity += i.quantity; c.gross += i.gross; c.net += i.net;
    categories.set(i.category, c);
  }
  const sold = items.filter((i) => i.quantity > 0);
  const top = sold.slice(0, 5);
  const bottom = sold.slice(-5).reverse().filter((i) => !top.includes(i));
  const itemRow = (i: ItemSales) => [i.name, i.category, i.quantity, money(i.gross), money(i.discount), money(i.net), i.voidedQuantity];
  const itemColumns = ["Item", "Category", "Sold", "Gross", "Discounts", "Net", "Voided"];
  const out = outages(changes, window, now);
  const tables: ReportTable[] = [
    { key: "items", title: "Items", columns: itemColumns, rows: items.map(itemRow), empty: "Nothing sold." },
    { key: "categories", title: "Categories", columns: ["Category", "Sold", "Gross", "Net"], empty: "Nothing sold.",
      rows: [...categories].sort((a, b) => b[1].net - a[1].net).map(([name, c]) => [name, c.quantity, money(c.gross), money(c.net)]) },
    { key: "top", title: "Top sellers", columns: itemColumns, rows: top.map(itemRow), empty: "Nothing sold." },
    { key: "bottom", title: "Bottom sellers", columns: itemColumns, rows: bottom.map(itemRow), empty: "Fewer than six items sold: see the top sellers." },
    { key: "modifiers", title: "Modifiers chosen", columns: ["Group", "Option", "Times", "Charged"], empty: "No modifiers chosen.",
      rows: modifiers.map((m) => [m.group, m.name, m.count, money(m.cents)]) },
    { key: "86", title: "86'd (sold out)", columns: ["Item", "What", "Out at", "Back at", "Minutes out", "86'd by"], empty: "Nothing was 86'd.",
      rows: out.map((o) => [o.name, o.kind === "option" ? "option" : "item", clock(o.out, s.timeZone, multiDay), o.back === null ? "still out" : clock(o.back, s.timeZone, multiDay), oneDecimal(o.minutes), o.who ?? ""]) },
  ];
  return {
    key: "items", title: "Item mix", tables,
    charts: [{ key: "top", title: "Top sellers by quantity", description: "The five items sold most often in the period.", xLabel: "Item", yLabel: "Quantity sold", unit: "count",
      bars: top.map((i) => ({ label: i.name, value: i.quantity })) }],
  };
}
