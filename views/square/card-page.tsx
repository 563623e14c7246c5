import type { CheckView, PayableOrder } from "../../src/payments/service";
import type { PaymentRow } from "../../src/payments/queries";
import type { SquareRefundRow } from "../../src/payments/card";
import { money, PosFrame } from "../payments/parts";

export type CardPageProps = {
  nonce: string; restaurantName: string; staffName: string; currency: string;
  order: PayableOrder; check: CheckView | null; connected: boolean; paired: boolean;
  refunds: SquareRefundRow[]; canRefund: boolean; error?: string; notice?: string;
  /** At a POS device: its own Terminal, a pairing code in progress, and the restaurant's Terminal it falls back to. */
  pos: { terminal: string | null; code: string | null; fallback: string | null } | null;
};

/** This POS's Terminal: pair one from here (the code is typed on the Terminal), or see which one it uses. */
function PosTerminal({ p }: { p: CardPageProps }) {
  if (!p.pos || !p.connected) return "";
  const orderId = <input type="hidden" name="orderId" value={p.order.id} />;
  return (
    <section class="card stack pos-terminal">
      <p data-testid="pos-terminal" safe>{p.pos.terminal ? `This POS charges on Terminal ${p.pos.terminal}` : p.pos.fallback ? `This POS uses the restaurant's Terminal ${p.pos.fallback}` : "No Terminal for this POS yet"}</p>
      {p.pos.code ? <p>Type this code on the Terminal (Sign in, Use a device code): <strong class="device-code" data-testid="pos-device-code" safe>{p.pos.code}</strong></p> : ""}
      <div class="row">
        <form method="post" action="/pos/terminal/pair">{orderId}<button class="btn small" type="submit">{p.pos.terminal ? "Pair another Terminal" : "Pair this POS with a Terminal"}</button></form>
        {p.pos.code ? <form method="post" action="/pos/terminal/pair/check">{orderId}<button class="btn small" type="submit">Check pairing</button></form> : ""}
      </div>
    </section>
  );
}

/** What the POS says for each Square state of a tender. */
export function cardStateLabel(p: PaymentRow): string {
  if (p.status === "pending") {
    return p.providerStatus === "IN_PROGRESS" ? "Guest is paying on the Terminal"
      : p.providerStatus === "CANCEL_REQUESTED" ? "Cancel requested: waiting for the Terminal"
      : p.providerCheckoutId ? "Sent to the Terminal: waiting for the guest" : "Waiting for Square to confirm";
  }
  if (p.status === "voided") return "Canceled";
  if (p.status === "failed") return "Failed";
  return p.status === "completed" ? "Completed" : p.status.replace("_", " ");
}

const REFUND_LABEL = { pending: "Refund pending at Square", completed: "Refunded", failed: "Refund failed" } as const;

function CardTender({ p, pay }: { p: CardPageProps; pay: PaymentRow }) {
  const refunds = p.refunds.filter((r) => r.paymentId === pay.id);
  const left = pay.amountCents + pay.tipCents - pay.refundedCents - refunds.filter((r) => r.status === "pending").reduce((s, r) => s + r.amountCents, 0);
  return (
    <li class={`card-tender state-${pay.status}`} data-testid="card-tender" data-status={pay.status}>
      <div class="row">
        <strong safe>{money(pay.amountCents, p.currency)}</strong>
        <span data-testid="card-state" safe>{cardStateLabel(pay)}</span>
        {pay.tipCents ? <span safe>{`tip ${money(pay.tipCents, p.currency)}`}</span> : ""}
        {pay.cardBrand ? <span safe>{`${pay.cardBrand} •••• ${pay.cardLast4 ?? ""}`}</span> : ""}
      </div>
      {pay.failureReason && pay.status !== "completed" ? <p class="muted small" safe>{pay.failureReason}</p> : ""}
      {pay.status === "pending" ? (
        <div class="row">
          <form method="post" action={`/pos/card-payments/${pay.id}/sync`}><button class="btn small" type="submit">Check with Square</button></form>
          <form method="post" action={`/pos/card-payments/${pay.id}/cancel`}><button class="btn small danger" type="submit">Cancel on Terminal</button></form>
        </div>
      ) : ""}
      {refunds.length ? (
        <ul class="card-refunds">
          {refunds.map((r) => (
            <li data-testid="card-refund" data-status={r.status}>
              <span safe>{`${REFUND_LABEL[r.status]}: ${money(r.amountCents, p.currency)} (${r.reason})`}</span>
              {r.failureReason ? <span class="muted small" safe>{` ${r.failureReason}`}</span> : ""}
              {r.status === "pending" ? <form method="post" action={`/pos/card-refunds/${r.id}/sync`}><button class="btn small" type="submit">Check refund</button></form> : ""}
            </li>
          ))}
        </ul>
      ) : ""}
      {pay.providerRef && left > 0 && ["completed", "partly_refunded"].includes(pay.status) ? (
        <details>
          <summary class="btn small">Refund…</summary>
          <form method="post" action={`/pos/card-payments/${pay.id}/refund`} class="stack">
            <label>Amount to give back (at most {money(left, p.currency) as "safe"})<input name="amount" inputmode="decimal" autocomplete="off" required /></label>
            <label>Reason<input name="reason" maxlength={200} required /></label>
            {p.canRefund ? "" : <label>Manager PIN<input name="managerPin" type="password" inputmode="numeric" autocomplete="off" /></label>}
            <button class="btn danger" type="submit">Refund to the card</button>
          </form>
        </details>
      ) : ""}
    </li>
  );
}

