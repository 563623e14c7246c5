import type { LineView, OrderView, AllDay } from "../../src/orders/service";
import { ORDER_TYPE_LABELS } from "../pos/format";

export type Thresholds = [number, number, number];

/** Age colour by the restaurant's thresholds (minutes): fresh, warn, late, critical. */
export function ageClass(minutes: number, [warn, late, crit]: Thresholds): string {
  return minutes >= crit ? "age-crit" : minutes >= late ? "age-late" : minutes >= warn ? "age-warn" : "age-ok";
}

export const formatAge = (minutes: number) => `${Math.floor(minutes)}m`;

/** Lines of this order routed to this station (voided ones stay, marked). */
export function linesAt(order: OrderView, stationId: string): (LineView & { stationStatus: string })[] {
  return order.lines
    .map((l) => ({ ...l, stationStatus: l.stations.find((s) => s.stationId === stationId)?.status ?? "" }))
    .filter((l) => l.stationStatus && l.firedAt);
}

export function hasWorkAt(order: OrderView, stationId: string): boolean {
  return linesAt(order, stationId).some((l) => !l.voidedAt && l.stationStatus !== "ready");
}

function firedAtOf(lines: LineView[]): Date {
  const times = lines.filter((l) => !l.voidedAt).map((l) => l.firedAt!.getTime());
  return new Date(times.length ? Math.min(...times) : Date.now());
}

/**
 * One kitchen ticket: the same component for the full page and every live update (id = ticket-<order>).
 * data-into lets a live fragment for a new order find its place on the rail.
 */
export function KdsTicket({ order, stationId, thresholds, now = Date.now() }: { order: OrderView; stationId: string; thresholds: Thresholds; now?: number }) {
  const lines = linesAt(order, stationId);
  const firedAt = firedAtOf(lines.filter((l) => l.stationStatus !== "ready"));
  const minutes = Math.max(0, (now - firedAt.getTime()) / 60_000);
  const where = [ORDER_TYPE_LABELS[order.type], order.tableLabel ? `T${order.tableLabel}` : ""].filter(Boolean).join(" · ");
  const base = `/kds/${stationId}/orders/${order.id}`;
  return (
    <article id={`ticket-${order.id}`} class={`kds-ticket ${ageClass(minutes, thresholds)}`} data-into="#tickets" data-fired-at={firedAt.toISOString()} tabindex="0">
      <header class="kds-ticket-head">
        <span class="kds-number" safe>{`#${order.number}`}</span>
        <span class="kds-where" safe>{where}</span>
        <span class="kds-age" data-age safe>{formatAge(minutes)}</span>
      </header>
      {order.note ? <p class="kds-note" safe>{order.note}</p> : ""}
      <ul class="kds-lines">
        {lines.map((l) => {
          const done = l.stationStatus === "ready";
          return (
            <li class={`kds-line${l.voidedAt ? " void" : ""}${done ? " done" : ""}${l.stationStatus === "cooking" ? " cooking" : ""}`}>
              <form method="post" action={`${base}/lines/${l.id}/bump`} hx-post={`${base}/lines/${l.id}/bump`} hx-target={`#ticket-${order.id}`} hx-swap="outerHTML">
                <button type="submit" class="kds-line-btn" disabled={!!l.voidedAt || done}>
                  <span class="kds-qty" safe>{String(l.quantity)}</span>
                  <span class="kds-item">
                    <span class="kds-item-name" safe>{l.kitchenName ?? l.name}</span>
                    {l.voidedAt ? <span class="kds-flag void">VOID</span> : ""}
                    {(l.fireRound ?? 1) > 1 ? <span class="kds-flag add">ADD</span> : ""}
                    {l.modifiers.map((m) => <span class="kds-mod" safe>{m.name}</span>)}
                    {l.note ? <span class="kds-line-note" safe>{l.note}</span> : ""}
                    {l.seat || l.course > 1 ? <span class="kds-meta" safe>{[l.seat ? `Seat ${l.seat}` : "", l.course > 1 ? `Course ${l.course}` : ""].filter(Boolean).join(" · ")}</span> : ""}
                  </span>
                </button>
              </form>
            </li>
          );
        })}
      </ul>
      <form method="post" action={`${base}/bump`} hx-post={`${base}/bump`} hx-target={`#ticket-${order.id}`} hx-swap="outerHTML">
        <button type="submit" class="kds-bump" data-bump>Bump</button>
      </form>
    </article>
  );
}

export function AllDayPanel({ counts }: { counts: AllDay }) {
  return (
    <aside id="all-day" class="all-day" aria-label="All day">
      <strong>All day</strong>
      {counts.length ? counts.map((c) => <span class="all-day-item"><b safe>{String(c.quantity)}</b> <span safe>{c.name}</span></span>) : <span class="muted">nothing waiting</span>}
    </aside>
  );
}
