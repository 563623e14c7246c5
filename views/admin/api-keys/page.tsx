import { AdminShell } from "../shell";
import { describedBy, FieldError, type FieldErrors } from "../../auth/form";
import { ago, localTime } from "../../auth/format";

export type ApiKeyRowData = {
  id: string; name: string; prefix: string; createdBy: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null;
};

export type ApiKeysPageProps = {
  nonce: string; restaurantName: string; userName: string; timeZone: string; keys: ApiKeyRowData[];
  /** A key just created or rotated: its secret, shown this once. */
  issued?: { name: string; secret: string } | null;
  errors?: FieldErrors; name?: string; flash?: string; flashKind?: "ok" | "error";
};

export function ApiKeysPage(p: ApiKeysPageProps) {
  return (
    <AdminShell nonce={p.nonce} title="API keys" section="api-keys" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash} flashKind={p.flashKind}>
      {p.issued ? <IssuedSecret name={p.issued.name} secret={p.issued.secret} /> : ""}
      <p class="muted">Integrations (delivery apps, online ordering) use a key as <code>Authorization: Bearer …</code> on the JSON API and the live events stream. Revoking a key refuses it at once and ends its open streams.</p>
      <CreateForm errors={p.errors} name={p.name} />
      <KeysTable keys={p.keys} timeZone={p.timeZone} />
    </AdminShell>
  );
}

function IssuedSecret(p: { name: string; secret: string }) {
  return (
    <section class="card stack" aria-labelledby="secret-title" role="status">
      <h2 id="secret-title" safe>{`New secret for ${p.name}`}</h2>
      <p><strong>Copy it now: it is shown this once.</strong> Only a hash is kept, so nobody can show it again; if it is lost, rotate the key.</p>
      <input class="secret-value" readonly value={p.secret} aria-label="The new API key" />
    </section>
  );
}

function CreateForm(p: { errors?: FieldErrors; name?: string }) {
  const e = p.errors ?? {};
  return (
    <form class="card row admin-form" method="post" action="/admin/api-keys" novalidate>
      <label for="key-name">New key named
        <input id="key-name" name="name" required maxlength="60" placeholder="Delivery app" value={p.name ?? ""} {...describedBy("key-name", { error: e.name ?? e.form })} />
      </label>
      <button class="btn primary" type="submit">Create key</button>
      <FieldError id="key-name" message={e.name ?? e.form} />
    </form>
  );
}

function KeysTable(p: { keys: ApiKeyRowData[]; timeZone: string }) {
  if (!p.keys.length) return <p class="muted">This restaurant has no API keys.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead><tr><th>Name</th><th>Key starts</th><th>Created</th><th>Last used</th><th>Status</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>{p.keys.map((k) => <KeyRow apiKey={k} timeZone={p.timeZone} />)}</tbody>
      </table>
    </div>
  );
}

/** One key row, for the full page and for the fragment htmx swaps in after a revoke. */
export function KeyRow(p: { apiKey: ApiKeyRowData; timeZone: string }) {
  const k = p.apiKey;
  return (
    <tr id={`key-${k.id}`} class={k.revokedAt ? "muted" : ""}>
      <td><strong safe>{k.name}</strong></td>
      <td><code safe>{`${k.prefix}…`}</code></td>
      <td><span safe>{localTime(k.createdAt, p.timeZone)}</span><div class="muted" safe>{`by ${k.createdBy ?? "the set-up or the CLI"}`}</div></td>
      <td title={localTime(k.lastUsedAt, p.timeZone)} safe>{ago(k.lastUsedAt)}</td>
      <td>{k.revokedAt ? <span class="badge crit" safe>{`Revoked ${localTime(k.revokedAt, p.timeZone)}`}</span> : <span class="badge ok">Active</span>}</td>
      <td>
        {k.revokedAt ? "" : (
          <div class="actions">
            <form method="post" action={`/admin/api-keys/${k.id}/rotate`}>
              <button class="btn small" type="submit">Rotate</button>
            </form>
            <form method="post" action={`/admin/api-keys/${k.id}/revoke`} hx-post={`/admin/api-keys/${k.id}/revoke`} hx-target={`#key-${k.id}`} hx-swap="outerHTML"
              hx-confirm={`Revoke ${k.name}? Requests with it are refused at once and its live streams end.`}>
              <button class="btn small danger" type="submit">Revoke</button>
            </form>
          </div>
        )}
      </td>
    </tr>
  );
}