/** The live part: re-fetched every few seconds, which also reads pending tenders back from Square. */
export function CardStatus(p: CardPageProps) {
  const o = p.order;
  const cards = o.pay.payments.filter((x) => x.tender === "card");
  const query = p.check ? `?check=${p.check.id}` : "";
  const due = p.check ? p.check.balanceDueCents : o.pay.balanceDueCents;
  const pending = cards.some((x) => x.status === "pending" && x.checkId === (p.check?.id ?? null));
  // Polled only while Square has something open (a checkout, a refund): an idle screen is never swapped
  // under a manager typing a refund.
  const waiting = cards.some((x) => x.status === "pending") || p.refunds.some((r) => r.status === "pending");
  return (
    <div id="card-status" class="stack" aria-live="polite" {...(waiting ? { "hx-get": `/pos/orders/${o.id}/card/status${query}`, "hx-trigger": "every 3s", "hx-swap": "outerHTML" } : {})}>
      {o.pay.checks.length ? (
        <nav class="check-tabs" aria-label="Checks">
          {o.pay.checks.map((c) => (
            <a class={`check-tab${p.check?.id === c.id ? " current" : ""}`} href={`/pos/orders/${o.id}/card?check=${c.id}`}>
              <strong safe>{c.label}</strong><span safe>{c.balanceDueCents <= 0 ? "Paid" : money(c.balanceDueCents, p.currency)}</span>
            </a>
          ))}
        </nav>
      ) : ""}
      {!p.connected ? <p class="flash error">Card payments are not set up: an owner connects Square under Settings.</p>
        : !p.paired ? <p class="flash error">No Square Terminal is paired with this POS: pair one below.</p>
        : due > 0 && !pending ? (
          <form method="post" action={`/pos/orders/${o.id}/card`} class="row">
            {p.check ? <input type="hidden" name="checkId" value={p.check.id} /> : ""}
            <button class="btn primary big" type="submit" data-testid="charge" safe>{`Charge ${money(due, p.currency)} on the Terminal`}</button>
          </form>
        ) : ""}
      <section class="card stack">
      <h2 safe>{`${p.check ? `${p.check.label}: ` : ""}${money(p.check ? p.check.balanceDueCents : p.order.pay.balanceDueCents, p.currency)} due`}</h2>
      {cards.length ? <ul class="card-tenders stack">{cards.map((pay) => <CardTender p={p} pay={pay} />)}</ul> : <p class="muted">No card payments on this order yet.</p>}
    </section>
    </div>
  );
}

export function CardPage(p: CardPageProps) {
  const o = p.order;
  return (
    <PosFrame title={`Card · order #${o.number}`} nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName} current="orders">
      <main class="wide stack card-pay">
        <h1 safe>{`Card payment · order #${o.number}`}</h1>
        {p.error ? <p class="flash error" role="alert" data-testid="card-error" safe>{p.error}</p> : ""}
        {p.notice ? <p class="flash" role="status" safe>{p.notice}</p> : ""}
        <CardStatus {...p} />
        <PosTerminal p={p} />
        <div class="row">
          <a class="btn" href={`/pos/orders/${o.id}/pay${p.check ? `?check=${p.check.id}` : ""}`}>Back to pay screen</a>
        </div>
      </main>
    </PosFrame>
  );
}
