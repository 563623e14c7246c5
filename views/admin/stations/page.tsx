import { AdminShell } from "../shell";
import { describedBy, FieldError, Flash, type FieldErrors } from "../../auth/form";
import { ago, localTime } from "../../auth/format";
import { DEVICE_KIND_LABELS, type DeviceKind } from "../../auth/station";

export type StationRow = { id: string; name: string; slug: string; active: boolean };
export type DeviceRowData = {
  id: string; name: string; kind: DeviceKind; pinless: boolean; stationName: string | null; enrolledBy: string | null;
  lastSeenAt: Date | null; revokedAt: Date | null; createdAt: Date;
  /** Minutes left on a wrong-PIN lock, null when the station is not locked. */
  lockedMinutes?: number | null;
};
export type EnrolValues = { name?: string; kind?: string; stationId?: string; pinless?: boolean };

export type StationsPageProps = {
  nonce: string; restaurantName: string; userName: string; timeZone: string;
  stations: StationRow[]; devices: DeviceRowData[];
  /** The device this very browser is, if it is one. */
  thisDeviceId: string | null;
  stationErrors?: FieldErrors; stationName?: string;
  enrolErrors?: FieldErrors; enrol?: EnrolValues;
  flash?: string; flashKind?: "ok" | "error";
};

export function StationsPage(p: StationsPageProps) {
  return (
    <AdminShell nonce={p.nonce} title="Stations & devices" section="stations" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash} flashKind={p.flashKind}>
      <EnrolForm stations={p.stations} errors={p.enrolErrors} values={p.enrol} thisDevice={p.devices.find((d) => d.id === p.thisDeviceId && !d.revokedAt) ?? null} />
      <DevicesTable devices={p.devices} timeZone={p.timeZone} thisDeviceId={p.thisDeviceId} />
      <StationsSection stations={p.stations} errors={p.stationErrors} name={p.stationName} />
    </AdminShell>
  );
}

function EnrolForm(p: { stations: StationRow[]; errors?: FieldErrors; values?: EnrolValues; thisDevice: DeviceRowData | null }) {
  const e = p.errors ?? {};
  const v = p.values ?? {};
  const active = p.stations.filter((s) => s.active);
  return (
    <section class="card stack admin-form" aria-labelledby="enrol-title">
      <h2 id="enrol-title">Enrol this browser as a station</h2>
      <p class="muted">Do this on the tablet or screen itself. It keeps a long-lived, revocable key in this browser and signs you out here; staff then sign on with their PIN.</p>
      {p.thisDevice ? <p class="flash">This browser is already the station <strong safe>{p.thisDevice.name}</strong>. Enrolling again replaces it.</p> : ""}
      <Flash message={e.form} kind="error" />
      <form class="stack" method="post" action="/admin/devices" novalidate>
        <label for="device-name">Screen name</label>
        <input id="device-name" name="name" required maxlength="60" placeholder="Front POS" value={v.name ?? ""} {...describedBy("device-name", { error: e.name })} />
        <FieldError id="device-name" message={e.name} />
        <label for="device-kind">This screen is a</label>
        <select id="device-kind" name="kind" {...describedBy("device-kind", { error: e.kind })}>
          {(Object.keys(DEVICE_KIND_LABELS) as DeviceKind[]).map((k) => <option value={k} selected={v.kind === k}>{DEVICE_KIND_LABELS[k]}</option>)}
        </select>
        <FieldError id="device-kind" message={e.kind} />
        <label for="device-station">Kitchen station (for a kitchen display)</label>
        <select id="device-station" name="stationId" {...describedBy("device-station", { hint: true, error: e.stationId })}>
          <option value="">—</option>
          {active.map((s) => <option value={s.id} selected={v.stationId === s.id} safe>{s.name}</option>)}
        </select>
        <p class="muted hint" id="device-station-hint">{active.length ? "A kitchen display shows the tickets of one station." : "Add a kitchen station below first."}</p>
        <FieldError id="device-station" message={e.stationId} />
        <label class="choice"><input type="checkbox" name="pinless" value="on" checked={!!v.pinless} {...describedBy("device-pinless", { hint: true, error: e.pinless })} /> Runs without a PIN</label>
        <p class="muted hint" id="device-pinless-hint">Kitchen, expo and ready-board screens only: anyone there can view and bump tickets, nothing more.</p>
        <FieldError id="device-pinless" message={e.pinless} />
        <button class="btn primary" type="submit">Enrol this browser</button>
      </form>
    </section>
  );
}

