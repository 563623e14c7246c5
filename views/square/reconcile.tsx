import { AdminShell } from "../admin/shell";
import { formatMoney as money } from "../../src/money";
import type { Reconciliation } from "../../src/square/reconcile";

/** One business day's card tenders against Square's payments: the totals, then every difference. */
export function ReconcilePage(p: { nonce: string; restaurantName: string; userName: string; currency: string; result: Reconciliation }) {
  const r = p.result;
  const m = (c: number | null) => (c === null ? "—" : money(c, p.currency));
  return (
    <AdminShell nonce={p.nonce} title={`Card reconciliation · ${r.date}`} section="settings" restaurantName={p.restaurantName} userName={p.userName}>
      <p safe>{`Here: ${r.ourCount} card payments, ${money(r.ourTotalCents, p.currency)} with tips. Square: ${r.squareCount} card payments, ${money(r.squareTotalCents, p.currency)}.`}</p>
      {r.differences.length ? (
        <table data-testid="differences">
          <thead><tr><th>What</th><th>Our payment</th><th>Square payment</th><th class="num">Here</th><th class="num">Square</th></tr></thead>
          <tbody>
            {r.differences.map((d) => (
              <tr><td safe>{d.note}</td><td safe>{d.paymentId ?? "—"}</td><td safe>{d.squarePaymentId ?? "—"}</td><td class="num" safe>{m(d.ours)}</td><td class="num" safe>{m(d.square)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : <p class="flash" data-testid="reconciled">Everything matches.</p>}
      <p><a class="btn" href="/admin/square">Back to Square</a></p>
    </AdminShell>
  );
}
