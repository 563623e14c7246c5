import type { Tx } from "../db/tenant";
import * as k from "./kitchen-queries";
import { clock } from "./clock";
import { dayHours } from "./sales-report";
import type { Section } from "./model";
import { money, oneDecimal, type ReportTable } from "./tables";
import type { Scope } from "./scope";

const minutes = (secs: number | null) => oneDecimal(secs === null ? null : secs / 60);

/** Postgres's percentile_cont: linear between the two nearest of the sorted values. */
export function percentile(sorted: number[], f: number): number | null {
  if (!sorted.length) return null;
  const pos = f * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

type Ticket = { stationId: string; station: string | null; number: number; hour: number; fired: number; secs: number | null };

/** Lines of one (station, order, firing) make a ticket: fired with its first line, done when every line is bumped. */
export function ticketsOf(lines: k.KitchenLine[]): Ticket[] {
  return [...groupBy(lines, (l) => `${l.stationId}|${l.orderId}|${l.round}`).values()].map((g) => {
    const first = g.reduce((a, b) => (b.fired < a.fired ? b : a));
    const done = g.every((l) => l.ready && l.bumped !== null);
    const bumped = Math.max(...g.map((l) => l.bumped ?? 0));
    return { stationId: first.stationId, station: first.station, number: first.number, hour: first.hour, fired: first.fired, secs: done ? (bumped - first.fired) / 1000 : null };
  });
}

/** Items by their 90th percentile time at a station (bumped lines only), slowest first. */
export function slowestItems(lines: k.KitchenLine[], limit = 10) {
  return [...groupBy(lines.filter((l) => l.ready && l.bumped !== null), (l) => l.name)].map(([name, g]) => {
    const secs = g.map((l) => (l.bumped! - l.fired) / 1000).sort((a, b) => a - b);
    return { name, lines: g.length, p50: percentile(secs, 0.5)!, p90: percentile(secs, 0.9)!, max: secs.at(-1)! };
  }).sort((a, b) => b.p90 - a.p90 || a.name.localeCompare(b.name)).slice(0, limit);
}

type Stat = { stationId: string | null; station: string | null; hour: number | null; tickets: number; done: number; p50: number | null; p90: number | null; max: number | null; late: number };

/** Figures for a group of tickets: how many, how many bumped, and the times of those bumped. */
function stat(group: Ticket[], lateSecs: number, key: Pick<Stat, "stationId" | "station" | "hour">): Stat {
  const secs = group.map((t) => t.secs).filter((x): x is number => x !== null).sort((a, b) => a - b);
  return { ...key, tickets: group.length, done: secs.length, p50: percentile(secs, 0.5), p90: percentile(secs, 0.9), max: secs.at(-1) ?? null, late: secs.filter((x) => x > lateSecs).length };
}

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const group = map.get(k);
    if (group) group.push(item);
    else map.set(k, [item]);
  }
  return map;
}
const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** Ticket times fired -> bumped per station, late tickets past the restaurant's "late" age, recalls, voids after firing. */
export async function kitchenSection(tx: Tx, s: Scope, lateMinutes: number): Promise<Section> {
  const multiDay = s.period.from !== s.period.to;
  const [lines, recalls, voids] = await Promise.all([k.kitchenLines(tx, s), k.recalls(tx, s), k.voidsAfterFiring(tx, s)]);
  const all = ticketsOf(lines);
  const slow = slowestItems(lines);
  const lateSecs = lateMinutes * 60;
  const stats: Stat[] = [
    stat(all, lateSecs, { stationId: null, station: null, hour: null }),
    ...[...groupBy(all, (t) => String(t.hour))].map(([, g]) => stat(g, lateSecs, { stationId: null, station: null, hour: g[0]!.hour })),
    ...[...groupBy(all, (t) => t.stationId)].flatMap(([id, g]) => [
      stat(g, lateSecs, { stationId: id, station: g[0]!.station, hour: null }),
      ...[...groupBy(g, (t) => String(t.hour))].map(([, h]) => stat(h, lateSecs, { stationId: id, station: g[0]!.station, hour: h[0]!.hour })),
    ]),
  ];
  const late = all.filter((t) => t.secs !== null && t.secs > lateSecs).sort((a, b) => b.secs! - a.secs!).slice(0, 100)
    .map((t) => ({ number: t.number, station: t.station ?? "", fired: t.fired, minutes: t.secs! / 60 }));
  const perStation = stats.filter((r) => r.stationId !== null && r.hour === null);
  const allByHour = new Map(stats.filter((r) => r.stationId === null && r.hour !== null).map((r) => [r.hour!, r]));
  // Stations by name, hours as the business day ran (04:00 first, past midnight last).
  const dayOrder = (h: number | null) => ((h ?? 0) - s.dayStartsAtHour + 24) % 24;
  const byName = (a: Stat, b: Stat) => (a.station ?? "").localeCompare(b.station ?? "");
  perStation.sort(byName);
  const stationHours = stats.filter((r) => r.stationId !== null && r.hour !== null).sort((a, b) => byName(a, b) || dayOrder(a.hour) - dayOrder(b.hour));
  const total = stats.find((r) => r.stationId === null && r.hour === null);
  const timeColumns = ["Tickets", "Bumped", "p50 min", "p90 min", "Max min", `Late (> ${lateMinutes} min)`];
  const times = (r: Stat) => [r.tickets, r.done, minutes(r.p50), minutes(r.p90), minutes(r.max), r.late];
  const tables: ReportTable[] = [
    { key: "stations", title: "Ticket times by station (fired to bumped)", columns: ["Station", ...timeColumns], empty: "No tickets fired.",
      rows: [...perStation.map((r) => [r.station ?? "Station removed", ...times(r)]), ...(total && perStation.length > 1 ? [["All stations", ...times(total)]] : [])] },
    { key: "station-hours", title: "Ticket times by station and hour fired", columns: ["Station", "Hour", ...timeColumns], empty: "No tickets fired.",
      rows: stationHours.map((r) => [r.station ?? "Station removed", hh(r.hour!), ...times(r)]) },
    { key: "late", title: `Late tickets (over ${lateMinutes} minutes)`, columns: ["Order", "Station", "Fired", "Minutes"], empty: "No late tickets.",
      note: late.length >= 100 ? "The 100 slowest are listed." : undefined,
      rows: late.map((t) => [`#${t.number}`, t.station, clock(t.fired, s.timeZone, multiDay), oneDecimal(t.minutes)]) },
    { key: "slowest", title: "Slowest items (p90 at a station)", columns: ["Item", "Lines", "p50 min", "p90 min", "Max min"], empty: "Nothing bumped.",
      rows: slow.map((i) => [i.name, i.lines, minutes(i.p50), minutes(i.p90), minutes(i.max)]) },
    { key: "recalls", title: "Recalls", columns: ["Where", "Recalls"], empty: "No recalls.", rows: recalls.map((r) => [r.station, r.recalls]) },
    { key: "fired-voids", title: "Voided after firing", columns: ["When", "Order", "Item", "Qty", "Value", "Reason", "Approved by"], empty: "No voids after firing.",
      rows: voids.map((v) => [clock(v.at, s.timeZone, multiDay), `#${v.number}`, v.item, v.quantity, money(v.cents), v.reason ?? "", v.approvedBy ?? ""]) },
  ];
  const hours = dayHours(s.dayStartsAtHour);
  return {
    key: "kitchen", title: "Kitchen", tables,
    charts: [{
      key: "p90", title: "Ticket time by hour (p90, all stations)", description: `Nine in ten tickets fired in each hour were bumped within this many minutes; late is over ${lateMinutes}.`,
      xLabel: "Hour fired", yLabel: "Minutes", unit: "minutes",
      bars: hours.map((h) => ({ label: String(h).padStart(2, "0"), value: minutes(allByHour.get(h)?.p90 ?? null) ?? 0 })),
    }],
  };
}
