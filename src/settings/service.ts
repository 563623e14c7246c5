import type { AppContext } from "../context";
import { withTenant } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { appendEvent } from "../realtime/events";
import { HttpError } from "../http/errors";
import { parsePercent } from "../money";
import { isValidTimeZone } from "../restaurants/service";
import { findRestaurantById, updateRestaurantSettings, type RestaurantSettings } from "../restaurants/queries";
import { listStations, listStationsIn, renameStationsIn, stationNameProblem } from "../devices/service";
import type { Principal } from "../auth/service";

/** What the settings form sends: every value as typed. Station names are keyed by station id. */
export type SettingsForm = {
  name?: string; timeZone?: string; dayStartsAtHour?: string; taxRate?: string; taxInclusive?: string;
  warnAfter?: string; lateAfter?: string; criticalAfter?: string; stationNames: Record<string, string | undefined>;
};

export type SettingsErrors = Record<string, string>;

/** Every problem of a settings form at once, each at its field; the first is the message of the 400. */
export class InvalidSettings extends HttpError {
  constructor(readonly errors: SettingsErrors) {
    const [field, message] = Object.entries(errors)[0]!;
    super(400, "validation", message, field);
  }
}

/** Event every process sees (the menu cache drops its copy on "restaurant.*": tax may have changed). */
export const SETTINGS_EVENT = "restaurant.settings_updated";

/** Tabs and control characters break tickets, CSV rows and log lines (the same rule as every free text). */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Ticket ageing thresholds, in minutes: at least a minute, at most four hours. */
const AGE_MIN = 1;
const AGE_MAX = 240;
export const stationField = (id: string) => `station-${id}`;

function wholeNumber(raw: string | undefined, min: number, max: number): number | null {
  const text = (raw ?? "").trim();
  if (!/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

type Station = { id: string; name: string };

/** Checks the whole form before anything is written. Throws InvalidSettings naming every bad field. */
export function parseSettings(form: SettingsForm, stations: Station[]): { values: RestaurantSettings; names: Station[] } {
  const errors: SettingsErrors = {};
  const name = (form.name ?? "").trim();
  if (!name || name.length > 120) errors.name = "Give the restaurant a name of 1 to 120 characters.";
  else if (CONTROL.test(name)) errors.name = "The name must be one line of text, without tabs or control characters.";
  const timeZone = (form.timeZone ?? "").trim();
  if (!timeZone || !isValidTimeZone(timeZone)) errors.timeZone = `Choose a time zone from the list (an IANA name like Europe/London)${timeZone ? `, not "${timeZone.slice(0, 60)}"` : ""}.`;
  const dayStartsAtHour = wholeNumber(form.dayStartsAtHour, 0, 23);
  if (dayStartsAtHour === null) errors.dayStartsAtHour = "Choose the hour a business day starts, 0 to 23.";
  const tax = parsePercent(form.taxRate ?? "");
  if (!tax.ok) errors.taxRate = tax.message;
  if (form.taxInclusive !== "inclusive" && form.taxInclusive !== "exclusive") errors.taxInclusive = "Choose whether menu prices include tax or not.";
  const ages = (["warnAfter", "lateAfter", "criticalAfter"] as const).map((field) => {
    const n = wholeNumber(form[field], AGE_MIN, AGE_MAX);
    if (n === null) errors[field] = `Enter whole minutes from ${AGE_MIN} to ${AGE_MAX}.`;
    return n;
  });
  const [warn, late, critical] = ages as [number | null, number | null, number | null];
  if (warn !== null && late !== null && late <= warn) errors.lateAfter ??= `Late must come after warning (more than ${warn} minutes).`;
  if (late !== null && critical !== null && critical <= late) errors.criticalAfter ??= `Critical must come after late (more than ${late} minutes).`;

  const names = stations.map((s) => ({ id: s.id, name: (form.stationNames[s.id] ?? s.name).trim() }));
  const seen = new Map<string, string>();
  for (const s of names) {
    const problem = stationNameProblem(s.name);
    const key = s.name.toLowerCase();
    if (problem) errors[stationField(s.id)] = problem;
    else if (seen.has(key)) errors[stationField(s.id)] = `Two stations cannot both be called ${s.name}.`;
    seen.set(key, s.id);
  }
  if (Object.keys(errors).length) throw new InvalidSettings(errors);
  return {
    values: { name, timeZone, dayStartsAtHour: dayStartsAtHour!, taxRateBps: tax.ok ? tax.value : 0, taxInclusive: form.taxInclusive === "inclusive", ageThresholds: [warn!, late!, critical!] },
    names,
  };
}

export async function loadSettings(ctx: AppContext, restaurantId: string) {
  const [restaurant, stations] = await Promise.all([
    withTenant(ctx.database.db, restaurantId, (tx) => findRestaurantById(tx, restaurantId)),
    listStations(ctx, restaurantId),
  ]);
  return { restaurant: restaurant!, stations };
}

const SETTINGS_FIELDS = ["name", "timeZone", "dayStartsAtHour", "taxRateBps", "taxInclusive", "ageThresholds"] as const;

/**
 * Saves the restaurant's settings and station names together, all or nothing, with one audit entry
 * listing what changed (before and after) and one event. Orders already taken keep their tax.
 */
export async function saveSettings(ctx: AppContext, a: { principal: Principal; ip: string | null }, form: SettingsForm) {
  const rid = a.principal.restaurant.id;
  return withTenant(ctx.database.db, rid, async (tx) => {
    const current = (await findRestaurantById(tx, rid))!;
    const { values, names } = parseSettings(form, await listStationsIn(tx, rid));
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of SETTINGS_FIELDS) {
      if (JSON.stringify(current[field]) !== JSON.stringify(values[field])) changes[field] = { from: current[field], to: values[field] };
    }
    const renamed = await renameStationsIn(tx, rid, names);
    if (!Object.keys(changes).length && !renamed.length) return { changed: false };
    await updateRestaurantSettings(tx, rid, values);
    await recordAudit(tx, {
      restaurantId: rid, action: "settings.updated", actorUserId: a.principal.user?.id ?? null, deviceId: a.principal.device?.id ?? null, ip: a.ip,
      data: { changes, stationsRenamed: renamed },
    });
    await appendEvent(tx, rid, SETTINGS_EVENT, { fields: Object.keys(changes), stations: renamed.map((r) => r.id) });
    return { changed: true };
  });
}