function DevicesTable(p: { devices: DeviceRowData[]; timeZone: string; thisDeviceId: string | null }) {
  return (
    <section class="stack" aria-labelledby="devices-title">
      <h2 id="devices-title">Devices</h2>
      {p.devices.length === 0 ? <p class="muted">No station has been enrolled yet.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Name</th><th>Screen</th><th>PIN</th><th>Last seen</th><th>Enrolled</th><th>Status</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>{p.devices.map((d) => <DeviceRow device={d} timeZone={p.timeZone} isThis={d.id === p.thisDeviceId} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One device row, for the full page and for the fragment htmx swaps in after a revoke. */
export function DeviceRow(p: { device: DeviceRowData; timeZone: string; isThis?: boolean }) {
  const d = p.device;
  const screen = [DEVICE_KIND_LABELS[d.kind], d.stationName].filter(Boolean).join(" · ");
  return (
    <tr id={`device-${d.id}`}>
      <td><strong safe>{d.name}</strong>{p.isThis ? <span class="badge">this browser</span> : ""}</td>
      <td safe>{screen}</td>
      <td>{d.pinless ? "Not needed" : "Required"}</td>
      <td title={localTime(d.lastSeenAt, p.timeZone)} safe>{ago(d.lastSeenAt)}</td>
      <td><span safe>{localTime(d.createdAt, p.timeZone)}</span>{d.enrolledBy ? <div class="muted" safe>{`by ${d.enrolledBy}`}</div> : ""}</td>
      <td>
        {d.revokedAt ? <span class="badge crit" safe>{`Revoked ${localTime(d.revokedAt, p.timeZone)}`}</span> : <span class="badge ok">Active</span>}
        {d.lockedMinutes ? <span class="badge crit" safe>{`Locked: wrong PINs, ${d.lockedMinutes} min left`}</span> : ""}
      </td>
      <td><div class="actions">
        {d.lockedMinutes ? (
          <form method="post" action={`/admin/devices/${d.id}/unlock`} hx-post={`/admin/devices/${d.id}/unlock`} hx-target={`#device-${d.id}`} hx-swap="outerHTML">
            <button class="btn small primary" type="submit">Unlock</button>
          </form>
        ) : ""}
        {d.revokedAt ? "" : (
          <form method="post" action={`/admin/devices/${d.id}/revoke`} hx-post={`/admin/devices/${d.id}/revoke`} hx-target={`#device-${d.id}`} hx-swap="outerHTML"
            hx-confirm={`Revoke ${d.name}? It stops working at once and whoever is signed on there is signed off.`}>
            <button class="btn small danger" type="submit">Revoke</button>
          </form>
        )}
      </div></td>
    </tr>
  );
}

/** Kitchen stations: the list and the add form, swapped as one piece by htmx. */
export function StationsSection(p: { stations: StationRow[]; errors?: FieldErrors; name?: string; flash?: string }) {
  const e = p.errors ?? {};
  return (
    <section class="stack" id="stations-section" aria-labelledby="stations-title">
      <h2 id="stations-title">Kitchen stations</h2>
      <Flash message={p.flash} />
      {p.stations.length ? (
        <table>
          <thead><tr><th>Station</th><th>Status</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {p.stations.map((s) => (
              <tr>
                <td><strong safe>{s.name}</strong> <span class="muted" safe>{s.slug}</span></td>
                <td>{s.active ? <span class="badge ok">Active</span> : <span class="badge">Inactive</span>}</td>
                <td>
                  <form method="post" action={`/admin/stations/${s.id}/active`} hx-post={`/admin/stations/${s.id}/active`} hx-target="#stations-section" hx-swap="outerHTML">
                    <input type="hidden" name="active" value={s.active ? "false" : "true"} />
                    <button class="btn small" type="submit">{s.active ? "Deactivate" : "Reactivate"}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p class="muted">No kitchen stations yet. Add one for each place that cooks (grill, fry, bar…).</p>}
      <form class="card row admin-form" method="post" action="/admin/stations" hx-post="/admin/stations" hx-target="#stations-section" hx-swap="outerHTML" novalidate>
        <label for="station-name">New station
          <input id="station-name" name="name" required maxlength="40" placeholder="Grill" value={p.name ?? ""} {...describedBy("station-name", { error: e.name })} />
        </label>
        <button class="btn primary" type="submit">Add station</button>
        <FieldError id="station-name" message={e.name ?? e.form} />
      </form>
    </section>
  );
}
