import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { withTenant } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { describeDevice } from "../devices/service";
import { authPlugin } from "./plugin";
import { asRefusal } from "./refusal";
import { auditPinSignOn } from "./pin";
import { signOnOrUnlock, stationLock } from "./station-lock";
import { revokeSession, startSession, type Device, type Resolution } from "./service";
import { DEVICE_HOME } from "./home";
import * as q from "./queries";
import { NotAStationPage, StationPadPage } from "../../views/auth/station";

const NOTICES: Record<string, string> = {
  enrolled: "This browser is now a station. Staff sign on here with their PIN.",
  "signed-off": "Signed off.",
  unlocked: "Station unlocked by a manager. Staff can sign on again.",
};

/** The station: a PIN pad on an enrolled device; staff sign on, switch user with a new PIN, sign off. */
export function stationRoutes(ctx: AppContext) {
  const db = ctx.database.db;

  const pad = async (nonce: string, resolution: Resolution, ip: string | null, extra: { error?: string; notice?: string; selected?: string | null } = {}) => {
    const device = resolution.device!;
    const [restaurantName, members, described, lock] = await Promise.all([
      withTenant(db, device.restaurantId, async (tx) => (await q.findRestaurant(tx, device.restaurantId))?.name ?? ""),
      withTenant(db, device.restaurantId, (tx) => q.listPinMembers(tx, device.restaurantId)),
      describeDevice(ctx, device),
      stationLock(ctx, device, ip),
    ]);
    const p = resolution.principal;
    const signedOn = p?.user && p.sessionKind === "pin" ? { name: p.user.name, role: p.user.role } : null;
    return StationPadPage({ nonce, restaurantName, device: described, members, signedOn, screenHref: DEVICE_HOME[device.kind], lock, ...extra });
  };

  return new Elysia({ name: "station-routes" })
    .use(authPlugin(ctx))
    .get("/station", async ({ nonce, resolution, query, set, clientIp }) => {
      if (!resolution.device) {
        set.status = 404;
        return NotAStationPage({ nonce });
      }
      return pad(nonce, resolution, clientIp, { notice: NOTICES[query.done ?? ""] });
    }, { need: "public", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/station/pin", async ({ nonce, resolution, body, set, request, redirect, setSessionCookie, clientIp }) => {
      const device: Device | null = resolution.device;
      if (!device) {
        set.status = 403;
        return NotAStationPage({ nonce });
      }
      const membershipId = body.member || null;
      try {
        const outcome = await signOnOrUnlock(ctx, { device, pin: body.pin, membershipId, ip: clientIp });
        if (outcome.kind === "unlocked") return redirect("/station?done=unlocked", 303);
        const who = outcome.who;
        // Switching user: whoever was signed on in this browser is signed off first.
        const previous = resolution.principal?.sessionId ?? resolution.pending?.sessionId;
        if (previous) await revokeSession(db, previous);
        const { token } = await startSession(db, {
          userId: who.userId, restaurantId: device.restaurantId, kind: "pin", deviceId: device.id,
          userAgent: request.headers.get("user-agent"), ip: clientIp,
        });
        await auditPinSignOn(ctx, device, who, clientIp);
        await setSessionCookie(token);
        return redirect(DEVICE_HOME[device.kind], 303);
      } catch (error) {
        const e = asRefusal(error, set);
        // A locked station says so in its banner; the message under the pad would only repeat it.
        return pad(nonce, resolution, clientIp, { error: e.code === "station_locked" ? undefined : e.message, selected: membershipId });
      }
    }, { need: "public", body: t.Object({ pin: t.String({ maxLength: 20 }), member: t.Optional(t.String({ maxLength: 40 })) }) })
    .post("/station/sign-off", async ({ resolution, redirect, setSessionCookie, clientIp }) => {
      const p = resolution.principal;
      if (p?.sessionId) {
        await revokeSession(db, p.sessionId);
        if (p.sessionKind === "pin" && p.device && p.user) {
          await withTenant(db, p.restaurant.id, (tx) => recordAudit(tx, {
            restaurantId: p.restaurant.id, action: "pin.signoff", actorUserId: p.user!.id, deviceId: p.device!.id, ip: clientIp,
          }));
        }
      }
      await setSessionCookie(null);
      return redirect(resolution.device ? "/station?done=signed-off" : "/sign-in", 303);
    }, { need: "public" });
}
