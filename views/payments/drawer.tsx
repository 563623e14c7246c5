import { notesOf } from "../../src/payments/cash";
import type { DrawerReport } from "../../src/payments/drawers";
import { money, PosFrame } from "./parts";

/** Money going out, shown with a minus unless there is none ("-$0.00" reads like an error). */
const out = (cents: number, currency: string) => money(cents ? -cents : 0, currency);

export type DrawerPageProps = {
  nonce: string; restaurantName: string; staffName: string; currency: string; deviceName: string | null;
  report: DrawerReport | null; error?: string; errorField?: string; notice?: string;
};

function Err({ p, fields }: { p: DrawerPageProps; fields: string[] }) {
  return p.error && fields.includes(p.errorField ?? "") ? <p class="flash error" role="alert" safe>{p.error}</p> : "";
}

/** Float, cash taken, refunds, pay-ins and -outs, expected; with the count and over/short once closed. */
export function DrawerFigures({ report, currency }: { report: DrawerReport; currency: string }) {
  const f = report.figures;
  const d = report.drawer;
  const overShort = d.overShortCents ?? 0;
  return (
    <dl class="totals drawer-figures">
      <dt>Float</dt><dd safe>{money(f.floatCents, currency)}</dd>
      <dt>Cash taken (incl. tips)</dt><dd safe>{money(f.cashTakenCents, currency)}</dd>
      <dt>Cash refunded</dt><dd safe>{out(f.cashRefundedCents, currency)}</dd>
      <dt>Pay-ins</dt><dd safe>{money(f.payInsCents, currency)}</dd>
      <dt>Pay-outs</dt><dd safe>{out(f.payOutsCents, currency)}</dd>
      <dt class="total">Expected</dt><dd class="total" data-testid="expected" safe>{money(d.expectedCents ?? f.expectedCents, currency)}</dd>
      {d.status === "closed" ? (
        <>
          <dt>Counted</dt><dd safe>{money(d.countedCents ?? 0, currency)}</dd>
          <dt class="total">{overShort >= 0 ? "Over" : "Short"}</dt>
          <dd class={`total ${overShort === 0 ? "" : overShort > 0 ? "over" : "short"}`} data-testid="over-short" safe>{money(Math.abs(overShort), currency)}</dd>
        </>
      ) : ""}
      <dt>No-sale opens</dt><dd safe>{String(f.noSales)}</dd>
    </dl>
  );
}

