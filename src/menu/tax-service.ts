import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { conflict, notFound } from "../http/errors";
import * as q from "./admin-queries";
import { recordMenuChange } from "./change";
import type { MenuActor } from "./service";
import { parsePercent } from "../money";
import { checkName, InvalidInput, type FieldErrors } from "./validate";

export type TaxForm = { name?: string; rate?: string };
export type PricingForm = { defaultRate?: string; taxInclusive?: string };

/** Creates (id null) or updates a tax category: a named rate items can use instead of the default. */
export async function saveTaxCategory(db: Db, restaurantId: string, actor: MenuActor, id: string | null, form: TaxForm): Promise<q.TaxCategory> {
  const name = checkName(form.name, "Tax category name");
  try {
    return await withTenant(db, restaurantId, async (tx) => {
      const existing = id ? await q.findTaxCategory(tx, restaurantId, id) : null;
      if (id && !existing) throw notFound("That tax category does not exist.");
      const errors: FieldErrors = {};
      if (name.error) errors.name = name.error;
      else if (await q.taxNameTaken(tx, restaurantId, name.value, id)) errors.name = `There is already a tax category called "${name.value}"`;
      const rate = parsePercent(form.rate ?? "");
      if (!rate.ok) errors.rate = rate.message;
      if (Object.keys(errors).length || !rate.ok) throw new InvalidInput(errors);
      const values = { name: name.value, rateBps: rate.value };
      let tax: q.TaxCategory;
      if (existing) {
        await q.updateTaxCategory(tx, restaurantId, existing.id, values);
        tax = { ...existing, ...values };
      } else {
        tax = await q.insertTaxCategory(tx, restaurantId, values);
      }
      await recordMenuChange(tx, restaurantId, actor, { kind: "tax", action: existing ? "updated" : "created", id: tax.id }, values);
      return tax;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new InvalidInput({ name: `There is already a tax category called "${name.value}"` }, 409);
    throw error;
  }
}

/** Deletes a tax category no item uses. */
export async function deleteTaxCategory(db: Db, restaurantId: string, actor: MenuActor, id: string): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const tax = await q.findTaxCategory(tx, restaurantId, id);
    if (!tax) throw notFound("That tax category does not exist.");
    const used = await q.countItemsWithTax(tx, restaurantId, id);
    if (used > 0) throw conflict(`${used} item${used === 1 ? " uses" : "s use"} "${tax.name}": give ${used === 1 ? "it" : "them"} another tax category first.`);
    await q.deleteTaxCategory(tx, restaurantId, id);
    await recordMenuChange(tx, restaurantId, actor, { kind: "tax", action: "deleted", id }, { name: tax.name });
  });
}

/** The restaurant's default tax rate and whether menu prices include tax. Orders already taken keep theirs. */
export async function savePricing(db: Db, restaurantId: string, actor: MenuActor, form: PricingForm): Promise<void> {
  const rate = parsePercent(form.defaultRate ?? "");
  const errors: FieldErrors = {};
  if (!rate.ok) errors.defaultRate = rate.message;
  if (form.taxInclusive !== "inclusive" && form.taxInclusive !== "exclusive") errors.taxInclusive = "Choose whether menu prices include tax or not";
  if (Object.keys(errors).length || !rate.ok) throw new InvalidInput(errors);
  await withTenant(db, restaurantId, async (tx) => {
    const values = { taxRateBps: rate.value, taxInclusive: form.taxInclusive === "inclusive" };
    await q.updatePricing(tx, restaurantId, values);
    await recordMenuChange(tx, restaurantId, actor, { kind: "pricing", action: "updated", id: restaurantId }, values);
  });
}
