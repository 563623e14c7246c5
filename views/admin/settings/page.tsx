import { AdminShell } from "../shell";
import { describedBy, FieldError, Flash } from "../../auth/form";
import { percentInputValue } from "../../../src/money";

export type SettingsValues = {
  name: string; timeZone: string; dayStartsAtHour: string; taxRate: string; taxInclusive: string;
  warnAfter: string; lateAfter: string; criticalAfter: string; stationNames: Record<string, string>;
};

export type SettingsPageProps = {
  nonce: string; restaurantName: string; userName: string; currency: string;
  values: SettingsValues;
  stations: { id: string; name: string; slug: string; active: boolean }[];
  errors?: Record<string, string>;
  flash?: string;
};

/** What the form shows for a restaurant row, before anyone typed anything. */
export function settingsValues(r: { name: string; timeZone: string; dayStartsAtHour: number; taxRateBps: number; taxInclusive: boolean; ageThresholds: number[] }, stations: { id: string; name: string }[]): SettingsValues {
  const [warn, late, critical] = r.ageThresholds;
  return {
    name: r.name, timeZone: r.timeZone, dayStartsAtHour: String(r.dayStartsAtHour), taxRate: percentInputValue(r.taxRateBps),
    taxInclusive: r.taxInclusive ? "inclusive" : "exclusive", warnAfter: String(warn), lateAfter: String(late), criticalAfter: String(critical),
    stationNames: Object.fromEntries(stations.map((s) => [s.id, s.name])),
  };
}

const ZONES: string[] = Intl.supportedValuesOf("timeZone");
const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;

function Field(p: { id: string; name: string; label: string; value: string; error?: string; hint?: string; type?: string; inputmode?: "numeric" | "decimal"; maxlength?: number; class?: string }) {
  return (
    <div class={`field ${p.class ?? ""}`}>
      <label for={p.id} safe>{p.label}</label>
      <input id={p.id} name={p.name} type={p.type ?? "text"} value={p.value} inputmode={p.inputmode} maxlength={p.maxlength} autocomplete="off" {...describedBy(p.id, { hint: !!p.hint, error: p.error })} />
      {p.hint ? <p class="muted hint" id={`${p.id}-hint`} safe>{p.hint}</p> : ""}
      <FieldError id={p.id} message={p.error} />
    </div>
  );
}

/** The restaurant's settings: one form, saved all or nothing; every refusal shown at its field. */
export function SettingsPage(p: SettingsPageProps) {
  const e = p.errors ?? {};
  const v = p.values;
  const zones = ZONES.includes(v.timeZone) || !v.timeZone ? ZONES : [v.timeZone, ...ZONES];
  return (
    <AdminShell nonce={p.nonce} title="Settings" section="settings" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash}>
      {Object.keys(e).length ? <Flash kind="error" message={`Nothing was saved: ${Object.keys(e).length === 1 ? "one field needs" : `${Object.keys(e).length} fields need`} a change (marked below).`} /> : ""}
      <form class="stack settings-form" method="post" action="/admin/settings" novalidate>
        <fieldset class="card stack">
          <legend>Restaurant</legend>
          <Field id="name" name="name" label="Name" value={v.name} error={e.name} maxlength={120} hint="Shown on every screen and on the guests' order-ready board." />
          <div class="field">
            <label for="timeZone">Time zone</label>
            <select id="timeZone" name="timeZone" {...describedBy("timeZone", { hint: true, error: e.timeZone })}>
              {zones.map((z) => <option value={z} selected={z === v.timeZone} safe>{z}</option>)}
            </select>
            <p class="muted hint" id="timeZone-hint">Times on tickets, reports and the audit log are shown in it.</p>
            <FieldError id="timeZone" message={e.timeZone} />
          </div>
          <div class="field">
            <label for="dayStartsAtHour">Business day starts at</label>
            <select id="dayStartsAtHour" name="dayStartsAtHour" {...describedBy("dayStartsAtHour", { hint: true, error: e.dayStartsAtHour })}>
              {Array.from({ length: 24 }, (_, h) => <option value={String(h)} selected={String(h) === v.dayStartsAtHour} safe>{hourLabel(h)}</option>)}
            </select>
            <p class="muted hint" id="dayStartsAtHour-hint">Order numbers start again at 1 then; a late night still counts as the day before.</p>
            <FieldError id="dayStartsAtHour" message={e.dayStartsAtHour} />
          </div>
        </fieldset>
        <fieldset class="card stack">
          <legend>Tax</legend>
          <Field id="taxRate" name="taxRate" label="Default tax rate (%)" value={v.taxRate} error={e.taxRate} inputmode="decimal" maxlength={6} class="narrow-field" hint="Used by every item without a tax category of its own, like 8.25." />
          <div class="field radio-list" role="radiogroup" aria-labelledby="taxInclusive-label" {...describedBy("taxInclusive", { error: e.taxInclusive })}>
            <p id="taxInclusive-label"><strong safe>{`Menu prices (${p.currency})`}</strong></p>
            <label class="checkbox"><input type="radio" name="taxInclusive" value="exclusive" checked={v.taxInclusive === "exclusive"} /> <span>Tax is added on top of menu prices</span></label>
            <label class="checkbox"><input type="radio" name="taxInclusive" value="inclusive" checked={v.taxInclusive === "inclusive"} /> <span>Menu prices already include tax</span></label>
            <FieldError id="taxInclusive" message={e.taxInclusive} />
          </div>
          <p class="muted hint">New orders use these; orders already taken keep theirs. Named rates (drinks, alcohol) are under <a href="/admin/menu/taxes">Menu › Tax &amp; pricing</a>.</p>
        </fieldset>
        <fieldset class="card stack">
          <legend>Ticket ageing (minutes)</legend>
          <p class="muted hint">A kitchen ticket turns amber, orange, then red as it waits.</p>
          <div class="threshold-fields">
            <Field id="warnAfter" name="warnAfter" label="Warning after" value={v.warnAfter} error={e.warnAfter} inputmode="numeric" maxlength={3} />
            <Field id="lateAfter" name="lateAfter" label="Late after" value={v.lateAfter} error={e.lateAfter} inputmode="numeric" maxlength={3} />
            <Field id="criticalAfter" name="criticalAfter" label="Critical after" value={v.criticalAfter} error={e.criticalAfter} inputmode="numeric" maxlength={3} />
          </div>
        </fieldset>
        <fieldset class="card stack">
          <legend>Kitchen stations</legend>
          {p.stations.length ? (
            <ul class="settings-stations" role="list">
              {p.stations.map((s) => (
                <li>
                  <Field id={`station-${s.id}`} name={`station-${s.id}`} label={`${s.active ? "Station" : "Station (inactive)"}: ${s.slug}`} value={v.stationNames[s.id] ?? s.name} error={e[`station-${s.id}`]} maxlength={40} />
                </li>
              ))}
            </ul>
          ) : <p class="muted">No kitchen stations yet.</p>}
          <p class="muted hint">Add or deactivate stations under <a href="/admin/stations">Stations &amp; devices</a>.</p>
        </fieldset>
        <div><button class="btn primary" type="submit">Save settings</button></div>
      </form>
      <p class="muted">Card payments: <a href="/admin/square">Square connection and Terminal</a> (owners).</p>
    </AdminShell>
  );
}
