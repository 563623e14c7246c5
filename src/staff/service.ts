import type { AppContext } from "../context";
import { withSystem, withTenant, type Tx } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { recordAudit } from "../audit/service";
import { appendEvent } from "../realtime/events";
import { HttpError, badRequest, conflict, forbidden, notFound } from "../http/errors";
import { allows, ROLES, type Role } from "../auth/permissions";
import { hashPassword, pinDigest } from "../auth/secrets";
import { passwordProblem } from "../auth/passwords";
import { pinProblem } from "../auth/pin";
import { revokeAllSessions, revokeSessionsInRestaurant, type Principal } from "../auth/service";
import { EMAIL_PATTERN } from "../restaurants/service";
import * as q from "./queries";
import * as people from "../auth/people";
import { optionalText, requiredText } from "../text";
import { UUID } from "../ids";

export type Actor = { principal: Principal; ip: string | null };
export type StaffMember = NonNullable<Awaited<ReturnType<typeof q.findStaff>>>;

const MANAGERS: readonly Role[] = ["owner", "manager"];
const PIN_TAKEN = "That PIN is already used by someone in this restaurant. Choose another.";
const OWNERS_ONLY = "Only an owner can make, unmake or change an owner.";

const auditBase = (a: Actor) => ({
  restaurantId: a.principal.restaurant.id, actorUserId: a.principal.user?.id ?? null, deviceId: a.principal.device?.id ?? null, ip: a.ip,
});

export const listStaff = (ctx: AppContext, rid: string) => withTenant(ctx.database.db, rid, (tx) => q.listStaff(tx, rid));

export async function getStaff(ctx: AppContext, rid: string, membershipId: string): Promise<StaffMember> {
  if (!UUID.test(membershipId)) throw notFound("No such staff member here.");
  const member = await withTenant(ctx.database.db, rid, (tx) => q.findStaff(tx, rid, membershipId));
  if (!member) throw notFound("No such staff member here.");
  return member;
}

/** Owners are changed by owners only (staff.manage_owners). */
function requireOwnerPowerFor(a: Actor, ...roles: Role[]) {
  if (roles.includes("owner") && !allows(a.principal.actor, "staff.manage_owners")) throw new HttpError(403, "forbidden", OWNERS_ONLY, "role");
}

export type NewStaff = { name: string; email: string; role: string; pin: string; password: string };

type ValidNewStaff = { name: string; email: string | null; role: Role; pin: string | null; password: string | null };

function validateNewStaff(a: Actor, input: NewStaff): ValidNewStaff {
  const name = requiredText(input.name, "name", { label: "Name", max: 80, empty: "Enter a name of 1 to 80 characters." });
  const email = optionalText(input.email, "email", { label: "Email", max: 254 })?.toLowerCase() ?? null;
  if (email && !EMAIL_PATTERN.test(email)) throw badRequest("Enter a valid email address, like sam@example.com, or leave it empty for PIN-only staff.", "email");
  if (!(ROLES as readonly string[]).includes(input.role)) throw badRequest("Choose a role.", "role");
  const role = input.role as Role;
  requireOwnerPowerFor(a, role);
  const pin = input.pin.trim() || null;
  const isManager = MANAGERS.includes(role);
  if (isManager && !email) throw badRequest("Owners and managers sign in to admin with an email and password: enter an email address.", "email");
  if (!isManager && !pin) throw badRequest("Staff sign on at stations with a PIN: set one of 4 to 6 digits.", "pin");
  if (pin) {
    const problem = pinProblem(pin);
    if (problem) throw badRequest(problem, "pin");
  }
  return { name, email, role, pin, password: input.password || null };
}

/**
 * Adds a person to the staff. A new email becomes a new account (owners and managers get the temporary
 * password, to be changed at first sign-in). An email that already has an account becomes an invitation
 * that grants nothing until that person accepts it at their next sign-in: this restaurant must not
 * attach someone without their consent, nor learn anything about their account (not its name, not its
 * other restaurants). So every input is checked, and a given password hashed, the same way whether or
 * not the account exists, and the answer is the same; the row shows the name typed here.
 */
