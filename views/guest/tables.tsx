import { AdminShell } from "../admin/shell";
import type { GuestSettings, GuestTable } from "../../src/guest/service";

export type TablesPageProps = {
  nonce: string; restaurantName: string; userName: string; tables: (GuestTable & { qr: string; url: string })[];
  settings: GuestSettings; flash?: string; errors?: Record<string, string>; label?: string;
};

/** Managers: the tables guests order from, their QR codes (printable), rotation, and the guest rules. */
export function TablesPage(p: TablesPageProps) {
  const e = p.errors ?? {};
  return (
    <AdminShell nonce={p.nonce} title="Guest ordering: tables and QR codes" section="stations" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash ?? e.form} flashKind={e.form ? "error" : "ok"}>
      <link rel="stylesheet" href="/public/css/guest.css" />
      <script src="/public/js/print.js" nonce={p.nonce} defer></script>
      <section class="card stack no-print" aria-labelledby="rules-h">
        <h2 id="rules-h">Rules</h2>
        <form method="post" action="/admin/tables/settings" class="stack">
          <label><input type="checkbox" name="fireBeforePayment" checked={p.settings.fireBeforePayment} /> Kiosk "pay at the counter" orders go to the kitchen before they are paid</label>
          <label><input type="checkbox" name="confirmTableRounds" checked={p.settings.confirmTableRounds} /> A server confirms each round ordered from a table's QR code before it goes to the kitchen</label>
          <button class="btn" type="submit">Save rules</button>
        </form>
      </section>
      <section class="card stack no-print" aria-labelledby="add-h">
        <h2 id="add-h">Add a table</h2>
        <form method="post" action="/admin/tables" class="row">
          <label for="table-label">Table label, as the POS names it</label>
          <input id="table-label" name="label" maxlength="20" required value={p.label ?? ""} aria-invalid={e.label ? "true" : undefined} aria-describedby={e.label ? "table-label-error" : undefined} />
          <button class="btn primary" type="submit">Add table</button>
        </form>
        {e.label ? <p class="field-error" id="table-label-error" role="alert" safe>{e.label}</p> : ""}
      </section>
      <p class="no-print"><button class="btn" type="button" data-print>Print all QR codes</button> Each code opens that table's menu on a guest's phone.</p>
      <ul class="qr-sheet">
        {p.tables.map((t) => (
          <li class={`qr-card${t.open ? "" : " closed"}`}>
            <h2 safe>{`Table ${t.label}`}</h2>
            <img src={t.qr} alt={`QR code for table ${t.label}`} width="220" height="220" />
            <p class="qr-hint">Scan to order from your phone</p>
            <p class="no-print muted">{t.open ? "Open for guest orders" : "Closed: its code shows a notice"}</p>
            <div class="row no-print">
              <form method="post" action={`/admin/tables/${t.id}/rotate`}><button class="btn small" type="submit">New code (old one stops working)</button></form>
              <form method="post" action={`/admin/tables/${t.id}/open`}>
                <input type="hidden" name="open" value={t.open ? "false" : "true"} />
                <button class="btn small" type="submit">{t.open ? "Close ordering" : "Open ordering"}</button>
              </form>
            </div>
          </li>
        ))}
      </ul>
      {p.tables.length ? "" : <p>No tables yet. Add one above.</p>}
    </AdminShell>
  );
}
