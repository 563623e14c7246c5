import { Layout } from "../layout";
import { percentInputValue } from "../../src/money";
import { taxByRate } from "../../src/orders/pricing";
import type { CheckView, PayableOrder } from "../../src/payments/service";
import { money, tenderLabel } from "./parts";

export type ReceiptProps = {
  nonce: string; restaurantName: string; currency: string; taxInclusive: boolean; timeZone: string;
  order: PayableOrder; check: CheckView | null; size: "80mm" | "a4"; serverName: string | null;
};

const fraction = (weight: number, of: number) => (of === 1 ? "" : `${weight}/${of} of `);

/**
 * The guest check and receipt: one page sized for 80 mm thermal paper or A4 by print CSS, printed with
 * the browser's print dialog. Before payment it is the guest check; with tenders it is the receipt.
 */
export function ReceiptPage(p: ReceiptProps) {
  const o = p.order;
  const check = p.check;
  const lines = o.lines.filter((l) => !l.voidedAt).flatMap((l) => {
    if (!check) return [{ line: l, weight: 1, of: 1 }];
    const share = check.lines.find((s) => s.lineId === l.id);
    return share ? [{ line: l, weight: share.weight, of: share.of }] : [];
  });
  const payments = o.pay.payments.filter((x) => (check ? x.checkId === check.id : true) && x.status !== "voided" && x.status !== "failed");
  const totals = check ?? { subtotalCents: o.subtotalCents, discountCents: o.discountCents, taxCents: o.taxCents, totalCents: o.totalCents, taxByRate: orderTaxes(p), balanceDueCents: o.pay.balanceDueCents };
  const tips = payments.reduce((s, x) => s + x.tipCents, 0);
  const change = payments.reduce((s, x) => s + x.changeCents, 0);
  const title = payments.length ? "Receipt" : "Guest check";
  const when = new Intl.DateTimeFormat("en-GB", { timeZone: p.timeZone, dateStyle: "medium", timeStyle: "short" }).format(o.createdAt);
  return (
    <Layout title={`${title} #${o.number}`} nonce={p.nonce} alpine={false} head={<><link rel="stylesheet" href="/public/css/payments.css" /><script src="/public/js/pay.js" defer></script></>}>
      <div class="receipt-tools no-print row">
        <button class="btn primary" type="button" data-print>Print</button>
        <a class="btn" href={`?${check ? `check=${check.id}&` : ""}size=80mm`}>80 mm</a>
        <a class="btn" href={`?${check ? `check=${check.id}&` : ""}size=a4`}>A4</a>
        <a class="btn" href={`/pos/orders/${o.id}/pay`}>Back</a>
      </div>
      <article class={`receipt size-${p.size}`} data-testid="receipt">
        <h1 safe>{p.restaurantName}</h1>
        <p class="center" safe>{`${title} · Order #${o.number}${check ? ` · ${check.label}` : ""}`}</p>
        <p class="center small" safe>{when}</p>
        <p class="center small" safe>{[o.tableLabel ? `Table ${o.tableLabel}` : "", o.guests ? `${o.guests} guests` : "", p.serverName ? `Server: ${p.serverName}` : ""].filter(Boolean).join(" · ")}</p>
        <table class="receipt-lines">
          <tbody>
            {lines.map(({ line, weight, of }) => {
              const unit = line.unitPriceCents + line.modifiers.reduce((s, m) => s + m.priceDeltaCents, 0);
              return (
                <>
                  <tr>
                    <td safe>{`${fraction(weight, of)}${line.quantity}× ${line.name}${line.modifiers.some((m) => !m.priceDeltaCents) ? ` (${line.modifiers.filter((m) => !m.priceDeltaCents).map((m) => m.name).join(", ")})` : ""}`}</td>
                    <td class="num" safe>{line.compedAt ? "COMP" : money(check ? check.lineCents[line.id] ?? 0 : unit * line.quantity, p.currency)}</td>
                  </tr>
                  {line.modifiers.filter((m) => m.priceDeltaCents).map((m) => <tr class="mod"><td safe>{`  ${m.name}`}</td><td class="num" safe>{money(m.priceDeltaCents * line.quantity, p.currency)}</td></tr>)}
                  {line.compedAt ? <tr class="mod"><td safe>{`  Comp: ${line.compReason ?? ""}`}</td><td class="num" safe>{money(-unit * line.quantity, p.currency)}</td></tr> : ""}
                </>
              );
            })}
          </tbody>
        </table>
        <table class="receipt-totals">
          <tbody>
            <tr><td>Subtotal</td><td class="num" safe>{money(totals.subtotalCents, p.currency)}</td></tr>
            {totals.discountCents ? <tr><td safe>{`Discount${o.discountReason ? ` (${o.discountReason})` : ""}`}</td><td class="num" safe>{money(-totals.discountCents, p.currency)}</td></tr> : ""}
            {totals.taxByRate.map((t) => <tr><td safe>{`Tax ${percentInputValue(t.rateBps)}%${p.taxInclusive ? " (included)" : ""}`}</td><td class="num" safe>{money(t.taxCents, p.currency)}</td></tr>)}
            <tr class="grand"><td>Total</td><td class="num" safe>{money(totals.totalCents, p.currency)}</td></tr>
            {payments.map((x) => (
              <>
                <tr><td safe>{`${tenderLabel({ ...x, tipCents: 0 }, p.currency)}${x.tenderedCents ? ` (handed ${money(x.tenderedCents, p.currency)})` : ""}`}</td><td class="num" safe>{money(x.amountCents, p.currency)}</td></tr>
                {x.refundedCents ? <tr><td>Refunded</td><td class="num" safe>{money(-x.refundedCents, p.currency)}</td></tr> : ""}
              </>
            ))}
            {payments.length ? <tr><td>Tip</td><td class="num" safe>{money(tips, p.currency)}</td></tr> : <tr class="write-in"><td>Tip</td><td class="num">__________</td></tr>}
            {change ? <tr><td>Change</td><td class="num" safe>{money(change, p.currency)}</td></tr> : ""}
            <tr class="grand"><td>Balance due</td><td class="num" safe>{money(Math.max(0, totals.balanceDueCents), p.currency)}</td></tr>
          </tbody>
        </table>
        <p class="center small">Thank you!</p>
      </article>
    </Layout>
  );
}

function orderTaxes(p: ReceiptProps) {
  const o = p.order;
  return taxByRate(o.lines.map((l) => ({
    unitPriceCents: l.unitPriceCents, quantity: l.quantity, taxRateBps: l.taxRateBps, modifierDeltasCents: l.modifiers.map((m) => m.priceDeltaCents), voided: !!l.voidedAt || !!l.compedAt,
  })), { taxInclusive: p.taxInclusive, discount: o.discountCents ? { kind: "amount", cents: o.discountCents } : null }).map((t) => ({ rateBps: t.rateBps, taxCents: t.taxCents }));
}
