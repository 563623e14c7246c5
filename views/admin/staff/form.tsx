import { AdminShell } from "../shell";
import { ROLE_LABELS, ROLES, type Role } from "../../../src/auth/permissions";
import { describedBy, FieldError, Flash, type FieldErrors } from "../../auth/form";
import type { StaffRowData } from "./list";

type Frame = { nonce: string; restaurantName: string; userName: string };

const ROLE_HINTS: Record<Role, string> = {
  owner: "everything, including other owners",
  manager: "menu, staff, stations, overrides",
  server: "takes orders at the POS",
  cashier: "takes orders and payments at the POS",
  kitchen: "kitchen displays: view, bump, 86 items",
  expo: "expo screen: checks and serves orders",
};

function RoleSelect(p: { id: string; value?: string; canManageOwners: boolean; error?: string }) {
  return (
    <>
      <label for={p.id}>Role</label>
      <select id={p.id} name="role" {...describedBy(p.id, { error: p.error })}>
        {ROLES.filter((r) => r !== "owner" || p.canManageOwners).map((r) => (
          <option value={r} selected={p.value === r} safe>{`${ROLE_LABELS[r]} — ${ROLE_HINTS[r]}`}</option>
        ))}
      </select>
      <FieldError id={p.id} message={p.error} />
    </>
  );
}

export type NewStaffValues = { name?: string; email?: string; role?: string };

export function NewStaffPage(p: Frame & { rules: string; canManageOwners: boolean; values?: NewStaffValues; errors?: FieldErrors }) {
  const e = p.errors ?? {};
  const v = p.values ?? {};
  return (
    <AdminShell nonce={p.nonce} title="Add staff" section="staff" restaurantName={p.restaurantName} userName={p.userName}>
      <p><a href="/admin/staff">← Staff</a></p>
      <form class="card stack admin-form" method="post" action="/admin/staff" novalidate>
        <Flash message={e.form} kind="error" />
        <label for="name">Name</label>
        <input id="name" name="name" required maxlength="80" autocomplete="off" value={v.name ?? ""} {...describedBy("name", { error: e.name })} />
        <FieldError id="name" message={e.name} />
        <RoleSelect id="role" value={v.role ?? "server"} canManageOwners={p.canManageOwners} error={e.role} />
        <label for="email">Email <span class="muted">(needed for owners and managers; optional for PIN-only staff)</span></label>
        <input id="email" name="email" type="email" maxlength="254" autocomplete="off" value={v.email ?? ""} {...describedBy("email", { error: e.email })} />
        <FieldError id="email" message={e.email} />
        <label for="pin">PIN <span class="muted">(4 to 6 digits, unique in this restaurant)</span></label>
        <input id="pin" name="pin" inputmode="numeric" pattern="[0-9]*" maxlength="6" autocomplete="off" {...describedBy("pin", { hint: true, error: e.pin })} />
        <p class="muted hint" id="pin-hint">How they sign on at a POS or kitchen screen. Needed for everyone except owners and managers. Tell them in person.</p>
        <FieldError id="pin" message={e.pin} />
        <label for="password">Temporary password <span class="muted">(owners and managers)</span></label>
        <input id="password" name="password" type="password" maxlength="200" autocomplete="new-password" {...describedBy("password", { hint: true, error: e.password })} />
        <p class="muted hint" id="password-hint" safe>{`${p.rules} They choose their own at first sign-in. If the email already has an account, they keep their own password and join when they accept at their next sign-in.`}</p>
        <FieldError id="password" message={e.password} />
        <button class="btn primary" type="submit">Add to staff</button>
      </form>
    </AdminShell>
  );
}

export type EditStaffProps = Frame & {
  member: StaffRowData; rules: string; canManageOwners: boolean; isSelf: boolean;
  errors?: FieldErrors; flash?: string;
};

