import { priceInputValue, roundDiv } from "../../src/money";
import { preTaxCents } from "../../src/payments/checks";
import { notesOf, quickCash } from "../../src/payments/cash";
import type { CheckView, PayableOrder } from "../../src/payments/service";
import type { PaymentRow } from "../../src/payments/queries";
import { CheckSummary, money, PosFrame, tipLabel } from "./parts";

export type PayPageProps = {
  nonce: string; restaurantName: string; staffName: string; currency: string; taxInclusive: boolean;
  order: PayableOrder; checkId: string | null; tipPresetsBps: number[]; formKey: string;
  drawerOpen: boolean; onDevice: boolean; error?: string; errorField?: string; paid?: PaymentRow | null;
  can: { comp: boolean; reopen: boolean; leaveUnpaid: boolean };
  /** The event seq the page was rendered at: the live stream resumes after it. */
  lastSeq: number;
  /** Square is connected: the card tender is offered (src/square/). */
  cardOffered?: boolean;
};

/** The check being paid: the one chosen, or the first with money due, or the whole order when not split. */
export function chosenCheck(order: PayableOrder, checkId: string | null): CheckView | null {
  const checks = order.pay.checks;
  if (!checks.length) return null;
  return checks.find((c) => c.id === checkId) ?? checks.find((c) => c.balanceDueCents > 0) ?? checks[0]!;
}

function ErrorFor({ p, field }: { p: PayPageProps; field: string | string[] }) {
  const fields = [field].flat();
  return p.error && p.errorField && fields.includes(p.errorField) ? <p class="flash error" role="alert" safe>{p.error}</p> : "";
}

function Checks({ p, current }: { p: PayPageProps; current: CheckView | null }) {
  if (!p.order.pay.checks.length) return "";
  return (
    <nav class="check-tabs" aria-label="Checks">
      {p.order.pay.checks.map((c) => (
        <a class={`check-tab${current?.id === c.id ? " current" : ""}${c.balanceDueCents <= 0 ? " settled" : ""}`} href={`/pos/orders/${p.order.id}/pay?check=${c.id}`}>
          <strong safe>{c.label}</strong>
          <span safe>{c.balanceDueCents <= 0 ? "Paid" : money(c.balanceDueCents, p.currency)}</span>
        </a>
      ))}
    </nav>
  );
}

/** Cash: the amount applied, a tip (presets of the pre-tax subtotal or an amount), quick tendered buttons. */
function CashForm({ p, check }: { p: PayPageProps; check: CheckView | null }) {
  const due = check ? check.balanceDueCents : p.order.pay.balanceDueCents;
  const base = check ? preTaxCents(check, p.taxInclusive) : preTaxCents(p.order, p.taxInclusive);
  const action = `/pos/orders/${p.order.id}/pay`;
  return (
    <form method="post" action={action} class="cash-form stack" data-cash-form data-due={String(due)} data-currency={p.currency} data-notes={JSON.stringify(notesOf(p.currency))}>
      <input type="hidden" name="formKey" value={p.formKey} />
      {check ? <input type="hidden" name="checkId" value={check.id} /> : ""}
      <p class="muted small tip-hint" safe>{`Tip, as a share of ${money(base, p.currency)} before tax`}</p>
      <div class="tip-choice">
        <label class="tip-option"><input type="radio" name="tipPreset" value="0" checked data-tip="0" /><span>No tip</span></label>
        {p.tipPresetsBps.map((bps) => {
          const tip = roundDiv(Math.max(base, 0) * bps, 10_000);
          return <label class="tip-option"><input type="radio" name="tipPreset" value={String(bps)} data-tip={String(tip)} /><span safe>{`${tipLabel(bps)} · ${money(tip, p.currency)}`}</span></label>;
        })}
      </div>
      <div class="amount-row">
        <label>Amount to pay<input type="text" name="amount" inputmode="decimal" autocomplete="off" value={priceInputValue(due, p.currency)} data-amount /></label>
        <label>Or a tip amount<input type="text" name="tipAmount" inputmode="decimal" autocomplete="off" placeholder="0.00" data-tip-amount /></label>
      </div>
      <ErrorFor p={p} field={["amount", "amountCents", "tipAmount", "tipCents"]} />
      <div class="quick-cash" data-quick>
        <button class="btn primary cash-btn" type="submit" name="tendered" value="exact" data-exact safe>{`Exact ${money(due, p.currency)}`}</button>
        {quickCash(due, p.currency).map((v) => <button class="btn cash-btn" type="submit" name="tendered" value={String(v)} data-note safe>{money(v, p.currency)}</button>)}
      </div>
      <div class="row">
        <label class="grow">Cash handed over<input type="text" name="tenderedOther" inputmode="decimal" autocomplete="off" placeholder="e.g. 40.00" data-tendered /></label>
        <button class="btn primary" type="submit" name="tendered" value="other">Take cash</button>
      </div>
      <p class="change-preview muted" data-change-preview aria-live="polite"></p>
      <ErrorFor p={p} field={["tendered", "tenderedCents", "tenderedOther", "drawer", "idempotencyKey"]} />
    </form>
  );
}

