import { AdminShell } from "../admin/shell";
import type { ConnectionSummary } from "../../src/square/connection";

export type SquareSettingsProps = {
  nonce: string; restaurantName: string; userName: string; connection: ConnectionSummary | null;
  /** Where Square should send webhooks for this restaurant (the owner registers it at Square). */
  suggestedUrl: string; flash?: string; error?: string; errorField?: string;
};

function Err({ p, field }: { p: SquareSettingsProps; field: string }) {
  return p.error && p.errorField === field ? <p class="flash error" role="alert" safe>{p.error}</p> : "";
}

/** The owner connects Square: token, location, webhook key, sandbox or production; then pairs a Terminal. */
export function SquareSettingsPage(p: SquareSettingsProps) {
  const c = p.connection;
  return (
    <AdminShell nonce={p.nonce} title="Card payments (Square)" section="settings" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash ?? (p.error && !p.errorField ? p.error : undefined)} flashKind={p.error ? "error" : "ok"}>
      <p class="muted">{c ? `Connected to Square ${c.environment} at location ${c.locationId}.` : "Not connected: card payments are not offered until an owner connects Square."}</p>
      <form method="post" action="/admin/square" class="card stack">
        <div class="field"><label for="environment">Square environment</label>
          <select id="environment" name="environment">
            <option value="sandbox" selected={c?.environment !== "production"}>Sandbox (test cards, no real money)</option>
            <option value="production" selected={c?.environment === "production"}>Production</option>
          </select>
        </div>
        <div class="field"><label for="accessToken">Access token</label>
          <input id="accessToken" name="accessToken" type="password" autocomplete="off" placeholder={c ? "Stored sealed; leave blank to keep it" : "From the Square Developer Console, Credentials"} />
          <Err p={p} field="accessToken" />
        </div>
        <div class="field"><label for="locationId">Location id</label>
          <input id="locationId" name="locationId" value={c?.locationId ?? ""} autocomplete="off" />
          <Err p={p} field="locationId" />
        </div>
        <div class="field"><label for="signatureKey">Webhook signature key</label>
          <input id="signatureKey" name="signatureKey" type="password" autocomplete="off" placeholder={c?.hasSignatureKey ? "Stored sealed; leave blank to keep it" : "From the webhook subscription"} />
          <Err p={p} field="signatureKey" />
        </div>
        <div class="field"><label for="notificationUrl">Webhook notification URL (exactly as registered at Square)</label>
          <input id="notificationUrl" name="notificationUrl" value={c?.notificationUrl ?? p.suggestedUrl} autocomplete="off" />
          <Err p={p} field="notificationUrl" />
        </div>
        <Err p={p} field="environment" />
        <div class="row"><button class="btn primary" type="submit">{c ? "Save" : "Connect Square"}</button></div>
      </form>
      {c ? (
        <section class="card stack">
          <h2>Square Terminal</h2>
          {c.deviceId ? <p data-testid="paired" safe>{`Paired: Terminal ${c.deviceId}`}</p> : <p class="muted">No Terminal paired yet.</p>}
          {c.deviceCode ? <p>Type this code on the Terminal (Sign in, Use a device code): <strong class="device-code" data-testid="device-code" safe>{c.deviceCode}</strong></p> : ""}
          <div class="row">
            <form method="post" action="/admin/square/pair"><button class="btn" type="submit">{c.deviceId ? "Pair another Terminal" : "Pair a Terminal"}</button></form>
            {c.deviceCode ? <form method="post" action="/admin/square/pair/check"><button class="btn" type="submit">Check pairing</button></form> : ""}
          </div>
        </section>
      ) : ""}
      {c ? (
        <section class="card stack">
          <h2>Reconcile</h2>
          <form method="get" action="/admin/square/reconcile" class="row">
            <label>Business day <input type="date" name="date" /></label>
            <button class="btn" type="submit">Compare with Square</button>
          </form>
          <form method="post" action="/admin/square/disconnect"><button class="btn danger small" type="submit">Disconnect Square</button></form>
        </section>
      ) : ""}
    </AdminShell>
  );
}
