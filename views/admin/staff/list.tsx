import { AdminShell } from "../shell";
import { ROLE_LABELS, type Role } from "../../../src/auth/permissions";

export type StaffRowData = {
  membershipId: string; userId: string; name: string; email: string | null; role: Role; active: boolean;
  hasPin: boolean; pinLocked: boolean; totpEnabled: boolean; mustChangePassword: boolean;
  /** Invited with an email that already had an account: nothing until they accept at their next sign-in. */
  invitationPending?: boolean;
};

export type StaffListProps = {
  nonce: string; restaurantName: string; userName: string; staff: StaffRowData[];
  /** Owners can change owners; managers see them but cannot touch them. */
  canManageOwners: boolean; selfUserId: string; flash?: string; flashKind?: "ok" | "error";
};

export function StaffListPage(p: StaffListProps) {
  return (
    <AdminShell nonce={p.nonce} title="Staff" section="staff" restaurantName={p.restaurantName} userName={p.userName} flash={p.flash} flashKind={p.flashKind}>
      <div class="row">
        <a class="btn primary" href="/admin/staff/new">Add staff</a>
        <span class="grow"></span>
        <a href="/account/security">Your two-step sign-in</a>
        <a href="/account/password">Change your password</a>
      </div>
      <div class="table-wrap">
        <table>
          <thead><tr><th>Name</th><th>Role</th><th>Sign-in</th><th>Status</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {p.staff.map((s) => <StaffRow member={s} canManageOwners={p.canManageOwners} isSelf={s.userId === p.selfUserId} />)}
          </tbody>
        </table>
      </div>
    </AdminShell>
  );
}

/** One staff row, for the full list and for the fragment htmx swaps in after a quick action. */
export function StaffRow(p: { member: StaffRowData; canManageOwners: boolean; isSelf: boolean; message?: string }) {
  const s = p.member;
  const editable = s.role !== "owner" || p.canManageOwners;
  const ways = [s.email ? "Password" : "", s.hasPin ? "PIN" : "", s.totpEnabled ? "two-step" : ""].filter(Boolean).join(" + ") || "None";
  const id = `staff-${s.membershipId}`;
  return (
    <tr id={id} class={s.active ? "" : "muted"}>
      <td>
        <a href={`/admin/staff/${s.membershipId}`}><strong safe>{s.name}</strong></a>
        {p.isSelf ? <span class="badge">you</span> : ""}
        {s.email ? <div class="muted" safe>{s.email}</div> : ""}
        {p.message ? <div class="field-error" role="alert" safe>{p.message}</div> : ""}
      </td>
      <td safe>{ROLE_LABELS[s.role]}</td>
      <td>
        <span safe>{ways}</span>
        {s.pinLocked ? <span class="badge crit">PIN locked</span> : ""}
        {s.mustChangePassword ? <span class="badge warn">temporary password</span> : ""}
      </td>
      <td>{s.invitationPending ? <><span class="badge warn">Invited</span><div class="muted">joins when they accept at their next sign-in</div></>
        : s.active ? <span class="badge ok">Active</span> : <span class="badge">Deactivated</span>}</td>
      <td>
        {!editable ? <span class="muted">Owner</span> : (
          <div class="actions">
            <a class="btn small" href={`/admin/staff/${s.membershipId}`}>Edit</a>
            {s.pinLocked ? (
              <form method="post" action={`/admin/staff/${s.membershipId}/unlock`} hx-post={`/admin/staff/${s.membershipId}/unlock`} hx-target={`#${id}`} hx-swap="outerHTML">
                <button class="btn small" type="submit">Unlock PIN</button>
              </form>
            ) : ""}
            {p.isSelf ? "" : s.invitationPending ? (
              <form method="post" action={`/admin/staff/${s.membershipId}/active`} hx-post={`/admin/staff/${s.membershipId}/active`} hx-target={`#${id}`} hx-swap="outerHTML"
                hx-confirm={`Withdraw the invitation to ${s.name}?`}>
                <input type="hidden" name="active" value="false" />
                <button class="btn small danger" type="submit">Withdraw invitation</button>
              </form>
            ) : (
              <form method="post" action={`/admin/staff/${s.membershipId}/active`} hx-post={`/admin/staff/${s.membershipId}/active`} hx-target={`#${id}`} hx-swap="outerHTML"
                hx-confirm={s.active ? `Deactivate ${s.name}? They are signed out everywhere in this restaurant at once.` : undefined}>
                <input type="hidden" name="active" value={s.active ? "false" : "true"} />
                <button class={s.active ? "btn small danger" : "btn small"} type="submit">{s.active ? "Deactivate" : "Reactivate"}</button>
              </form>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}
