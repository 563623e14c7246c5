import { AdminShell } from "../shell";
import { localTime } from "../../auth/format";

export const AUDIT_FILTERS = [
  { key: "all", label: "Everything", prefixes: [] as string[] },
  { key: "signin", label: "Sign-ins", prefixes: ["signin.", "password.", "totp."] },
  { key: "pin", label: "PINs", prefixes: ["pin."] },
  { key: "staff", label: "Staff changes", prefixes: ["staff."] },
  { key: "devices", label: "Stations & devices", prefixes: ["device.", "station."] },
  { key: "override", label: "Manager overrides", prefixes: ["override."] },
  { key: "api-keys", label: "API keys", prefixes: ["api_key."] },
];

const LABELS: Record<string, string> = {
  "signin.ok": "Signed in", "signin.failed": "Failed sign-in",
  "password.changed": "Changed their password",
  "totp.enabled": "Turned on two-step sign-in", "totp.disabled": "Turned off two-step sign-in",
  "totp.recovery_code_used": "Used a recovery code", "totp.recovery_codes_renewed": "Made new recovery codes",
  "pin.signon": "Signed on with PIN", "pin.signoff": "Signed off", "pin.failed": "Wrong PIN", "pin.locked": "PIN locked after 5 wrong tries",
  "staff.created": "Added staff", "staff.role_changed": "Changed a role", "staff.deactivated": "Deactivated staff",
  "staff.reactivated": "Reactivated staff", "staff.pin_reset": "Set a PIN", "staff.pin_removed": "Removed a PIN",
  "staff.pin_unlocked": "Unlocked a PIN", "staff.password_reset": "Set a temporary password",
  "device.enrolled": "Enrolled a device", "device.revoked": "Revoked a device",
  "station.created": "Added a station", "station.deactivated": "Deactivated a station", "station.reactivated": "Reactivated a station",
  "override.granted": "Manager override", "override.refused": "Override refused",
  "api_key.created": "Created an API key", "api_key.revoked": "Revoked an API key", "api_key.rotated": "Rotated an API key",
  "device.unlocked": "Unlocked a station after wrong PINs",
  "staff.invited": "Invited an existing account", "staff.invitation_accepted": "Accepted an invitation", "staff.invitation_declined": "Declined an invitation",
};

export type AuditEntryRow = {
  id: string; action: string; data: Record<string, unknown>; ip: string | null; createdAt: Date; actorName: string | null; deviceName: string | null;
};

/** The details worth a glance, from the fields our own services write. */
function details(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const s = (k: string) => (typeof data[k] === "string" || typeof data[k] === "number" || typeof data[k] === "boolean" ? String(data[k]) : "");
  if (s("name")) parts.push(s("name"));
  if (s("from") || s("to")) parts.push(`${s("from")} → ${s("to")}`);
  if (s("role") && !s("to")) parts.push(s("role"));
  if (s("kind")) parts.push(s("kind"));
  if (s("action")) parts.push(`for ${s("action")}`);
  if (s("reason")) parts.push(s("reason"));
  if (data.attributed === false) parts.push("PIN matched nobody");
  if (s("purpose") === "override") parts.push("at an override");
  if (s("secondFactor")) parts.push(`with ${s("secondFactor")}`);
  return parts.join(" · ");
}

export function AuditPage(p: {
  nonce: string; restaurantName: string; userName: string; timeZone: string;
  entries: AuditEntryRow[]; filter: string; page: number; more: boolean;
}) {
  const link = (page: number) => `/admin/audit?show=${encodeURIComponent(p.filter)}&page=${page}`;
  return (
    <AdminShell nonce={p.nonce} title="Audit log" section="audit" restaurantName={p.restaurantName} userName={p.userName}>
      <form class="row filter" method="get" action="/admin/audit">
        <label>Show
          <select name="show">
            {AUDIT_FILTERS.map((f) => <option value={f.key} selected={f.key === p.filter} safe>{f.label}</option>)}
          </select>
        </label>
        <button class="btn small" type="submit">Filter</button>
      </form>
      {p.entries.length === 0 ? <p class="muted">Nothing recorded yet.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>When</th><th>Who</th><th>What</th><th>Details</th><th>Where</th></tr></thead>
            <tbody>
              {p.entries.map((e) => (
                <tr>
                  <td safe>{localTime(e.createdAt, p.timeZone)}</td>
                  <td safe>{e.actorName ?? "—"}</td>
                  <td safe>{LABELS[e.action] ?? e.action}</td>
                  <td safe>{details(e.data)}</td>
                  <td><span safe>{e.deviceName ?? ""}</span>{e.ip ? <div class="muted" safe>{e.ip}</div> : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="row" aria-label="Pages">
        {p.page > 1 ? <a class="btn small" href={link(p.page - 1)}>← Newer</a> : ""}
        {p.more ? <a class="btn small" href={link(p.page + 1)}>Older →</a> : ""}
      </nav>
    </AdminShell>
  );
}