export async function createStaff(ctx: AppContext, a: Actor, input: NewStaff): Promise<{ member: StaffMember }> {
  const rid = a.principal.restaurant.id;
  const v = validateNewStaff(a, input);
  const digest = v.pin ? pinDigest(ctx.config.pinPepper, rid, v.pin) : null;
  if (v.password !== null) {
    const problem = passwordProblem(v.password, v);
    if (problem) throw badRequest(problem, "password");
  }
  if (MANAGERS.includes(v.role) && v.password === null) throw badRequest("Set a temporary password; they choose their own at first sign-in.", "password");
  const passwordHash = v.password === null ? null : await hashPassword(v.password);
  // Asked as the tenant: only the database compares PIN digests for it (drizzle/0006). A race past this
  // check meets the unique index below.
  if (digest && (await withTenant(ctx.database.db, rid, (tx) => q.pinTaken(tx, rid, digest)))) throw conflict(PIN_TAKEN, "pin");
  try {
    const membershipId = await withSystem(ctx.database.db, async (tx) => {
      const existing = v.email ? await people.findUserByEmail(tx, v.email) : null;
      if (existing && (await q.isMember(tx, rid, existing.id))) throw conflict(`${v.email} is already on the staff here.`, "email");
      if (existing) return invite(tx, a, existing.id, v, digest);
      const user = await people.insertUser(tx, { name: v.name, email: v.email, passwordHash, mustChangePassword: !!passwordHash });
      const m = await people.insertMembership(tx, { restaurantId: rid, userId: user.id, role: v.role, pinDigest: digest });
      await recordAudit(tx, { ...auditBase(a), action: "staff.created", data: { membershipId: m.id, userId: user.id, name: user.name, role: v.role, pin: !!digest } });
      return m.id;
    });
    return { member: await getStaff(ctx, rid, membershipId) };
  } catch (error) {
    // Two managers racing for the same PIN or email: the unique index decides, the loser is told plainly.
    if (isUniqueViolation(error)) throw conflict(constraintOf(error)?.includes("pin") ? PIN_TAKEN : "That email is already in use.", constraintOf(error)?.includes("pin") ? "pin" : "email");
    throw error;
  }
}

/** A membership that waits for its person's consent: inactive, with the name this restaurant typed. */
async function invite(tx: Tx, a: Actor, userId: string, v: ValidNewStaff, digest: string | null): Promise<string> {
  const m = await people.insertMembership(tx, {
    restaurantId: a.principal.restaurant.id, userId, role: v.role, pinDigest: digest, active: false,
    invitationPending: true, invitedName: v.name, invitedBy: a.principal.user?.id ?? null,
  });
  await recordAudit(tx, { ...auditBase(a), action: "staff.invited", data: { membershipId: m.id, name: v.name, role: v.role, pin: !!digest } });
  return m.id;
}

function constraintOf(error: unknown): string | undefined {
  let e = error as { constraint_name?: string; constraint?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++, e = e.cause as typeof e) {
    if (e.constraint_name || e.constraint) return e.constraint_name ?? e.constraint;
  }
  return undefined;
}

/** Runs a change to one member in a tenant transaction, after the rules every change shares. */
async function changeMember<T>(ctx: AppContext, a: Actor, membershipId: string, fn: (tx: Tx, member: StaffMember) => Promise<T>): Promise<T> {
  const rid = a.principal.restaurant.id;
  const member = await getStaff(ctx, rid, membershipId);
  requireOwnerPowerFor(a, member.role);
  return withTenant(ctx.database.db, rid, (tx) => fn(tx, member));
}

async function requireAnotherOwner(tx: Tx, rid: string, member: StaffMember) {
  if (member.role === "owner" && member.active && (await q.countActiveOwners(tx, rid)) <= 1) {
    throw conflict("The restaurant needs at least one active owner. Make someone else an owner first.", "role");
  }
}

export async function changeRole(ctx: AppContext, a: Actor, membershipId: string, role: string): Promise<StaffMember> {
  const rid = a.principal.restaurant.id;
  if (!(ROLES as readonly string[]).includes(role)) throw badRequest("Choose a role.", "role");
  requireOwnerPowerFor(a, role as Role);
  await changeMember(ctx, a, membershipId, async (tx, member) => {
    if (member.role === role) return;
    if (role !== "owner") await requireAnotherOwner(tx, rid, member);
    await q.updateMembership(tx, rid, membershipId, { role: role as Role });
    await recordAudit(tx, { ...auditBase(a), action: "staff.role_changed", data: { membershipId, userId: member.userId, name: member.name, from: member.role, to: role } });
  });
  return getStaff(ctx, rid, membershipId);
}

/** Deactivating ends every session they have here at once; their history stays. */
export async function setActive(ctx: AppContext, a: Actor, membershipId: string, active: boolean): Promise<StaffMember> {
  const rid = a.principal.restaurant.id;
  // An invitation is accepted by its person at sign-in, never for them; withdrawInvitation removes one.
  if ((await getStaff(ctx, rid, membershipId)).invitationPending) throw conflict("They join when they accept the invitation at their next sign-in; it cannot be accepted for them.", "active");
  const member = await changeMember(ctx, a, membershipId, async (tx, member) => {
    if (member.active === active) return member;
    if (!active && member.userId === a.principal.user?.id) throw badRequest("You cannot deactivate yourself. Ask another manager or owner.", "active");
    if (!active) await requireAnotherOwner(tx, rid, member);
    await q.updateMembership(tx, rid, membershipId, { active });
    await recordAudit(tx, { ...auditBase(a), action: active ? "staff.reactivated" : "staff.deactivated", data: { membershipId, userId: member.userId, name: member.name } });
    // Screens with this person signed on hold open event streams; this tells them.
    if (!active) await appendEvent(tx, rid, "staff.deactivated", { userId: member.userId });
    return member;
  });
  if (!active) await revokeSessionsInRestaurant(ctx.database.db, rid, member.userId);
  return getStaff(ctx, rid, membershipId);
}

