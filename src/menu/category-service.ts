import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { isUniqueViolation } from "../db/errors";
import { badRequest, conflict, notFound } from "../http/errors";
import * as q from "./admin-queries";
import { recordMenuChange, moveOne, type Direction } from "./change";
import type { MenuActor } from "./service";
import { checkName, InvalidInput } from "./validate";

export type CategoryForm = { name?: string; active?: boolean };

const duplicate = (name: string) => new InvalidInput({ name: `There is already a category called "${name}"` }, 409);

/** Creates (id null) or updates a category; refuses an empty, overlong or duplicate name. */
export async function saveCategory(db: Db, restaurantId: string, actor: MenuActor, id: string | null, form: CategoryForm): Promise<q.Category> {
  const name = checkName(form.name, "Category name");
  try {
    return await withTenant(db, restaurantId, async (tx) => {
      const existing = id ? await q.findCategory(tx, restaurantId, id) : null;
      if (id && !existing) throw notFound("That category does not exist.");
      if (name.error) throw new InvalidInput({ name: name.error });
      if (await q.categoryNameTaken(tx, restaurantId, name.value, id)) throw duplicate(name.value);
      const values = { name: name.value, active: form.active ?? existing?.active ?? true };
      let category: q.Category;
      if (existing) {
        await q.updateCategory(tx, restaurantId, existing.id, values);
        category = { ...existing, ...values };
      } else {
        category = await q.insertCategory(tx, restaurantId, values);
      }
      await recordMenuChange(tx, restaurantId, actor, { kind: "category", action: existing ? "updated" : "created", id: category.id }, { name: category.name });
      return category;
    });
  } catch (error) {
    // Two managers adding the same name at once: the unique index decides.
    if (isUniqueViolation(error)) throw duplicate(name.value);
    throw error;
  }
}

export async function moveCategory(db: Db, restaurantId: string, actor: MenuActor, id: string, direction: Direction): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    if (!(await q.findCategory(tx, restaurantId, id))) throw notFound("That category does not exist.");
    const ids = (await q.listCategories(tx, restaurantId)).map((c) => c.id);
    const order = moveOne(ids, id, direction);
    if (!order) return; // already first or last: nothing to do, nothing to announce
    await q.setCategoryPositions(tx, restaurantId, order);
    await recordMenuChange(tx, restaurantId, actor, { kind: "category", action: "moved", id }, { direction });
  });
}

/** Deletes an empty category; one with items is refused, so nothing on the menu disappears by accident. */
export async function deleteCategory(db: Db, restaurantId: string, actor: MenuActor, id: string): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    const category = await q.findCategory(tx, restaurantId, id);
    if (!category) throw notFound("That category does not exist.");
    const items = await q.countItemsInCategory(tx, restaurantId, id);
    if (items > 0) throw conflict(`"${category.name}" still has ${items} item${items === 1 ? "" : "s"}: move or delete ${items === 1 ? "it" : "them"} first.`);
    await q.deleteCategory(tx, restaurantId, id);
    await recordMenuChange(tx, restaurantId, actor, { kind: "category", action: "deleted", id }, { name: category.name });
  });
}

export function parseDirection(value: unknown): Direction {
  if (value === "up" || value === "down") return value;
  throw badRequest("Direction must be up or down", "direction");
}
