import type { GuestOrder, GuestOrderStatus } from "../../src/guest/service";
import type { OrderView } from "../../src/orders/service";
import { formatMoney } from "../../src/money";
import { GuestShell } from "./shell";

const STEPS: { step: GuestOrderStatus["step"][]; label: string }[] = [
  { step: ["pay", "confirm", "received"], label: "Received" },
  { step: ["preparing"], label: "Preparing" },
  { step: ["ready", "done"], label: "Ready" },
];

/** The one live part of a guest's order page: the same component for the page and each live update. */
export function GuestOrderStatusCard(p: { guest: GuestOrder; order: OrderView; status: GuestOrderStatus; currency: string }) {
  const current = STEPS.findIndex((s) => s.step.includes(p.status.step));
  const lines = p.guest.source === "table" ? p.order.lines.filter((l) => p.guest.lineIds.includes(l.id)) : p.order.lines;
  return (
    <section id="guest-status" class="guest-status" data-step={p.status.step} aria-live="polite" aria-labelledby="guest-status-h">
      <h1 id="guest-status-h">Order <span class="guest-number" safe>#{String(p.order.number)}</span></h1>
      {p.guest.name ? <p class="guest-sub" safe>For {p.guest.name}</p> : ""}
      <ol class="guest-steps">
        {STEPS.map((s, i) => (
          <li class={i < current ? "done" : i === current ? "current" : ""} aria-current={i === current ? "step" : undefined} safe>{s.label}</li>
        ))}
      </ol>
      <p class="guest-status-text" data-status-text safe>{p.status.label}</p>
      <h2>What you ordered</h2>
      <ul class="guest-cart-lines">
        {lines.map((l) => (
          <li class={l.voidedAt ? "voided" : ""}>
            <span safe>{`${l.quantity} × ${l.name}`}</span>
            {l.modifiers.length ? <span class="guest-mods" safe>{l.modifiers.map((m) => m.name).join(", ")}</span> : ""}
            {l.voidedAt ? <span> (removed)</span> : ""}
          </li>
        ))}
      </ul>
      {p.guest.source === "kiosk" ? <p class="guest-total"><span>Total</span> <strong safe>{formatMoney(p.order.totalCents, p.currency)}</strong></p> : ""}
    </section>
  );
}

export function GuestOrderPage(p: { nonce: string; guest: GuestOrder; order: OrderView; status: GuestOrderStatus; currency: string; restaurantName: string; streamUrl: string; seq: number; backUrl: string | null }) {
  return (
    <GuestShell title={`Order #${p.order.number} · ${p.restaurantName}`} nonce={p.nonce} mode="order" live>
      <main class="guest-main guest-order" id="main" data-live={p.streamUrl} data-seq={String(p.seq)} data-idle-seconds={p.guest.source === "kiosk" ? "60" : ""} data-idle-home={p.backUrl ?? ""}>
        <p class="guest-sub" safe>{p.restaurantName}</p>
        <GuestOrderStatusCard guest={p.guest} order={p.order} status={p.status} currency={p.currency} />
        {p.backUrl ? <p><a class="guest-btn wide" href={p.backUrl}>{p.guest.source === "kiosk" ? "Start a new order" : "Order more"}</a></p> : ""}
      </main>
      <div class="live-banner" role="status">Reconnecting…</div>
    </GuestShell>
  );
}
