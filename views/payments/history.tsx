import type { OrderView } from "../../src/orders/service";
import type { PayableOrder, PaymentSummary } from "../../src/payments/service";
import { CheckSummary, money, PAYMENT_STATUS_LABELS, PosFrame, STATUS_CLASS } from "./parts";

export type HistoryQuery = { date: string; number: string; table: string; amount: string; staff: string };

export type HistoryPageProps = {
  nonce: string; restaurantName: string; staffName: string; currency: string;
  query: HistoryQuery; staff: { id: string; name: string }[]; orders: OrderView[]; summaries: Map<string, PaymentSummary>; error?: string;
};

/** Order history: any business day, by number, table, amount or staff; each opens read-only. */
export function HistoryPage(p: HistoryPageProps) {
  return (
    <PosFrame title="Order history" nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName} current="history">
      <main class="wide stack">
        <h1>Order history</h1>
        <form method="get" action="/pos/history" class="history-search card">
          <label>Business day<input type="date" name="date" value={p.query.date} /></label>
          <label>Order #<input type="number" name="number" min="1" value={p.query.number} inputmode="numeric" /></label>
          <label>Table<input type="text" name="table" maxlength="20" value={p.query.table} autocomplete="off" /></label>
          <label>Total<input type="text" name="amount" inputmode="decimal" value={p.query.amount} placeholder="e.g. 23.92" autocomplete="off" /></label>
          <label>Staff
            <select name="staff">
              <option value="">Anyone</option>
              {p.staff.map((s) => <option value={s.id} selected={s.id === p.query.staff} safe>{s.name}</option>)}
            </select>
          </label>
          <button class="btn primary" type="submit">Search</button>
        </form>
        {p.error ? <p class="flash error" role="alert" safe>{p.error}</p> : ""}
        {p.orders.length ? (
          <table class="history">
            <thead><tr><th>#</th><th>Day</th><th>Table</th><th>Status</th><th>Payment</th><th class="num">Total</th><th class="num">Due</th></tr></thead>
            <tbody>
              {p.orders.map((o) => {
                const s = p.summaries.get(o.id)!;
                return (
                  <tr>
                    <td><a href={`/pos/history/${o.id}`} safe>{`#${o.number}`}</a></td>
                    <td safe>{o.businessDate}</td>
                    <td safe>{o.tableLabel ?? "—"}</td>
                    <td safe>{o.status.toUpperCase()}</td>
                    <td><span class={`badge ${STATUS_CLASS[s.paymentStatus]}`}>{PAYMENT_STATUS_LABELS[s.paymentStatus]}</span></td>
                    <td class="num" safe>{money(o.totalCents, p.currency)}</td>
                    <td class="num" safe>{money(s.balanceDueCents, p.currency)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : <p class="muted">No orders match.</p>}
      </main>
    </PosFrame>
  );
}

export type HistoryOrderProps = {
  nonce: string; restaurantName: string; staffName: string; currency: string; order: PayableOrder;
  can: { refund: boolean; reopen: boolean; pay: boolean }; error?: string; notice?: string; formKey: string;
};

/** One order, read-only, with reprint, refund and reopen as the person's permissions allow. */
export function HistoryOrderPage(p: HistoryOrderProps) {
  const o = p.order;
  const refundable = o.pay.payments.filter((x) => ["completed", "partly_refunded"].includes(x.status));
  return (
    <PosFrame title={`Order #${o.number}`} nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName} current="history">
      <main class="pay-screen">
        <CheckSummary order={o} currency={p.currency} />
        <section class="card stack">
          {p.notice ? <p class="flash" role="status" safe>{p.notice}</p> : ""}
          {p.error ? <p class="flash error" role="alert" safe>{p.error}</p> : ""}
          <a class="btn primary big" href={`/pos/orders/${o.id}/receipt`}>Reprint receipt</a>
          {o.pay.checks.map((c) => <a class="btn" href={`/pos/orders/${o.id}/receipt?check=${c.id}`} safe>{`Reprint ${c.label}`}</a>)}
          {p.can.pay && o.pay.balanceDueCents > 0 && o.status !== "cancelled" ? <a class="btn" href={`/pos/orders/${o.id}/pay`}>Take payment</a> : ""}
          {refundable.map((x) => (
            <details class="refund">
              <summary class="btn small" safe>{`Refund… (cash ${money(x.amountCents + x.tipCents, p.currency)}${x.tipCents ? ` incl. tip ${money(x.tipCents, p.currency)}` : ""}${x.refundedCents ? `, ${money(x.refundedCents, p.currency)} already back` : ""})`}</summary>
              <form method="post" action={`/pos/payments/${x.id}/refund`} class="stack">
                <label>Amount<input type="text" name="amount" inputmode="decimal" autocomplete="off" required placeholder={money(x.amountCents + x.tipCents - x.refundedCents, p.currency)} /></label>
                <label>Reason<input type="text" name="reason" maxlength="200" required autocomplete="off" /></label>
                {p.can.refund ? "" : <label>Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label>}
                <button class="btn danger" type="submit">Refund from this drawer</button>
              </form>
            </details>
          ))}
          {o.pay.paymentStatus === "paid" && !o.reopenedAt ? (
            <details>
              <summary class="btn small">Reopen check…</summary>
              <form method="post" action={`/pos/orders/${o.id}/reopen`} class="stack">
                <label>Reason<input type="text" name="reason" maxlength="200" required autocomplete="off" /></label>
                {p.can.reopen ? "" : <label>Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label>}
                <button class="btn" type="submit">Reopen</button>
              </form>
            </details>
          ) : ""}
          {o.pay.refunds.length ? (
            <table>
              <thead><tr><th>Refund</th><th class="num">Amount</th></tr></thead>
              <tbody>{o.pay.refunds.map((r) => <tr><td safe>{r.reason}</td><td class="num" safe>{money(r.amountCents, p.currency)}</td></tr>)}</tbody>
            </table>
          ) : ""}
        </section>
      </main>
    </PosFrame>
  );
}
