import type { Device, Resolution } from "./service";

/**
 * Where someone signed in with a password lands, whatever their role: the home page listing every
 * screen and admin section they may open (a newcomer should not need to know any URL).
 */
export const STAFF_HOME = "/home";

/** Each kind of station's screen. A KDS reads its kitchen station from the device itself. */
export const DEVICE_HOME: Record<Device["kind"], string> = { pos: "/pos", kds: "/kds", expo: "/expo", board: "/board", kiosk: "/guest/kiosk" };

/** Where "/" sends whoever is asking. */
export function homeFor(r: Resolution): string {
  const p = r.principal;
  if (p?.user) {
    if (p.sessionKind === "pin" && p.device) return DEVICE_HOME[p.device.kind];
    if (p.user.mustChangePassword && p.sessionKind === "password") return "/account/password";
    return STAFF_HOME;
  }
  if (p?.device) return DEVICE_HOME[p.device.kind];
  if (p) return "/sign-in"; // an API key has no screen
  if (r.pending) return r.pending.totpPending ? "/sign-in/totp" : "/choose-restaurant";
  // A kiosk is the guests' screen: it starts at the menu, not at a staff PIN pad.
  if (r.device) return r.device.kind === "kiosk" ? DEVICE_HOME.kiosk : "/station";
  return "/sign-in";
}
