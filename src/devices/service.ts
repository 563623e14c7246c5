import type { AppContext } from "../context";
import { withTenant, type Tx } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { recordAudit } from "../audit/service";
import { appendEvent } from "../realtime/events";
import { badRequest, conflict, notFound } from "../http/errors";
import { generateToken, sha256 } from "../auth/secrets";
import { revokeDeviceSessions, revokeSession, type Device, type Principal } from "../auth/service";
import { deviceKindEnum } from "../db/schema";
import { RULES } from "../ops/rate-limit";
import { unlockStation } from "../auth/station-lock";
import * as q from "./queries";
import { requiredText } from "../text";
import { UUID } from "../ids";

export type DeviceKind = (typeof deviceKindEnum.enumValues)[number];
export const DEVICE_KINDS = deviceKindEnum.enumValues;
/** Screens that only show and bump may run without anyone signed on; a POS takes orders and money. */
export const PINLESS_KINDS: readonly DeviceKind[] = ["kds", "expo", "board"];


type Actor = { principal: Principal; ip: string | null };
const who = (a: Actor) => ({ restaurantId: a.principal.restaurant.id, actorUserId: a.principal.user?.id ?? null, deviceId: a.principal.device?.id ?? null, ip: a.ip });

export const listStations = (ctx: AppContext, restaurantId: string) => withTenant(ctx.database.db, restaurantId, (tx) => q.listStations(tx, restaurantId));
export const listDevices = (ctx: AppContext, restaurantId: string) => withTenant(ctx.database.db, restaurantId, (tx) => q.listDevices(tx, restaurantId));

export function slugify(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^\w\s-]/g, "").trim().replace(/[\s_-]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
}

