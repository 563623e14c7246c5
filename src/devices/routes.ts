import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin, isHtmx } from "../auth/plugin";
import { asRefusal, fieldErrors } from "../auth/refusal";
import type { Principal } from "../auth/service";
import { createStation, enrolDevice, listDevicesWithLocks, listStations, revokeDevice, setStationActive, unlockDevice, type EnrolInput } from "./service";
import { DeviceRow, StationsPage, StationsSection, type StationsPageProps } from "../../views/admin/stations/page";

const FLASHES: Record<string, string> = {
  "station-created": "Station added.",
  "station-updated": "Station updated.",
  "device-revoked": "Device revoked. It no longer works, and anyone signed on there was signed off.",
  "device-unlocked": "Station unlocked. Staff can sign on there again.",
};

/** Admin: kitchen stations, and the devices (station screens) enrolled in this restaurant. */
export function deviceRoutes(ctx: AppContext) {
  const page = async (nonce: string, principal: Principal, extra: Partial<StationsPageProps> = {}) => {
    const rid = principal.restaurant.id;
    const [stations, devices] = await Promise.all([listStations(ctx, rid), listDevicesWithLocks(ctx, rid)]);
    return StationsPage({
      nonce, restaurantName: principal.restaurant.name, userName: principal.user?.name ?? "", timeZone: principal.restaurant.timeZone,
      stations, devices, thisDeviceId: principal.device?.id ?? null, ...extra,
    });
  };
  const section = async (principal: Principal, extra: { errors?: Record<string, string>; name?: string; flash?: string } = {}) =>
    StationsSection({ stations: await listStations(ctx, principal.restaurant.id), ...extra });

  return new Elysia({ name: "device-routes" })
    .use(authPlugin(ctx))
    .get("/admin/stations", ({ nonce, principal, query }) => page(nonce, principal, { flash: FLASHES[query.done ?? ""] }),
      { need: "devices.manage", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/admin/stations", async ({ nonce, principal, body, set, request, redirect, clientIp }) => {
      try {
        await createStation(ctx, { principal, ip: clientIp }, body);
      } catch (error) {
        const e = asRefusal(error, set);
        if (isHtmx(request)) return section(principal, { errors: fieldErrors(e), name: body.name });
        return page(nonce, principal, { stationErrors: fieldErrors(e), stationName: body.name });
      }
      if (isHtmx(request)) return section(principal, { flash: FLASHES["station-created"] });
      return redirect("/admin/stations?done=station-created", 303);
    }, { need: "devices.manage", body: t.Object({ name: t.String({ maxLength: 200 }) }) })
    .post("/admin/stations/:id/active", async ({ principal, params, body, request, redirect, clientIp }) => {
      await setStationActive(ctx, { principal, ip: clientIp }, params.id, body.active === "true");
      if (isHtmx(request)) return section(principal, { flash: FLASHES["station-updated"] });
      return redirect("/admin/stations?done=station-updated", 303);
    }, { need: "devices.manage", body: t.Object({ active: t.Union([t.Literal("true"), t.Literal("false")]) }) })
    .post("/admin/devices", async ({ nonce, principal, body, set, redirect, setDeviceCookie, setSessionCookie, clientIp }) => {
      const input: EnrolInput = { name: body.name, kind: body.kind, stationId: body.stationId || undefined, pinless: body.pinless === "on" };
      try {
        const { token } = await enrolDevice(ctx, { principal, ip: clientIp }, input, principal.device);
        await setDeviceCookie(token);
        await setSessionCookie(null);
        // A kiosk goes straight to the guests' menu; every other station to its PIN pad.
        return redirect(input.kind === "kiosk" ? "/guest/kiosk" : "/station?done=enrolled", 303);
      } catch (error) {
        const e = asRefusal(error, set);
        return page(nonce, principal, { enrolErrors: fieldErrors(e), enrol: input });
      }
    }, {
      need: "devices.manage",
      body: t.Object({ name: t.String({ maxLength: 200 }), kind: t.String({ maxLength: 20 }), stationId: t.Optional(t.String({ maxLength: 40 })), pinless: t.Optional(t.String({ maxLength: 5 })) }),
    })
    .post("/admin/devices/:id/revoke", async ({ principal, params, request, redirect, clientIp }) => {
      const device = await revokeDevice(ctx, { principal, ip: clientIp }, params.id);
      if (isHtmx(request)) {
        const row = (await listDevicesWithLocks(ctx, principal.restaurant.id)).find((d) => d.id === device.id)!;
        return DeviceRow({ device: row, timeZone: principal.restaurant.timeZone, isThis: row.id === principal.device?.id });
      }
      return redirect("/admin/stations?done=device-revoked", 303);
    }, { need: "devices.manage" })
    .post("/admin/devices/:id/unlock", async ({ principal, params, request, redirect, clientIp }) => {
      const device = await unlockDevice(ctx, { principal, ip: clientIp }, params.id);
      if (isHtmx(request)) {
        const row = (await listDevicesWithLocks(ctx, principal.restaurant.id)).find((d) => d.id === device.id)!;
        return DeviceRow({ device: row, timeZone: principal.restaurant.timeZone, isThis: row.id === principal.device?.id });
      }
      return redirect("/admin/stations?done=device-unlocked", 303);
    }, { need: "devices.manage" });
}