/** One person: role, PIN, temporary password, deactivate. Each is its own small form. */
export function EditStaffPage(p: EditStaffProps) {
  const m = p.member;
  const e = p.errors ?? {};
  const base = `/admin/staff/${m.membershipId}`;
  const locked = m.role === "owner" && !p.canManageOwners;
  return (
    <AdminShell nonce={p.nonce} title={m.name} section="staff" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash}>
      <p><a href="/admin/staff">← Staff</a></p>
      <p class="muted">
        <span safe>{`${ROLE_LABELS[m.role]}${m.email ? ` · ${m.email}` : " · PIN only"}`}</span>
        {m.invitationPending ? <span class="badge warn">Invited: joins when they accept at their next sign-in</span> : m.active ? "" : <span class="badge">Deactivated</span>}
        {m.pinLocked ? <span class="badge crit">PIN locked</span> : ""}
      </p>
      <Flash message={e.form} kind="error" />
      {locked ? <p class="card">Only an owner can change an owner.</p> : (
        <div class="stack">
          <form class="card stack admin-form" method="post" action={`${base}/role`} novalidate>
            <h2>Role</h2>
            <RoleSelect id="role" value={m.role} canManageOwners={p.canManageOwners} error={e.role} />
            <button class="btn primary" type="submit">Save role</button>
          </form>
          <form class="card stack admin-form" method="post" action={`${base}/pin`} novalidate>
            <h2>PIN</h2>
            <p class="muted">{m.hasPin ? "Setting a new PIN signs them off every station." : "No PIN yet: they cannot sign on at stations."}</p>
            <label for="pin">New PIN (4 to 6 digits)</label>
            <input id="pin" name="pin" inputmode="numeric" pattern="[0-9]*" maxlength="6" autocomplete="off" required {...describedBy("pin", { error: e.pin })} />
            <FieldError id="pin" message={e.pin} />
            <div class="row">
              <button class="btn primary" type="submit">Set PIN</button>
              {m.hasPin && (m.role === "owner" || m.role === "manager") ? <button class="btn" type="submit" name="remove" value="1" formnovalidate>Remove PIN</button> : ""}
            </div>
          </form>
          {m.pinLocked ? (
            <form class="card row admin-form" method="post" action={`${base}/unlock`}>
              <span class="grow">Their PIN is locked after 5 wrong tries.</span>
              <button class="btn" type="submit">Unlock PIN</button>
            </form>
          ) : ""}
          {m.email && !p.isSelf && !m.invitationPending ? (
            <form class="card stack admin-form" method="post" action={`${base}/password`} novalidate>
              <h2>Temporary password</h2>
              <p class="muted">For someone who forgot theirs. They are signed out everywhere and choose a new one at sign-in.</p>
              <label for="password">Temporary password</label>
              <input id="password" name="password" type="password" maxlength="200" autocomplete="new-password" required {...describedBy("password", { hint: true, error: e.password })} />
              <p class="muted hint" id="password-hint" safe>{p.rules}</p>
              <FieldError id="password" message={e.password} />
              <button class="btn" type="submit">Set temporary password</button>
            </form>
          ) : ""}
          {p.isSelf ? "" : m.invitationPending ? (
            <form class="card row admin-form" method="post" action={`${base}/active`}>
              <input type="hidden" name="active" value="false" />
              <span class="grow">They have not accepted yet. Withdrawing removes the invitation.</span>
              <FieldError id="active" message={e.active ?? e.password} />
              <button class="btn danger" type="submit">Withdraw invitation</button>
            </form>
          ) : (
            <form class="card row admin-form" method="post" action={`${base}/active`}>
              <input type="hidden" name="active" value={m.active ? "false" : "true"} />
              <span class="grow">{m.active ? "Deactivating signs them out of this restaurant everywhere, at once." : "Reactivating lets them sign in and sign on again."}</span>
              <FieldError id="active" message={e.active} />
              <button class={m.active ? "btn danger" : "btn"} type="submit">{m.active ? "Deactivate" : "Reactivate"}</button>
            </form>
          )}
        </div>
      )}
    </AdminShell>
  );
}
