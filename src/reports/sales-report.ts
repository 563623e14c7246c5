import { roundDiv } from "../money";
import type { Tx } from "../db/tenant";
import * as q from "./queries";
import { splitDiscounts, type DiscountSplit } from "./discounts";
import type { Chart, Figure, Section } from "./model";
import { money, type ReportTable } from "./tables";
import type { Scope } from "./scope";

/** The day's money, every figure derived from order and line rows. Net sales are before tax: total less tax. */
export type SalesFigures = q.SalesTotals & { net: number; averageCheck: number; voids: { lines: number; quantity: number; cents: number } };

export async function salesFigures(tx: Tx, s: Scope): Promise<SalesFigures> {
  const [totals, voids] = await Promise.all([q.salesTotals(tx, s), q.voidTotals(tx, s)]);
  const net = totals.total - totals.tax;
  return { ...totals, net, averageCheck: totals.orders ? roundDiv(net, totals.orders) : 0, voids };
}

export async function taxRates(tx: Tx, s: Scope, split: DiscountSplit): Promise<{ rate: number; inclusive: boolean; net: number; tax: number }[]> {
  const merged = new Map<string, { rate: number; inclusive: boolean; net: number; tax: number }>();
  for (const r of [...(await q.taxByRateUndiscounted(tx, s)), ...split.taxByRate.values()]) {
    const key = `${r.rate}:${r.inclusive}`;
    const sum = merged.get(key) ?? { rate: r.rate, inclusive: r.inclusive, net: 0, tax: 0 };
    sum.net += r.net;
    sum.tax += r.tax;
    merged.set(key, sum);
  }
  return [...merged.values()].sort((a, b) => a.rate - b.rate || Number(a.inclusive) - Number(b.inclusive));
}

export function summaryFigures(now: SalesFigures, before: SalesFigures): Figure[] {
  const f = (label: string, pick: (x: SalesFigures) => number, isMoney = true): Figure => ({
    label, value: isMoney ? money(pick(now)) : pick(now), before: isMoney ? money(pick(before)) : pick(before),
  });
  return [
    f("Gross sales", (x) => x.gross), f("Discounts", (x) => x.discounts), f("Net sales", (x) => x.net), f("Tax", (x) => x.tax),
    f("Total taken", (x) => x.total), f("Orders", (x) => x.orders, false), f("Guests", (x) => x.guests, false),
    f("Average check", (x) => x.averageCheck), f("Voided after sending", (x) => x.voids.cents),
    f("Voided lines", (x) => x.voids.lines, false), f("Cancelled orders", (x) => x.cancelledOrders, false),
    f("Open tickets (never sent)", (x) => x.openOrders, false),
  ];
}

export function summaryTable(figures: Figure[]): ReportTable {
  return {
    key: "summary", title: "Summary", columns: ["Figure", "This period", "Same weekdays before"],
    rows: figures.map((f) => [f.label, f.value, f.before]),
  };
}

export function taxTable(rates: Awaited<ReturnType<typeof taxRates>>): ReportTable {
  return {
    key: "tax", title: "Tax by rate", columns: ["Rate", "Prices", "Taxable sales", "Tax"], empty: "No taxable sales.",
    rows: rates.map((r) => [`${(r.rate / 100).toFixed(2)}%`, r.inclusive ? "include tax" : "plus tax", money(r.net), money(r.tax)]),
  };
}

/** The 24 local hours starting at the business day's first hour, so the chart reads as the day ran. */
export function dayHours(dayStartsAtHour: number): number[] {
  return Array.from({ length: 24 }, (_, i) => (dayStartsAtHour + i) % 24);
}

const TYPE_LABELS: Record<string, string> = { dine_in: "Dine in", takeout: "Takeout", delivery: "Delivery", kiosk: "Kiosk" };
const CHANNEL_LABELS: Record<string, string> = { pos: "POS", api: "API", kiosk: "Kiosk", qr: "QR", voice: "Voice" };

export async function salesSection(tx: Tx, s: Scope, before: Scope): Promise<{ section: Section; figures: SalesFigures; rates: Awaited<ReturnType<typeof taxRates>> }> {
  const [now, then, hours, mix, discounted] = await Promise.all([
    salesFigures(tx, s), salesFigures(tx, before), q.salesByHour(tx, s), q.salesByTypeAndChannel(tx, s), q.discountedLines(tx, s),
  ]);
  const rates = await taxRates(tx, s, splitDiscounts(discounted));
  const byHour = new Map(hours.map((h) => [h.hour, h]));
  const hourRows = dayHours(s.dayStartsAtHour).map((h) => ({ hour: h, orders: byHour.get(h)?.orders ?? 0, net: byHour.get(h)?.net ?? 0 }));
  const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
  const chart: Chart = {
    key: "hours", title: "Net sales by hour", description: "Net sales (before tax) of the orders placed in each local hour of the business day.",
    xLabel: "Hour the order was placed", yLabel: "Net sales", unit: "money", bars: hourRows.map((h) => ({ label: String(h.hour).padStart(2, "0"), value: h.net })),
  };
  const by = (key: "type" | "channel", labels: Record<string, string>): ReportTable => {
    const sums = new Map<string, { orders: number; net: number; guests: number }>();
    for (const r of mix) {
      const sum = sums.get(r[key]) ?? { orders: 0, net: 0, guests: 0 };
      sum.orders += r.orders; sum.net += r.net; sum.guests += r.guests;
      sums.set(r[key], sum);
    }
    return {
      key: key === "type" ? "order-types" : "channels", title: key === "type" ? "By order type" : "By channel",
      columns: [key === "type" ? "Order type" : "Channel", "Orders", "Guests", "Net sales", "Average check"], empty: "No orders.",
      rows: [...sums].sort((a, b) => b[1].net - a[1].net).map(([k, v]) => [labels[k] ?? k, v.orders, v.guests, money(v.net), money(v.orders ? roundDiv(v.net, v.orders) : 0)]),
    };
  };
  const figures = summaryFigures(now, then);
  return {
    figures: now, rates,
    section: {
      key: "sales", title: "Sales", figures, charts: [chart],
      tables: [
        summaryTable(figures), taxTable(rates),
        { key: "hours", title: "By hour", columns: ["Hour", "Orders", "Net sales"], rows: hourRows.filter((h) => h.orders > 0).map((h) => [hh(h.hour), h.orders, money(h.net)]), empty: "No orders." },
        by("type", TYPE_LABELS), by("channel", CHANNEL_LABELS),
      ],
    },
  };
}