function SplitPanel({ p }: { p: PayPageProps }) {
  const base = `/pos/orders/${p.order.id}`;
  const taken = p.order.pay.payments.some((x) => x.status !== "voided" && x.status !== "failed");
  if (taken) return "";
  const live = p.order.lines.filter((l) => !l.voidedAt);
  return (
    <details class="card split-panel" open={p.errorField === "split" || p.errorField === "weights" ? true : undefined}>
      <summary class="btn">Split check…</summary>
      <ErrorFor p={p} field={["split", "weights", "guests"]} />
      <div class="split-forms">
        <form method="post" action={`${base}/split`} class="row">
          <input type="hidden" name="kind" value="even" />
          <label class="grow">Guests<input type="number" name="guests" min="2" max="20" value={String(Math.max(2, p.order.guests ?? 2))} inputmode="numeric" /></label>
          <button class="btn" type="submit">Split evenly</button>
        </form>
        <form method="post" action={`${base}/split`}><input type="hidden" name="kind" value="seat" /><button class="btn" type="submit">Split by seat</button></form>
        <form method="post" action={`${base}/split`} class="stack">
          <input type="hidden" name="kind" value="lines" />
          <p class="muted small">Move items to a new check:</p>
          {live.map((l) => <label class="check-line"><input type="checkbox" name="lineIds" value={l.id} /><span safe>{`${l.quantity}× ${l.name}${l.seat ? ` (seat ${l.seat})` : ""}`}</span></label>)}
          <button class="btn" type="submit">Move to new check</button>
        </form>
        {p.order.pay.checks.length ? (
          <>
            <form method="post" action={`${base}/split/share`} class="stack">
              <label>Share an item<select name="lineId">{live.map((l) => <option value={l.id} safe>{l.name}</option>)}</select></label>
              <label>Shares per check (e.g. 1,2 for a third and two thirds)<input type="text" name="weights" placeholder={p.order.pay.checks.map(() => "1").join(",")} autocomplete="off" /></label>
              <button class="btn" type="submit">Share</button>
            </form>
            <form method="post" action={`${base}/unsplit`}><button class="btn small" type="submit">Undo split</button></form>
          </>
        ) : ""}
      </div>
    </details>
  );
}

function CompForm({ orderId, lineId, canComp }: { orderId: string; lineId: string; canComp: boolean }) {
  return (
    <details class="comp">
      <summary class="btn small">Comp…</summary>
      <form method="post" action={`/pos/orders/${orderId}/lines/${lineId}/comp`} class="stack">
        <label>Reason<input type="text" name="reason" required maxlength="200" autocomplete="off" /></label>
        {canComp ? "" : <label>Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label>}
        <button class="btn" type="submit">Comp item</button>
      </form>
    </details>
  );
}

/** The check's left half, for the full page and the live fragment alike (comps only while the check is open). */
export function PaySummary({ order, currency, canComp }: { order: PayableOrder; currency: string; canComp: boolean }) {
  const open = order.status !== "cancelled" && (order.pay.paymentStatus !== "paid" || order.pay.balanceDueCents > 0 || !!order.reopenedAt);
  return <CheckSummary order={order} currency={currency} comp={open ? (lineId) => <CompForm orderId={order.id} lineId={lineId} canComp={canComp} /> : undefined} />;
}

function Settled({ p }: { p: PayPageProps }) {
  const o = p.order;
  return (
    <div class="stack">
      <p class="paid-banner" role="status">Paid in full</p>
      <a class="btn primary big" href={`/pos/orders/${o.id}/receipt`}>Print receipt</a>
      {/* Payment never moves the kitchen: the order closes once it is ready (served), not while it cooks. */}
      {o.status === "ready" ? <ManagerForm p={p} path="complete" label="Close order" need={true} /> : o.status !== "completed" ? <p class="muted" safe>{`The kitchen still has it (${o.status}); it closes when served.`}</p> : ""}
      <a class="btn big" href="/pos">New order</a>
    </div>
  );
}

function ManagerForm({ p, path, label, need, reason, pin }: { p: PayPageProps; path: string; label: string; need: boolean; reason?: boolean; pin?: boolean }) {
  if (!need) return "";
  return (
    <form method="post" action={`/pos/orders/${p.order.id}/${path}`} class="stack">
      {reason ? <label>Reason<input type="text" name="reason" required maxlength="200" autocomplete="off" /></label> : ""}
      {pin ? <label>Manager PIN<input type="password" name="managerPin" required inputmode="numeric" pattern="[0-9]{4,6}" autocomplete="off" /></label> : ""}
      <button class="btn big" type="submit" safe>{label}</button>
    </form>
  );
}

