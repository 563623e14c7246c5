import type { Tx } from "../db/tenant";
import * as k from "./kitchen-queries";
import { clock } from "./clock";
import { dayHours } from "./sales-report";
import type { Section } from "./model";
import { money, oneDecimal, type ReportTable } from "./tables";
import type { Scope } from "./scope";

const minutes = (secs: number | null) => oneDecimal(secs === null ? null : secs / 60);
const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

/** Ticket times fired -> bumped per station, late tickets past the restaurant's "late" age, recalls, voids after firing. */
export async function kitchenSection(tx: Tx, s: Scope, lateMinutes: number): Promise<Section> {
  const multiDay = s.period.from !== s.period.to;
  const [stats, late, slow, recalls, voids] = await Promise.all([
    k.ticketStats(tx, s, lateMinutes), k.lateTickets(tx, s, lateMinutes), k.slowestItems(tx, s), k.recalls(tx, s), k.voidsAfterFiring(tx, s),
  ]);
  const perStation = stats.filter((r) => r.stationId !== null && r.hour === null);
  const allByHour = new Map(stats.filter((r) => r.stationId === null && r.hour !== null).map((r) => [r.hour!, r]));
  // Stations by name, hours as the business day ran (04:00 first, past midnight last).
  const dayOrder = (h: number | null) => ((h ?? 0) - s.dayStartsAtHour + 24) % 24;
  const byName = (a: k.TicketStatRow, b: k.TicketStatRow) => (a.station ?? "").localeCompare(b.station ?? "");
  perStation.sort(byName);
  const stationHours = stats.filter((r) => r.stationId !== null && r.hour !== null).sort((a, b) => byName(a, b) || dayOrder(a.hour) - dayOrder(b.hour));
  const total = stats.find((r) => r.stationId === null && r.hour === null);
  const timeColumns = ["Tickets", "Bumped", "p50 min", "p90 min", "Max min", `Late (> ${lateMinutes} min)`];
  const times = (r: k.TicketStatRow) => [r.tickets, r.done, minutes(r.p50), minutes(r.p90), minutes(r.max), r.late];
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