/** Withdraws an invitation nobody accepted yet; false if the member is not a pending invitation. */
export async function withdrawInvitation(ctx: AppContext, a: Actor, membershipId: string): Promise<boolean> {
  if (!(await getStaff(ctx, a.principal.restaurant.id, membershipId)).invitationPending) return false;
  await changeMember(ctx, a, membershipId, async (tx, member) => {
    await q.deletePendingMembership(tx, a.principal.restaurant.id, membershipId);
    await recordAudit(tx, { ...auditBase(a), action: "staff.invitation_withdrawn", data: { membershipId, name: member.name } });
  });
  return true;
}

/** Sets a new PIN (or removes it with null); clears any lock, and signs them off the stations (the old PIN may have leaked). */
export async function resetPin(ctx: AppContext, a: Actor, membershipId: string, pin: string | null): Promise<StaffMember> {
  const rid = a.principal.restaurant.id;
  if (pin !== null) {
    const problem = pinProblem(pin);
    if (problem) throw badRequest(problem, "pin");
  }
  const digest = pin === null ? null : pinDigest(ctx.config.pinPepper, rid, pin);
  const member = await changeMember(ctx, a, membershipId, async (tx, member) => {
    if (pin === null && !MANAGERS.includes(member.role)) throw badRequest("Staff other than owners and managers need a PIN to sign on. Set a new one instead.", "pin");
    if (digest && (await q.pinTaken(tx, rid, digest, membershipId))) throw conflict(PIN_TAKEN, "pin");
    await q.updateMembership(tx, rid, membershipId, { pinDigest: digest, pinFailures: 0, pinLockedUntil: null });
    await recordAudit(tx, { ...auditBase(a), action: pin === null ? "staff.pin_removed" : "staff.pin_reset", data: { membershipId, userId: member.userId, name: member.name } });
    return member;
  }).catch((error) => {
    if (isUniqueViolation(error)) throw conflict(PIN_TAKEN, "pin");
    throw error;
  });
  await revokeSessionsInRestaurant(ctx.database.db, rid, member.userId, "pin");
  return getStaff(ctx, rid, membershipId);
}

export async function unlockPin(ctx: AppContext, a: Actor, membershipId: string): Promise<StaffMember> {
  const rid = a.principal.restaurant.id;
  await changeMember(ctx, a, membershipId, async (tx, member) => {
    await q.updateMembership(tx, rid, membershipId, { pinFailures: 0, pinLockedUntil: null });
    await recordAudit(tx, { ...auditBase(a), action: "staff.pin_unlocked", data: { membershipId, userId: member.userId, name: member.name } });
  });
  return getStaff(ctx, rid, membershipId);
}

/**
 * A temporary password for someone who forgot theirs (there is no email reset). Only for people who
 * work at this restaurant alone: a password opens every restaurant its account belongs to, and one
 * restaurant's manager must not be able to take over an account another restaurant relies on.
 */
export async function setTemporaryPassword(ctx: AppContext, a: Actor, membershipId: string, password: string): Promise<StaffMember> {
  const rid = a.principal.restaurant.id;
  const member = await getStaff(ctx, rid, membershipId);
  requireOwnerPowerFor(a, member.role);
  if (member.userId === a.principal.user?.id) throw badRequest("To change your own password, use Change password.", "password");
  if (member.invitationPending) throw conflict("They have not accepted the invitation yet, so their password is not this restaurant's to set.", "password");
  if (!member.email) throw badRequest("This person has no email, so no password: they sign on with their PIN.", "password");
  const problem = passwordProblem(password, member);
  if (problem) throw badRequest(problem, "password");
  const passwordHash = await hashPassword(password);
  await withSystem(ctx.database.db, async (tx) => {
    if ((await q.restaurantCountOfUser(tx, member.userId)) > 1) {
      throw forbidden("This person also works at another restaurant, so only they can change their password (at Change password).");
    }
    await q.setUserPassword(tx, member.userId, passwordHash);
    await recordAudit(tx, { ...auditBase(a), action: "staff.password_reset", data: { membershipId, userId: member.userId, name: member.name } });
  });
  await revokeAllSessions(ctx.database.db, member.userId);
  return getStaff(ctx, rid, membershipId);
}
