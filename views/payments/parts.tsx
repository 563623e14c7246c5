import type { PropsWithChildren } from "@kitajs/html";
import { Layout } from "../layout";
import { formatMoney as money, percentInputValue } from "../../src/money";
import type { PayableOrder } from "../../src/payments/service";
import type { PaymentRow } from "../../src/payments/queries";

export { money };

/** The POS frame of every payment screen: the same top bar as the POS, the payments stylesheet, pay.js. */
export function PosFrame(p: PropsWithChildren<{ title: string; nonce: string; restaurantName: string; staffName: string; current?: "drawer" | "history" | "orders" }>) {
  return (
    <Layout title={p.title} nonce={p.nonce} screen="pos" alpine={false} head={<><link rel="stylesheet" href="/public/css/payments.css" /><script src="/public/js/pay.js" defer></script><script src="/public/js/live.js" defer></script></>}>
      <header class="topbar no-print">
        <strong safe>{p.restaurantName}</strong>
        <nav>
          <a href="/pos">New order</a>
          <a href="/pos/orders" aria-current={p.current === "orders" ? "page" : undefined}>Open orders</a>
          <a href="/pos/history" aria-current={p.current === "history" ? "page" : undefined}>History</a>
          <a href="/pos/drawer" aria-current={p.current === "drawer" ? "page" : undefined}>Drawer</a>
        </nav>
        <span class="spacer"></span>
        <span class="muted" safe>{p.staffName}</span>
      </header>
      {p.children as "safe"}
    </Layout>
  );
}

export const PAYMENT_STATUS_LABELS = { unpaid: "UNPAID", partly_paid: "PART PAID", paid: "PAID", refunded: "REFUNDED" } as const;
export const STATUS_CLASS = { unpaid: "warn", partly_paid: "warn", paid: "ok", refunded: "crit" } as const;

export function tenderLabel(p: PaymentRow, currency: string): string {
  const parts = [`${p.tender === "cash" ? "Cash" : p.tender}`];
  if (p.status !== "completed") parts.push(p.status.replace("_", " ").toUpperCase());
  if (p.tipCents) parts.push(`tip ${money(p.tipCents, currency)}`);
  return parts.join(" · ");
}

/** Lines, totals, tenders and the balance: the left half of the pay screen and of the history page. */
export function CheckSummary({ order, currency, comp }: { order: PayableOrder; currency: string; comp?: (lineId: string) => JSX.Element }) {
  const pay = order.pay;
  const comps = order.lines.filter((l) => l.compedAt && !l.voidedAt);
  return (
    <section class="card check-summary" id="check-summary">
      <header class="row">
        <h2 class="grow" safe>{`Order #${order.number}`}</h2>
        <span class={`badge ${STATUS_CLASS[pay.paymentStatus]}`}>{PAYMENT_STATUS_LABELS[pay.paymentStatus]}</span>
      </header>
      <p class="muted" safe>{[order.tableLabel ? `Table ${order.tableLabel}` : "", order.guests ? `${order.guests} guests` : "", order.businessDate].filter(Boolean).join(" · ")}</p>
      <ol class="pay-lines">
        {order.lines.filter((l) => !l.voidedAt).map((l) => {
          const unit = l.unitPriceCents + l.modifiers.reduce((s, m) => s + m.priceDeltaCents, 0);
          return (
            <li class={l.compedAt ? "comped" : ""}>
              <div class="row">
                <span safe>{`${l.quantity}×`}</span>
                <span class="grow" safe>{l.name}</span>
                {l.seat ? <span class="muted small" safe>{`Seat ${l.seat}`}</span> : ""}
                <span class="amount" safe>{l.compedAt ? `COMP ${money(0, currency)}` : money(unit * l.quantity, currency)}</span>
              </div>
              <div class="row line-extra">
                <span class="muted small grow" safe>{[l.modifiers.map((m) => m.name).join(", "), l.compedAt ? `Comp: ${l.compReason ?? ""}` : ""].filter(Boolean).join(" · ")}</span>
                {!l.compedAt && comp ? comp(l.id) : ""}
              </div>
            </li>
          );
        })}
      </ol>
      <dl class="totals">
        <dt>Subtotal</dt><dd safe>{money(order.subtotalCents, currency)}</dd>
        {comps.length ? <><dt class="muted" safe>{`Comped (${comps.length}), not charged`}</dt><dd class="muted" safe>{money(comps.reduce((s, l) => s + compValue(l), 0), currency)}</dd></> : ""}
        {order.discountCents ? <><dt safe>{`Discount${order.discountReason ? ` (${order.discountReason})` : ""}`}</dt><dd safe>{money(-order.discountCents, currency)}</dd></> : ""}
        <dt>Tax</dt><dd safe>{money(order.taxCents, currency)}</dd>
        <dt class="total">Total</dt><dd class="total" safe>{money(order.totalCents, currency)}</dd>
        {pay.payments.filter((p) => p.status !== "voided" && p.status !== "failed").map((p) => (
          <><dt safe>{tenderLabel(p, currency)}</dt><dd safe>{money(-(p.amountCents - Math.min(p.refundedCents, p.amountCents)), currency)}</dd></>
        ))}
        <dt class="due">Balance due</dt><dd class="due" data-testid="balance-due" safe>{money(pay.balanceDueCents, currency)}</dd>
      </dl>
      {order.unpaidReason ? <p class="flash" safe>{`Left unpaid by a manager: ${order.unpaidReason}`}</p> : ""}
    </section>
  );
}

/** What a comped line would have cost: reported apart from voids and discounts. */
const compValue = (l: { unitPriceCents: number; quantity: number; modifiers: { priceDeltaCents: number }[] }) =>
  (l.unitPriceCents + l.modifiers.reduce((s, m) => s + m.priceDeltaCents, 0)) * l.quantity;

export const tipLabel = (bps: number) => `${percentInputValue(bps)}%`;
