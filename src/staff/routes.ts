import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin, isHtmx } from "../auth/plugin";
import { asRefusal, fieldErrors } from "../auth/refusal";
import { allows } from "../auth/permissions";
import { PASSWORD_RULES } from "../auth/passwords";
import type { Principal } from "../auth/service";
import * as staff from "./service";
import { StaffListPage, StaffRow } from "../../views/admin/staff/list";
import { EditStaffPage, NewStaffPage } from "../../views/admin/staff/form";

const FLASHES: Record<string, string> = {
  created: "Added to the staff. If that email already has an account, they keep their own password and join when they accept at their next sign-in.",
  withdrawn: "Invitation withdrawn.",
  role: "Role saved.",
  pin: "PIN set. Tell them in person.",
  "pin-removed": "PIN removed.",
  unlocked: "PIN unlocked.",
  password: "Temporary password set. They were signed out everywhere and choose a new one at sign-in.",
  deactivated: "Deactivated and signed out everywhere in this restaurant.",
  reactivated: "Reactivated.",
};

const frame = (nonce: string, p: Principal) => ({ nonce, restaurantName: p.restaurant.name, userName: p.user?.name ?? "" });
const canManageOwners = (p: Principal) => allows(p.actor, "staff.manage_owners");

/** Admin: the staff list, adding people, and each person's role, PIN, password and status. */
export function staffRoutes(ctx: AppContext) {
  const listPage = async (nonce: string, p: Principal, flash?: string) => StaffListPage({
    ...frame(nonce, p), staff: await staff.listStaff(ctx, p.restaurant.id), canManageOwners: canManageOwners(p), selfUserId: p.user?.id ?? "", flash,
  });
  const editPage = async (nonce: string, p: Principal, membershipId: string, extra: { errors?: Record<string, string>; flash?: string } = {}) => {
    const member = await staff.getStaff(ctx, p.restaurant.id, membershipId);
    return EditStaffPage({ ...frame(nonce, p), member, rules: PASSWORD_RULES, canManageOwners: canManageOwners(p), isSelf: member.userId === p.user?.id, ...extra });
  };
  const row = (p: Principal, member: staff.StaffMember, message?: string) =>
    StaffRow({ member, canManageOwners: canManageOwners(p), isSelf: member.userId === p.user?.id, message });

  /**
   * A change from the edit page (a full page back on error, a redirect on success) or from a list row
   * through htmx (the row back, with the error in it if refused).
   */
  const change = async (
    c: { nonce: string; principal: Principal; params: { id: string }; request: Request; set: Parameters<typeof asRefusal>[1]; redirect: (to: string, status: 303) => Response },
    done: string, work: () => Promise<staff.StaffMember>,
  ) => {
    try {
      const member = await work();
      if (isHtmx(c.request)) return row(c.principal, member);
      return c.redirect(`/admin/staff/${c.params.id}?done=${done}`, 303);
    } catch (error) {
      const e = asRefusal(error, c.set);
      if (e.status === 404) throw e;
      if (isHtmx(c.request)) return row(c.principal, await staff.getStaff(ctx, c.principal.restaurant.id, c.params.id), e.message);
      return editPage(c.nonce, c.principal, c.params.id, { errors: fieldErrors(e) });
    }
  };

  return new Elysia({ name: "staff-routes" })
    .use(authPlugin(ctx))
    .get("/admin/staff", ({ nonce, principal, query }) => listPage(nonce, principal, FLASHES[query.done ?? ""]),
      { need: "staff.manage", query: t.Object({ done: t.Optional(t.String()) }) })
    .get("/admin/staff/new", ({ nonce, principal }) => NewStaffPage({ ...frame(nonce, principal), rules: PASSWORD_RULES, canManageOwners: canManageOwners(principal) }),
      { need: "staff.manage" })
    .post("/admin/staff", async ({ nonce, principal, body, set, redirect, clientIp }) => {
      try {
        // One answer whether or not the email already had an account: nothing here may tell.
        await staff.createStaff(ctx, { principal, ip: clientIp }, body);
        return redirect("/admin/staff?done=created", 303);
      } catch (error) {
        const e = asRefusal(error, set);
        return NewStaffPage({ ...frame(nonce, principal), rules: PASSWORD_RULES, canManageOwners: canManageOwners(principal), values: body, errors: fieldErrors(e) });
      }
    }, {
      need: "staff.manage",
      body: t.Object({
        name: t.String({ maxLength: 200 }), email: t.String({ maxLength: 300 }), role: t.String({ maxLength: 20 }),
        pin: t.String({ maxLength: 20 }), password: t.String({ maxLength: 400 }),
      }),
    })
    .get("/admin/staff/:id", ({ nonce, principal, params, query }) => editPage(nonce, principal, params.id, { flash: FLASHES[query.done ?? ""] }),
      { need: "staff.manage", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/admin/staff/:id/role", (c) => change(c, "role", () => staff.changeRole(ctx, { principal: c.principal, ip: c.clientIp }, c.params.id, c.body.role)),
      { need: "staff.manage", body: t.Object({ role: t.String({ maxLength: 20 }) }) })
    .post("/admin/staff/:id/active", async (c) => {
      const active = c.body.active === "true";
      const actor = { principal: c.principal, ip: c.clientIp };
      // Deactivating an invitation nobody accepted withdraws it: no row or page is left, so htmx swaps
      // the row out and a plain form goes back to the list.
      if (!active && (await staff.withdrawInvitation(ctx, actor, c.params.id))) return isHtmx(c.request) ? "" : c.redirect("/admin/staff?done=withdrawn", 303);
      return change(c, active ? "reactivated" : "deactivated", () => staff.setActive(ctx, actor, c.params.id, active));
    }, { need: "staff.manage", body: t.Object({ active: t.Union([t.Literal("true"), t.Literal("false")]) }) })
    .post("/admin/staff/:id/pin", (c) => {
      const remove = c.body.remove === "1";
      return change(c, remove ? "pin-removed" : "pin", () => staff.resetPin(ctx, { principal: c.principal, ip: c.clientIp }, c.params.id, remove ? null : (c.body.pin ?? "").trim()));
    }, { need: "staff.manage", body: t.Object({ pin: t.Optional(t.String({ maxLength: 20 })), remove: t.Optional(t.String({ maxLength: 2 })) }) })
    .post("/admin/staff/:id/unlock", (c) => change(c, "unlocked", () => staff.unlockPin(ctx, { principal: c.principal, ip: c.clientIp }, c.params.id)),
      { need: "staff.manage" })
    .post("/admin/staff/:id/password", (c) => change(c, "password", () => staff.setTemporaryPassword(ctx, { principal: c.principal, ip: c.clientIp }, c.params.id, c.body.password)),
      { need: "staff.manage", body: t.Object({ password: t.String({ maxLength: 400 }) }) });
}