const CASH_FIELDS = ["amount", "amountCents", "tipAmount", "tipCents", "tendered", "tenderedCents", "tenderedOther", "drawer", "idempotencyKey"];
const SPLIT_FIELDS = ["split", "weights", "guests"];

/** Fields whose refusal shows next to its own form; every other refusal shows at the top of the pay panel. */
function shownElsewhere(p: PayPageProps, due: number, paidInFull: boolean, editable: boolean): string[] {
  const cash = p.order.status !== "cancelled" && !paidInFull && due > 0 && p.onDevice && p.drawerOpen;
  const split = p.order.status !== "cancelled" && editable && !p.order.pay.payments.some((x) => x.status !== "voided" && x.status !== "failed");
  return [...(cash ? CASH_FIELDS : []), ...(split ? SPLIT_FIELDS : [])];
}

export function PayPage(p: PayPageProps) {
  const o = p.order;
  const check = chosenCheck(o, p.checkId);
  const due = check ? check.balanceDueCents : o.pay.balanceDueCents;
  const paidInFull = o.pay.balanceDueCents <= 0 && o.pay.paymentStatus === "paid";
  const editable = !paidInFull || !!o.reopenedAt;
  return (
    <PosFrame title={`Pay #${o.number}`} nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName}>
      <main class="pay-screen" data-live={`/pos/orders/${o.id}/pay/stream`} data-seq={String(p.lastSeq)}>
        <div class="pay-left stack">
          <PaySummary order={o} currency={p.currency} canComp={p.can.comp} />
          {o.status !== "cancelled" && editable ? <SplitPanel p={p} /> : ""}
        </div>
        <section class="card pay-panel stack" id="pay-panel">
          {p.error && !shownElsewhere(p, due, paidInFull, editable).includes(p.errorField ?? "") ? <p class="flash error" role="alert" safe>{p.error}</p> : ""}
          {p.paid ? (
            <div class="change-due" role="status">
              <span>Change due</span>
              <strong data-testid="change-due" safe>{money(p.paid.changeCents, p.currency)}</strong>
              <span class="muted" safe>{`Paid ${money(p.paid.amountCents, p.currency)}${p.paid.tipCents ? ` + tip ${money(p.paid.tipCents, p.currency)}` : ""} · handed ${money(p.paid.tenderedCents ?? 0, p.currency)}`}</span>
            </div>
          ) : ""}
          <Checks p={p} current={check} />
          {o.status === "cancelled" ? <p class="flash">This order is cancelled.</p>
            : paidInFull ? <Settled p={p} />
            : (
              <>
                <h2 safe>{`${check ? `${check.label}: ` : ""}${money(due, p.currency)} due`}</h2>
                {due <= 0 ? <p class="flash">This check is paid. Choose another check above.</p>
                  : !p.onDevice ? <p class="flash error">Cash is taken at a POS with an open drawer: sign on at a POS.</p>
                  : !p.drawerOpen ? <p class="flash error">Open the cash drawer first. <a href="/pos/drawer">Open drawer</a></p>
                  : <CashForm p={p} check={check} />}
                {due > 0 && p.cardOffered ? <a class="btn primary" data-testid="pay-by-card" href={`/pos/orders/${o.id}/card${check ? `?check=${check.id}` : ""}`}>Card (Square Terminal)</a> : ""}
                <div class="row pay-actions">
                  <a class="btn" href={`/pos/orders/${o.id}/receipt${check ? `?check=${check.id}` : ""}`}>Guest check</a>
                  <a class="btn" href={`/pos?order=${o.id}`}>Back to ticket</a>
                </div>
                <details>
                  <summary class="btn small">Leave unpaid…</summary>
                  <ManagerForm p={p} path="unpaid" label="Leave unpaid (house account)" need={p.can.leaveUnpaid} reason={true} />
                  {p.can.leaveUnpaid ? "" : <p class="muted small">A manager must do this.</p>}
                </details>
                {o.unpaidReason && o.status === "ready" ? <ManagerForm p={p} path="complete" label="Close order unpaid" need={true} /> : ""}
              </>
            )}
          {paidInFull && o.pay.payments.some((x) => x.tender === "card") ? <a class="btn" data-testid="card-payments" href={`/pos/orders/${o.id}/card`}>Card payments (refund)</a> : ""}
          {paidInFull && !o.reopenedAt ? (
            <details>
              <summary class="btn small">Reopen check…</summary>
              <ManagerForm p={p} path="reopen" label="Reopen check" need={true} reason={true} pin={!p.can.reopen} />
            </details>
          ) : ""}
          {paidInFull || o.status === "cancelled" ? <a class="btn" href={`/pos?order=${o.id}`}>Back to ticket</a> : ""}
        </section>
      </main>
    </PosFrame>
  );
}
