import type { LineView, OrderView } from "../../src/orders/service";
import type { AllDay } from "../../src/kitchen/service";
import { ORDER_TYPE_LABELS } from "../pos/format";

export type Thresholds = [number, number, number];

/** Age colour by the restaurant's thresholds (minutes): fresh, warn, late, critical. */
export function ageClass(minutes: number, [warn, late, crit]: Thresholds): string {
  return minutes >= crit ? "age-crit" : minutes >= late ? "age-late" : minutes >= warn ? "age-warn" : "age-ok";
}

export const formatAge = (minutes: number) => `${Math.floor(minutes)}m`;

type StationLine = LineView & { stationStatus: string; voidPending: boolean };

/** Lines of this order routed to this station (voided ones stay, marked; voidPending until a cook here saw it). */
export function linesAt(order: OrderView, stationId: string): StationLine[] {
  return order.lines
    .map((l) => {
      const here = l.stations.find((s) => s.stationId === stationId);
      return { ...l, stationStatus: here?.status ?? "", voidPending: !!l.voidedAt && !!here && !here.voidAcked };
    })
    .filter((l) => l.stationStatus && l.firedAt);
}

/** The ticket stays on the station while something is left to cook there, or a VOID nobody there has seen. */
export function hasWorkAt(order: OrderView, stationId: string): boolean {
  return linesAt(order, stationId).some((l) => (!l.voidedAt && l.stationStatus !== "ready") || l.voidPending);
}

/**
 * How the station tells a later round apart: ADD for an item added after the order was first sent, FIRE C2
 * for a course that was held at the first send and fired now. Nothing for the first send itself.
 */
export function fireFlag(line: LineView): { label: string; cls: string } | null {
  if ((line.fireRound ?? 1) <= 1) return null;
  return line.addedAfterSend ? { label: "ADD", cls: "add" } : { label: `FIRE C${line.course}`, cls: "fire" };
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
  const cookable = lines.some((l) => !l.voidedAt && l.stationStatus !== "ready");
  const voidsPending = lines.some((l) => l.voidPending);
  const cancelled = order.status === "cancelled";
  const minutes = Math.max(0, (now - firedAt.getTime()) / 60_000);
  const where = [ORDER_TYPE_LABELS[order.type], order.tableLabel ? `T${order.tableLabel}` : ""].filter(Boolean).join(" · ");
  const base = `/kds/${stationId}/orders/${order.id}`;
  return (
    <article id={`ticket-${order.id}`} class={`kds-ticket ${ageClass(minutes, thresholds)}${cancelled ? " is-void" : ""}`} data-into="#tickets" data-fired-at={firedAt.toISOString()} tabindex="0">
      <header class="kds-ticket-head">
        <span class="kds-number" safe>{`#${order.number}`}</span>
        <span class="kds-where" safe>{where}</span>
        <span class="kds-age" data-age safe>{formatAge(minutes)}</span>
      </header>
      {cancelled ? <p class="kds-void-banner" role="alert">VOID · order cancelled</p> : ""}
      {order.note ? <p class="kds-note" safe>{order.note}</p> : ""}
      <ul class="kds-lines">
        {lines.map((l) => {
          const done = l.stationStatus === "ready";
          const flag = fireFlag(l);
          // A VOID the cook has not seen is a live alert: tapping it acknowledges the ticket's voids.
          const action = l.voidPending ? `${base}/voids/ack` : `${base}/lines/${l.id}/bump`;
          return (
            <li class={`kds-line${l.voidedAt ? " void" : ""}${l.voidPending ? " void-alert" : ""}${done ? " done" : ""}${l.stationStatus === "cooking" ? " cooking" : ""}`}>
              <form method="post" action={action} hx-post={action} hx-target={`#ticket-${order.id}`} hx-swap="outerHTML">
                <button type="submit" class="kds-line-btn" disabled={(!!l.voidedAt && !l.voidPending) || (done && !l.voidedAt)}>
                  <span class="kds-qty" safe>{String(l.quantity)}</span>
                  <span class="kds-item">
                    <span class="kds-item-name" safe>{l.kitchenName ?? l.name}</span>
                    {l.voidedAt ? <span class="kds-flag void">VOID</span> : ""}
                    {flag ? <span class={`kds-flag ${flag.cls}`} safe>{flag.label}</span> : ""}
                    {l.modifiers.map((m) => <span class="kds-mod" safe>{m.name}</span>)}
                    {l.note ? <span class="kds-line-note" safe>{l.note}</span> : ""}
                    {l.voidPending && l.voidReason ? <span class="kds-line-note" safe>{`Void: ${l.voidReason}`}</span> : ""}
                    {l.seat || l.course > 1 ? <span class="kds-meta" safe>{[l.seat ? `Seat ${l.seat}` : "", l.course > 1 ? `Course ${l.course}` : ""].filter(Boolean).join(" · ")}</span> : ""}
                  </span>
                </button>
              </form>
              {l.menuItemId && !l.voidedAt && !done ? (
                // One tap to 86 what this line is (src/menu's availability route, live on every screen).
                // Nothing swapped (the menu's switch carries an id the 86 list uses); kds.js marks the button, a refusal shows as a toast.
                <form method="post" action={`/menu/items/${l.menuItemId}/availability`} hx-post={`/menu/items/${l.menuItemId}/availability`} hx-swap="none" data-eighty-six>
                  <input type="hidden" name="available" value="false" />
                  <button type="submit" class="kds-86" aria-label={`86 ${l.name}: sold out`} title={`86 ${l.name}`}>86</button>
                </form>
              ) : ""}
            </li>
          );
        })}
      </ul>
      {cookable || !voidsPending ? (
        <form method="post" action={`${base}/bump`} hx-post={`${base}/bump`} hx-target={`#ticket-${order.id}`} hx-swap="outerHTML">
          <button type="submit" class="kds-bump" data-bump>Bump</button>
        </form>
      ) : (
        // Nothing left to cook here, only VOIDs to see: the ticket's one button (and the bump bar) clears them.
        <form method="post" action={`${base}/voids/ack`} hx-post={`${base}/voids/ack`} hx-target={`#ticket-${order.id}`} hx-swap="outerHTML">
          <button type="submit" class="kds-bump void-ack" data-bump>Seen: clear VOID</button>
        </form>
      )}
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
