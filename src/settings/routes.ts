import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { asRefusal } from "../auth/refusal";
import type { Principal } from "../auth/service";
import { wantsJson } from "../http/request-context";
import { InvalidSettings, loadSettings, saveSettings, type SettingsForm } from "./service";
import { SettingsPage, settingsValues, type SettingsValues } from "../../views/admin/settings/page";

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : Array.isArray(v) && typeof v.at(-1) === "string" ? v.at(-1) : undefined);

/** The form body as the service reads it; station names come as station-<id> fields. */
function formOf(body: unknown): SettingsForm {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const stationNames: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(b)) if (key.startsWith("station-")) stationNames[key.slice("station-".length)] = text(value);
  return {
    name: text(b.name), timeZone: text(b.timeZone), dayStartsAtHour: text(b.dayStartsAtHour), taxRate: text(b.taxRate), taxInclusive: text(b.taxInclusive),
    warnAfter: text(b.warnAfter), lateAfter: text(b.lateAfter), criticalAfter: text(b.criticalAfter), stationNames,
  };
}

/** A refused form shows what was typed, not what is saved. */
function typed(form: SettingsForm, saved: SettingsValues): SettingsValues {
  const pick = (k: Exclude<keyof SettingsValues, "stationNames">) => form[k] ?? saved[k];
  return {
    name: pick("name"), timeZone: pick("timeZone"), dayStartsAtHour: pick("dayStartsAtHour"), taxRate: pick("taxRate"), taxInclusive: pick("taxInclusive"),
    warnAfter: pick("warnAfter"), lateAfter: pick("lateAfter"), criticalAfter: pick("criticalAfter"),
    stationNames: { ...saved.stationNames, ...Object.fromEntries(Object.entries(form.stationNames).filter(([, v]) => v !== undefined)) as Record<string, string> },
  };
}

/** Managers change what was fixed at creation: name, time zone, business day, tax, ticket ageing, station names. */
export function settingsRoutes(ctx: AppContext) {
  const page = async (nonce: string, p: Principal, extra: { form?: SettingsForm; errors?: Record<string, string>; flash?: string } = {}) => {
    const { restaurant, stations } = await loadSettings(ctx, p.restaurant.id);
    const saved = settingsValues(restaurant, stations);
    return SettingsPage({
      nonce, restaurantName: restaurant.name, userName: p.user?.name ?? "", currency: restaurant.currency, stations,
      values: extra.form ? typed(extra.form, saved) : saved, errors: extra.errors, flash: extra.flash,
    });
  };
  return new Elysia({ name: "settings" })
    .use(authPlugin(ctx))
    .get("/admin/settings", ({ nonce, principal, query }) => page(nonce, principal, { flash: query.done === "saved" ? "Settings saved." : undefined }), { need: "settings.edit" })
    .post("/admin/settings", async ({ nonce, principal, body, set, request, redirect, clientIp }) => {
      const form = formOf(body);
      try {
        await saveSettings(ctx, { principal, ip: clientIp }, form);
      } catch (error) {
        const refusal = asRefusal(error, set);
        if (wantsJson(request)) throw refusal;
        return page(nonce, principal, { form, errors: refusal instanceof InvalidSettings ? refusal.errors : { [refusal.field ?? "name"]: refusal.message } });
      }
      return redirect("/admin/settings?done=saved", 303);
    }, { need: "settings.edit" });
}