/** A kitchen station (grill, fry, bar...): where a KDS screen's tickets come from. */
export async function createStation(ctx: AppContext, a: Actor, input: { name: string }) {
  const rid = a.principal.restaurant.id;
  const name = requiredText(input.name, "name", { label: "The station name", max: 40, empty: "Give the station a name of 1 to 40 characters, like Grill." });
  const slug = slugify(name);
  if (!slug) throw badRequest("Use letters or digits in the station name.", "name");
  try {
    return await withTenant(ctx.database.db, rid, async (tx) => {
      const station = await q.insertStation(tx, { restaurantId: rid, name, slug });
      await recordAudit(tx, { ...who(a), action: "station.created", data: { stationId: station.id, name } });
      await appendEvent(tx, rid, "station.created", { stationId: station.id });
      return station;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`There is already a station called ${name}.`, "name");
    throw error;
  }
}

export async function setStationActive(ctx: AppContext, a: Actor, stationId: string, active: boolean) {
  const rid = a.principal.restaurant.id;
  if (!UUID.test(stationId)) throw notFound("No such station here.");
  return withTenant(ctx.database.db, rid, async (tx) => {
    const station = await q.setStationActive(tx, rid, stationId, active);
    if (!station) throw notFound("No such station here.");
    await recordAudit(tx, { ...who(a), action: active ? "station.reactivated" : "station.deactivated", data: { stationId, name: station.name } });
    await appendEvent(tx, rid, "station.updated", { stationId, active });
    return station;
  });
}

export type EnrolInput = { name: string; kind: string; stationId?: string; pinless?: boolean };

/** Checks an enrolment before anything is written; throws the first problem with its field. */
async function validateEnrolment(ctx: AppContext, rid: string, input: EnrolInput) {
  const name = requiredText(input.name, "name", { label: "The screen name", max: 60, empty: "Give this screen a name of 1 to 60 characters, like Front POS or Grill KDS." });
  if (!(DEVICE_KINDS as readonly string[]).includes(input.kind)) throw badRequest("Choose what this screen is: POS, kitchen display, expo, ready board or guest kiosk.", "kind");
  const kind = input.kind as DeviceKind;
  if (input.pinless && !PINLESS_KINDS.includes(kind)) {
    // A kiosk is the guests' screen: it gets no staff rights at all, so it is never pinless (src/guest/).
    throw badRequest(kind === "kiosk" ? "A guest kiosk cannot be pinless: guests order there without any staff rights." : "A POS always asks for a PIN: it takes orders and payments.", "pinless");
  }
  let stationId: string | null = null;
  if (kind === "kds") {
    const station = input.stationId && UUID.test(input.stationId)
      ? await withTenant(ctx.database.db, rid, (tx) => q.findStation(tx, rid, input.stationId!))
      : null;
    if (!station || !station.active) throw badRequest("Choose the kitchen station this display shows.", "stationId");
    stationId = station.id;
  }
  return { name, kind, stationId, pinless: !!input.pinless };
}

/**
 * Enrols the browser in front of the manager as a station. Returns the device token for the long-lived
 * cookie (shown to nobody, stored only as a hash). If this browser already was a station here, that
 * enrolment is revoked. The manager's own session in this browser ends: the screen is now the
 * station's, and the next person signs on with a PIN.
 */
export async function enrolDevice(ctx: AppContext, a: Actor, input: EnrolInput, current: Device | null): Promise<{ token: string; device: Device }> {
  const rid = a.principal.restaurant.id;
  const valid = await validateEnrolment(ctx, rid, input);
  const token = generateToken("ros_dev");
  const device = await withTenant(ctx.database.db, rid, async (tx) => {
    if (current && current.restaurantId === rid && (await q.revokeDevice(tx, rid, current.id))) {
      await recordAudit(tx, { ...who(a), action: "device.revoked", data: { deviceId: current.id, name: current.name, reason: "replaced by a new enrolment" } });
      await appendEvent(tx, rid, "device.revoked", { deviceId: current.id });
    }
    const row = await q.insertDevice(tx, { restaurantId: rid, ...valid, tokenHash: sha256(token), enrolledBy: a.principal.user?.id ?? null });
    await recordAudit(tx, { ...who(a), action: "device.enrolled", data: { deviceId: row.id, name: row.name, kind: row.kind, pinless: row.pinless, stationId: row.stationId } });
    return row;
  });
  if (current) await revokeDeviceSessions(ctx.database.db, current.restaurantId, current.id);
  if (a.principal.sessionId) await revokeSession(ctx.database.db, a.principal.sessionId);
  return { token, device };
}

/** Revokes a device at once: its cookie stops working and anyone signed on there is signed off. */
export async function revokeDevice(ctx: AppContext, a: Actor, deviceId: string) {
  const rid = a.principal.restaurant.id;
  if (!UUID.test(deviceId)) throw notFound("No such device here.");
  const device = await withTenant(ctx.database.db, rid, async (tx) => {
    const row = await q.revokeDevice(tx, rid, deviceId);
    if (!row) {
      if (await q.findDevice(tx, rid, deviceId)) throw conflict("That device is already revoked.");
      throw notFound("No such device here.");
    }
    await recordAudit(tx, { ...who(a), action: "device.revoked", data: { deviceId, name: row.name } });
    // Live screens hold open event streams; the realtime layer can end this device's on this event.
    await appendEvent(tx, rid, "device.revoked", { deviceId });
    return row;
  });
  await revokeDeviceSessions(ctx.database.db, rid, deviceId);
  return device;
}

/** The devices list with each live station's wrong-PIN lock, if any (minutes left). */
export async function listDevicesWithLocks(ctx: AppContext, restaurantId: string) {
  const rows = await listDevices(ctx, restaurantId);
  return Promise.all(rows.map(async (d) => {
    const lock = d.revokedAt ? null : await ctx.rateLimiter.blocked([[RULES.pinDevice, d.id]]);
    return { ...d, lockedMinutes: lock ? Math.ceil(lock.retryAfterSeconds / 60) : null };
  }));
}

/** Admin's Unlock: lifts a station's wrong-PIN lock at once, audited. */
export async function unlockDevice(ctx: AppContext, a: Actor, deviceId: string) {
  const rid = a.principal.restaurant.id;
  if (!UUID.test(deviceId)) throw notFound("No such device here.");
  const device = await withTenant(ctx.database.db, rid, (tx) => q.findDevice(tx, rid, deviceId));
  if (!device || device.revokedAt) throw notFound("No such device here.");
  await unlockStation(ctx, device);
  await withTenant(ctx.database.db, rid, (tx) => recordAudit(tx, { ...who(a), action: "device.unlocked", data: { deviceId, name: device.name, via: "admin" } }));
  return device;
}

/** What a station's PIN pad shows about itself. */
export async function describeDevice(ctx: AppContext, device: Device) {
  const station = device.stationId
    ? await withTenant(ctx.database.db, device.restaurantId, (tx) => q.findStation(tx, device.restaurantId, device.stationId!))
    : null;
  return { name: device.name, kind: device.kind, pinless: device.pinless, stationName: station?.name ?? null };
}

/** The stations, inside the caller's transaction. */
export const listStationsIn = (tx: Tx, restaurantId: string) => q.listStations(tx, restaurantId);

/**
 * What is wrong with a new name for an existing station, or null: the rules createStation applies,
 * plus one line of plain text (a tab or control character would break tickets and CSV rows).
 */
export function stationNameProblem(name: string): string | null {
  if (!name || name.length > 40) return "Give the station a name of 1 to 40 characters, like Grill.";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "The station name must be one line of text, without tabs or control characters.";
  if (!slugify(name)) return "Use letters or digits in the station name.";
  return null;
}

/**
 * Renames stations inside the caller's transaction (settings saves them with the restaurant's other
 * settings, all or nothing). The slug stays: it is how CSV files and devices already name the station.
 * Returns the stations whose name changed, with the old name, for the audit entry.
 */
export async function renameStationsIn(tx: Tx, restaurantId: string, names: { id: string; name: string }[]) {
  const changed: { id: string; from: string; to: string }[] = [];
  for (const { id, name } of names) {
    const station = await q.findStation(tx, restaurantId, id);
    if (!station || station.name === name) continue;
    await q.renameStation(tx, restaurantId, id, name);
    changed.push({ id, from: station.name, to: name });
  }
  return changed;
}
