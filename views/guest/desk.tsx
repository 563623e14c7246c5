import { Layout } from "../layout";
import type { GuestOrder } from "../../src/guest/service";
import type { PayableOrder } from "../../src/payments/service";
import { formatMoney } from "../../src/money";

export type DeskEntry = { guest: GuestOrder; order: PayableOrder };

/** One guest order waiting for staff: the same component for the page and its live updates. */
export function DeskCard({ entry, currency }: { entry: DeskEntry; currency: string }) {
  const { guest, order } = entry;
  const lines = guest.source === "table" ? order.lines.filter((l) => guest.lineIds.includes(l.id)) : order.lines;
  const due = order.pay.balanceDueCents;
  const dueText = due > 0 ? `${formatMoney(due, currency)} to pay` : "Paid";
  return (
    <li id={`desk-${guest.id}`} class="card stack desk-card" data-into="#desk-list">
      <h2 safe>{guest.source === "kiosk" ? `Kiosk order #${order.number}${guest.name ? ` · ${guest.name}` : ""}` : `Table ${order.tableLabel ?? ""} · new round on #${order.number}`}</h2>
      <ul>{lines.map((l) => <li safe>{`${l.quantity} × ${l.name}${l.modifiers.length ? ` (${l.modifiers.map((m) => m.name).join(", ")})` : ""}`}</li>)}</ul>
      {guest.state === "awaiting_payment" ? (
        <>
          <p><strong safe>{dueText}</strong></p>
          <div class="row">
            <a class="btn" href={`/pos/orders/${order.id}/pay`}>Take payment</a>
            <form method="post" action={`/guest-desk/${guest.id}/release`}><button class="btn primary" type="submit">Paid: send to kitchen</button></form>
          </div>
        </>
      ) : (
        <div class="row">
          <form method="post" action={`/guest-desk/${guest.id}/confirm`}><button class="btn primary" type="submit">Confirm: send to kitchen</button></form>
          <form method="post" action={`/guest-desk/${guest.id}/decline`}><button class="btn" type="submit">Decline</button></form>
        </div>
      )}
    </li>
  );
}

export function DeskPage(p: { nonce: string; restaurantName: string; entries: DeskEntry[]; currency: string; seq: number; flash?: string }) {
  return (
    <Layout title="Guest orders" nonce={p.nonce} screen="pos" alpine={false} head={<><link rel="stylesheet" href="/public/css/guest.css" /><script src="/public/js/live.js" nonce={p.nonce} defer></script></>}>
      <main class="wide stack" data-live="/guest-desk/stream" data-seq={String(p.seq)}>
        <p><a href="/pos">Back to the POS</a></p>
        <h1 safe>{`Guest orders · ${p.restaurantName}`}</h1>
        {p.flash ? <p class="flash error" role="alert" safe>{p.flash}</p> : ""}
        <p>Kiosk orders to pay at the counter, and table rounds waiting for a server. This list updates by itself.</p>
        <ul id="desk-list" class="stack desk-list">{p.entries.map((e) => <DeskCard entry={e} currency={p.currency} />)}</ul>
      </main>
      <div class="live-banner" role="status">Reconnecting…</div>
    </Layout>
  );
}
