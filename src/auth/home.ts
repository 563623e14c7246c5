import type { Role } from "./permissions";
import type { Device, Resolution } from "./service";

/** Each role's own screen. Owners and managers land in admin (menu admin is at /admin/menu). */
export const ROLE_HOME: Record<Role, string> = {
  owner: "/admin/staff", manager: "/admin/staff", server: "/pos", cashier: "/pos", kitchen: "/kds", expo: "/expo",
};

/** Each kind of station's screen. A KDS reads its kitchen station from the device itself. */
export const DEVICE_HOME: Record<Device["kind"], string> = { pos: "/pos", kds: "/kds", expo: "/expo", board: "/board" };

/** Where "/" sends whoever is asking. */
export function homeFor(r: Resolution): string {
  const p = r.principal;
  if (p?.user) {
    if (p.sessionKind === "pin" && p.device) return DEVICE_HOME[p.device.kind];
    if (p.user.mustChangePassword && p.sessionKind === "password") return "/account/password";
    return ROLE_HOME[p.user.role];
  }
  if (p?.device) return DEVICE_HOME[p.device.kind];
  if (p) return "/sign-in"; // an API key has no screen
  if (r.pending) return r.pending.totpPending ? "/sign-in/totp" : "/choose-restaurant";
  if (r.device) return "/station";
  return "/sign-in";
}