export function DrawerActivity({ report, currency }: { report: DrawerReport; currency: string }) {
  const rows = [
    ...report.taken.map((t) => ({ at: t.createdAt, what: `Cash${t.status === "completed" ? "" : ` (${t.status.replace("_", " ")})`}${t.tipCents ? ` incl. tip ${money(t.tipCents, currency)}` : ""}`, amount: t.amountCents + t.tipCents, who: report.names.get(t.takenBy ?? "") ?? "" })),
    ...report.refunds.map((r) => ({ at: r.createdAt, what: `Refund: ${r.reason}`, amount: -r.amountCents, who: report.names.get(r.byUser ?? "") ?? "" })),
    ...report.movements.map((m) => ({ at: m.createdAt, what: `${m.kind === "pay_in" ? "Pay-in" : m.kind === "pay_out" ? "Pay-out" : "No sale"}${m.reason ? `: ${m.reason}` : ""}`, amount: m.kind === "pay_out" ? -m.amountCents : m.amountCents, who: report.names.get(m.byUser ?? "") ?? "" })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return (
    <table class="drawer-activity">
      <thead><tr><th>Time</th><th>What</th><th>By</th><th class="num">Amount</th></tr></thead>
      <tbody>
        {rows.map((r) => <tr><td safe>{r.at.toISOString().slice(11, 16)}</td><td safe>{r.what}</td><td safe>{r.who}</td><td class="num" safe>{money(r.amount, currency)}</td></tr>)}
      </tbody>
    </table>
  );
}

function CloseForm({ p, report }: { p: DrawerPageProps; report: DrawerReport }) {
  const coins = p.currency === "USD" ? [1, 5, 10, 25] : [];
  return (
    <form method="post" action={`/pos/drawer/${report.drawer.id}/close`} class="stack card">
      <h2>Close drawer</h2>
      <p class="muted">Count the drawer: by denomination, or type the total.</p>
      <div class="denominations">
        {[...notesOf(p.currency)].reverse().concat(coins.reverse()).map((v) => (
          <label class="denomination"><span safe>{money(v, p.currency)}</span><input type="number" name={`d-${v}`} min="0" step="1" inputmode="numeric" placeholder="0" /></label>
        ))}
      </div>
      <label>Or the counted total<input type="text" name="counted" inputmode="decimal" autocomplete="off" placeholder="e.g. 312.45" /></label>
      <label>Note<input type="text" name="note" maxlength="500" autocomplete="off" /></label>
      <Err p={p} fields={["countedCents", "denominations", "counted", "drawer"]} />
      <button class="btn danger big" type="submit">Count and close drawer</button>
    </form>
  );
}

export function DrawerPage(p: DrawerPageProps) {
  const r = p.report;
  return (
    <PosFrame title="Cash drawer" nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName} current="drawer">
      <main class="drawer-screen">
        <section class="card stack">
          <h1 safe>{`Cash drawer${p.deviceName ? ` · ${p.deviceName}` : ""}`}</h1>
          {p.notice ? <p class="flash" role="status" safe>{p.notice}</p> : ""}
          {p.error && !p.errorField ? <p class="flash error" role="alert" safe>{p.error}</p> : ""}
          {!p.deviceName ? <p class="flash error">A cash drawer belongs to a POS device: sign on at a POS with your PIN.</p>
            : !r ? (
              <form method="post" action="/pos/drawer/open" class="stack">
                <label>Counted float<input type="text" name="float" inputmode="decimal" autocomplete="off" required placeholder="e.g. 150.00" /></label>
                <Err p={p} fields={["floatCents", "float", "drawer"]} />
                <button class="btn primary big" type="submit">Open drawer</button>
              </form>
            ) : (
              <>
                <p class="muted" safe>{`Opened ${r.drawer.openedAt.toISOString().slice(0, 16).replace("T", " ")} UTC by ${r.names.get(r.drawer.openedBy ?? "") ?? "—"}`}</p>
                <DrawerFigures report={r} currency={p.currency} />
                <form method="post" action="/pos/drawer/movements" class="stack">
                  <div class="row">
                    <label class="tip-option"><input type="radio" name="kind" value="pay_in" checked /><span>Pay in</span></label>
                    <label class="tip-option"><input type="radio" name="kind" value="pay_out" /><span>Pay out</span></label>
                  </div>
                  <div class="row">
                    <label class="grow">Amount<input type="text" name="amount" inputmode="decimal" autocomplete="off" /></label>
                    <label class="grow">Reason<input type="text" name="reason" maxlength="200" autocomplete="off" /></label>
                  </div>
                  <Err p={p} fields={["amountCents", "amount", "reason", "kind"]} />
                  <button class="btn" type="submit">Record</button>
                </form>
                <form method="post" action="/pos/drawer/movements"><input type="hidden" name="kind" value="no_sale" /><button class="btn" type="submit">No sale (open drawer)</button></form>
              </>
            )}
        </section>
        {r ? <CloseForm p={p} report={r} /> : ""}
      </main>
    </PosFrame>
  );
}

/** A drawer's record: for the cashier right after close and for a manager's review. Read-only. */
export function DrawerReportPage(p: { nonce: string; restaurantName: string; staffName: string; currency: string; report: DrawerReport; deviceName: string }) {
  const d = p.report.drawer;
  return (
    <PosFrame title="Drawer report" nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName} current="drawer">
      <main class="drawer-screen">
        <section class="card stack">
          <h1 safe>{`Drawer · ${p.deviceName} · ${d.status === "open" ? "OPEN" : "CLOSED"}`}</h1>
          <p class="muted" safe>{`Opened ${d.openedAt.toISOString().slice(0, 16).replace("T", " ")} UTC${d.closedAt ? ` · closed ${d.closedAt.toISOString().slice(0, 16).replace("T", " ")} UTC by ${p.report.names.get(d.closedBy ?? "") ?? "—"}` : ""}`}</p>
          <DrawerFigures report={p.report} currency={p.currency} />
          {d.closeNote ? <p safe>{`Note: ${d.closeNote}`}</p> : ""}
        </section>
        <section class="card"><h2>Activity</h2><DrawerActivity report={p.report} currency={p.currency} /></section>
      </main>
    </PosFrame>
  );
}

export function DrawerListPage(p: { nonce: string; restaurantName: string; staffName: string; currency: string; reports: DrawerReport[]; deviceNames: Map<string, string> }) {
  return (
    <PosFrame title="Drawers" nonce={p.nonce} restaurantName={p.restaurantName} staffName={p.staffName} current="drawer">
      <main class="wide">
        <h1>Cash drawers</h1>
        <table>
          <thead><tr><th>Device</th><th>Opened</th><th>Status</th><th class="num">Expected</th><th class="num">Counted</th><th class="num">Over/short</th></tr></thead>
          <tbody>
            {p.reports.map((r) => (
              <tr>
                <td><a href={`/pos/drawer/${r.drawer.id}`} safe>{p.deviceNames.get(r.drawer.deviceId) ?? "POS"}</a></td>
                <td safe>{r.drawer.openedAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                <td safe>{r.drawer.status.toUpperCase()}</td>
                <td class="num" safe>{money(r.drawer.expectedCents ?? r.figures.expectedCents, p.currency)}</td>
                <td class="num" safe>{r.drawer.countedCents === null ? "—" : money(r.drawer.countedCents, p.currency)}</td>
                <td class="num" safe>{r.drawer.overShortCents === null ? "—" : money(r.drawer.overShortCents, p.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </PosFrame>
  );
}
