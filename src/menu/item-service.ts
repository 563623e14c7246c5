import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { notFound } from "../http/errors";
import * as q from "./admin-queries";
import { recordMenuChange, moveOne, type Direction } from "./change";
import type { MenuActor } from "./service";
import { parsePrice } from "../money";
import { checkName, checkText, DESCRIPTION_MAX, InvalidInput, KITCHEN_NAME_MAX, type FieldErrors } from "./validate";

/** What the item form sends, as typed: every value is still a string the service checks. */
export type ItemForm = {
  categoryId?: string;
  name?: string;
  description?: string;
  price?: string;
  taxCategoryId?: string;
  kitchenName?: string;
  active?: boolean;
  stationIds?: string[];
};

/**
 * Creates (id null) or updates an item and its station routing. Ids of another restaurant in any
 * field are "not found" (404) before anything is written; field problems are all reported at once.
 */
export async function saveItem(db: Db, restaurantId: string, actor: MenuActor, id: string | null, form: ItemForm): Promise<q.Item> {
  try {
    return await withTenant(db, restaurantId, async (tx) => {
      const existing = id ? await q.findItem(tx, restaurantId, id) : null;
      if (id && !existing) throw notFound("That menu item does not exist.");
      const { values, stationIds } = await checkItemForm(tx, restaurantId, form, existing);
      let item: q.Item;
      if (existing) {
        const moved = existing.categoryId !== values.categoryId;
        const position = moved ? (await q.listItemsInCategory(tx, restaurantId, values.categoryId)).length : existing.position;
        await q.updateItem(tx, restaurantId, existing.id, { ...values, position });
        item = { ...existing, ...values, position };
      } else {
        item = await q.insertItem(tx, restaurantId, values);
      }
      await q.replaceItemStations(tx, restaurantId, item.id, stationIds);
      await recordMenuChange(tx, restaurantId, actor, { kind: "item", action: existing ? "updated" : "created", id: item.id }, {
        name: item.name, priceCents: item.priceCents, ...(existing && existing.priceCents !== item.priceCents ? { previousPriceCents: existing.priceCents } : {}),
      });
      return item;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new InvalidInput({ name: "There is already an item with this name in that category" }, 409);
    throw error;
  }
}

async function checkItemForm(tx: Tx, restaurantId: string, form: ItemForm, existing: q.Item | null) {
  const pricing = await q.findPricing(tx, restaurantId);
  const errors: FieldErrors = {};
  // Foreign or unknown ids first: they are refused as "not found" whatever else is wrong.
  const category = form.categoryId ? await q.findCategory(tx, restaurantId, form.categoryId) : null;
  if (form.categoryId && !category) throw notFound("That category does not exist.");
  const tax = form.taxCategoryId ? await q.findTaxCategory(tx, restaurantId, form.taxCategoryId) : null;
  if (form.taxCategoryId && !tax) throw notFound("That tax category does not exist.");
  const stationIds = [...new Set(form.stationIds ?? [])];
  const known = await q.existingStationIds(tx, restaurantId, stationIds);
  if (stationIds.some((s) => !known.has(s))) throw notFound("That station does not exist.");

  if (!category) errors.categoryId = "Choose a category";
  const name = checkName(form.name, "Name");
  if (name.error) errors.name = name.error;
  const price = parsePrice(form.price ?? "", pricing?.currency ?? "USD");
  if (!price.ok) errors.price = price.message;
  const description = checkText(form.description, "Description", DESCRIPTION_MAX, true);
  if (description.error) errors.description = description.error;
  const kitchenName = checkText(form.kitchenName, "Kitchen name", KITCHEN_NAME_MAX);
  if (kitchenName.error) errors.kitchenName = kitchenName.error;
  if (category && !name.error && await q.itemNameTaken(tx, restaurantId, category.id, name.value, existing?.id ?? null)) {
    errors.name = `There is already an item called "${name.value}" in ${category.name}`;
  }
  if (Object.keys(errors).length) throw new InvalidInput(errors);
  const values: q.ItemValues = {
    categoryId: category!.id,
    name: name.value,
    description: description.value,
    kitchenName: kitchenName.value || null,
    priceCents: price.ok ? price.value : 0,
    taxCategoryId: tax?.id ?? null,
    active: form.active ?? existing?.active ?? true,
  };
  return { values, stationIds };
}

export async function moveItem(db: Db, restaurantId: string, actor: MenuActor, id: string, direction: Direction): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const item = await q.findItem(tx, restaurantId, id);
    if (!item) throw notFound("That menu item does not exist.");
    const ids = (await q.listItemsInCategory(tx, restaurantId, item.categoryId)).map((i) => i.id);
    const order = moveOne(ids, id, direction);
    if (!order) return;
    await q.setItemPositions(tx, restaurantId, order);
    await recordMenuChange(tx, restaurantId, actor, { kind: "item", action: "moved", id }, { direction });
  });
}

/** Deletes an item. Orders already taken keep their own copy of its name and price. */
export async function deleteItem(db: Db, restaurantId: string, actor: MenuActor, id: string): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const item = await q.findItem(tx, restaurantId, id);
    if (!item) throw notFound("That menu item does not exist.");
    await q.deleteItem(tx, restaurantId, id);
    await recordMenuChange(tx, restaurantId, actor, { kind: "item", action: "deleted", id }, { name: item.name });
  });
}

/** Attaches a modifier group to an item, at the end of its list. */
export async function attachGroup(db: Db, restaurantId: string, actor: MenuActor, itemId: string, groupId: string): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const item = await q.findItem(tx, restaurantId, itemId);
    if (!item) throw notFound("That menu item does not exist.");
    if (!groupId) throw new InvalidInput({ groupId: "Choose a modifier group to add" });
    const group = await q.findGroup(tx, restaurantId, groupId);
    if (!group) throw notFound("That modifier group does not exist.");
    const attached = await q.listItemGroups(tx, restaurantId, itemId);
    if (attached.some((g) => g.groupId === groupId)) throw new InvalidInput({ groupId: `"${group.name}" is already on this item` }, 409);
    await q.attachGroup(tx, restaurantId, itemId, groupId);
    await recordMenuChange(tx, restaurantId, actor, { kind: "item", action: "attached", id: itemId }, { groupId, group: group.name });
  });
}

export async function detachGroup(db: Db, restaurantId: string, actor: MenuActor, itemId: string, groupId: string): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const item = await q.findItem(tx, restaurantId, itemId);
    const group = await q.findGroup(tx, restaurantId, groupId);
    if (!item || !group) throw notFound("That menu item or modifier group does not exist.");
    await q.detachGroup(tx, restaurantId, itemId, groupId);
    await recordMenuChange(tx, restaurantId, actor, { kind: "item", action: "detached", id: itemId }, { groupId, group: group.name });
  });
}

export async function moveItemGroup(db: Db, restaurantId: string, actor: MenuActor, itemId: string, groupId: string, direction: Direction): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    if (!(await q.findItem(tx, restaurantId, itemId))) throw notFound("That menu item does not exist.");
    const ids = (await q.listItemGroups(tx, restaurantId, itemId)).map((g) => g.groupId);
    if (!ids.includes(groupId)) throw notFound("That modifier group is not on this item.");
    const order = moveOne(ids, groupId, direction);
    if (!order) return;
    await q.setItemGroupPositions(tx, restaurantId, itemId, order);
    await recordMenuChange(tx, restaurantId, actor, { kind: "item", action: "moved", id: itemId }, { groupId, direction });
  });
}
