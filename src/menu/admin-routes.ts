import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import type { Principal } from "../auth/service";
import { authPlugin } from "../auth/plugin";
import { notFound } from "../http/errors";
import { loadMenuAdmin } from "./admin-read";
import { menuAdminLive } from "./admin-stream";
import { openScreenStream } from "../realtime/screen-stream";
import { answer, actorOf, flashFor, formBody, frameOf, html, type Body } from "./http";
import { deleteCategory, moveCategory, parseDirection, saveCategory } from "./category-service";
import { attachGroup, deleteItem, detachGroup, moveItem, moveItemGroup, saveItem, type ItemForm } from "./item-service";
import { deleteGroup, deleteOption, moveOption, saveGroup, saveOption, type GroupForm, type OptionForm } from "./group-service";
import { deleteTaxCategory, savePricing, saveTaxCategory } from "./tax-service";
import { isTicked, manyValues, oneValue } from "./validate";
import { MenuOverviewPage } from "../../views/admin/menu/overview";
import { ItemPage } from "../../views/admin/menu/item";
import { GroupPage, GroupsPage } from "../../views/admin/menu/groups";
import { TaxPage } from "../../views/admin/menu/taxes";
import type { Flash, FormState } from "../../views/admin/menu/form-state";

const EDIT = { need: "menu.edit" as const };
const ID = t.Object({ id: t.String() });

/** A checkbox that is on the form (activeShown) but unticked means false; not on the form means "leave as is". */
const shownBool = (body: Body, field: string) => (body[`${field}Shown`] !== undefined ? isTicked(body[field]) : undefined);

function itemForm(body: Body): ItemForm {
  return {
    categoryId: oneValue(body.categoryId), name: oneValue(body.name), description: oneValue(body.description), price: oneValue(body.price),
    taxCategoryId: oneValue(body.taxCategoryId), kitchenName: oneValue(body.kitchenName), active: shownBool(body, "active") ?? true,
    stationIds: manyValues(body.stationIds),
  };
}

const groupForm = (body: Body): GroupForm => ({
  name: oneValue(body.name), required: isTicked(body.required), minSelect: oneValue(body.minSelect), maxSelect: oneValue(body.maxSelect), options: oneValue(body.options),
});

const optionForm = (body: Body): OptionForm => ({
  name: oneValue(body.name), priceDelta: oneValue(body.priceDelta), isDefault: isTicked(body.isDefault), stationId: oneValue(body.stationId),
});

/** The manager's menu screens: every page is a plain form that htmx makes feel instant. */
export function adminMenuRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  type C = { principal: Principal; nonce: string };

  const overview = (c: C) => async (state: FormState | null, flash: Flash | null) =>
    MenuOverviewPage({ frame: frameOf(c.principal, c.nonce), data: await loadMenuAdmin(db, c.principal.restaurant.id), state, flash });

  const itemPage = (c: C, itemId: string | null, categoryId?: string) => async (state: FormState | null, flash: Flash | null) => {
    const data = await loadMenuAdmin(db, c.principal.restaurant.id);
    const item = itemId ? data.items.find((i) => i.id === itemId) : null;
    if (itemId && !item) throw notFound("That menu item does not exist.");
    return ItemPage({ frame: frameOf(c.principal, c.nonce), data, item: item ?? null, categoryId, state, flash });
  };

  const groupsPage = (c: C) => async (state: FormState | null, flash: Flash | null) =>
    GroupsPage({ frame: frameOf(c.principal, c.nonce), data: await loadMenuAdmin(db, c.principal.restaurant.id), state, flash });

  const groupPage = (c: C, groupId: string) => async (state: FormState | null, flash: Flash | null) => {
    const data = await loadMenuAdmin(db, c.principal.restaurant.id);
    const group = data.groups.find((g) => g.id === groupId);
    if (!group) throw notFound("That modifier group does not exist.");
    return GroupPage({ frame: frameOf(c.principal, c.nonce), data, group, state, flash });
  };

  const taxPage = (c: C) => async (state: FormState | null, flash: Flash | null) =>
    TaxPage({ frame: frameOf(c.principal, c.nonce), data: await loadMenuAdmin(db, c.principal.restaurant.id), state, flash });

  const groupOfOption = async (restaurantId: string, optionId: string) => {
    const data = await loadMenuAdmin(db, restaurantId);
    const option = data.options.find((o) => o.id === optionId);
    if (!option) throw notFound("That modifier option does not exist.");
    return option.groupId;
  };

  const live = menuAdminLive(db);

  return new Elysia({ name: "menu-admin" })
    .use(authPlugin(ctx))
    // ---- live 86 switches on every menu admin page (public/js/live.js)
    .get("/admin/menu/stream", ({ principal, request, query }) => openScreenStream(ctx, {
      request, principal, key: "menu-admin", scope: "", render: live.render, since: query.since,
      snapshot: () => live.snapshot(principal.restaurant.id),
    }), { ...EDIT, query: t.Object({ since: t.Optional(t.String({ maxLength: 20 })) }) })
    // ---- categories and items overview
    .get("/admin/menu", async (c) => html(c.set, 200, await overview(c)(null, flashFor(c.query.done))), EDIT)
    .post("/admin/menu/categories", (c) => answer(c, {
      formKey: "new-category", page: "/admin/menu", done: "category-created", render: overview(c),
      run: async () => { await saveCategory(db, c.principal.restaurant.id, actorOf(c.principal), null, { name: oneValue(formBody(c.body).name) }); },
    }), EDIT)
    .post("/admin/menu/categories/:id", (c) => answer(c, {
      formKey: `category:${c.params.id}`, page: "/admin/menu", done: "category-saved", render: overview(c),
      run: async () => {
        const body = formBody(c.body);
        await saveCategory(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, { name: oneValue(body.name), active: shownBool(body, "active") });
      },
    }), { ...EDIT, params: ID })
    .post("/admin/menu/categories/:id/move", (c) => answer(c, {
      formKey: "", page: "/admin/menu", done: "moved", render: overview(c),
      run: () => moveCategory(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, parseDirection(formBody(c.body).direction)),
    }), { ...EDIT, params: ID })
    .post("/admin/menu/categories/:id/delete", (c) => answer(c, {
      formKey: "", page: "/admin/menu", done: "category-deleted", render: overview(c),
      run: () => deleteCategory(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id),
    }), { ...EDIT, params: ID })
    // ---- one item
    .get("/admin/menu/items/new", async (c) => html(c.set, 200, await itemPage(c, null, typeof c.query.category === "string" ? c.query.category : undefined)(null, null)), EDIT)
    .post("/admin/menu/items", (c) => answer(c, {
      formKey: "item", page: "/admin/menu", done: "item-created", render: itemPage(c, null), navigateTo: true,
      run: async () => `/admin/menu/items/${(await saveItem(db, c.principal.restaurant.id, actorOf(c.principal), null, itemForm(formBody(c.body)))).id}`,
    }), EDIT)
    .get("/admin/menu/items/:id", async (c) => html(c.set, 200, await itemPage(c, c.params.id)(null, flashFor(c.query.done))), { ...EDIT, params: ID })
    .post("/admin/menu/items/:id", (c) => answer(c, {
      formKey: "item", page: `/admin/menu/items/${c.params.id}`, done: "item-saved", render: itemPage(c, c.params.id),
      run: async () => { await saveItem(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, itemForm(formBody(c.body))); },
    }), { ...EDIT, params: ID })
    .post("/admin/menu/items/:id/move", (c) => answer(c, {
      formKey: "", page: "/admin/menu", done: "moved", render: overview(c),
      run: () => moveItem(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, parseDirection(formBody(c.body).direction)),
    }), { ...EDIT, params: ID })
    .post("/admin/menu/items/:id/delete", (c) => answer(c, {
      formKey: "", page: "/admin/menu", done: "item-deleted", render: overview(c), navigateTo: true,
      run: () => deleteItem(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id),
    }), { ...EDIT, params: ID })
    .post("/admin/menu/items/:id/groups", (c) => answer(c, {
      formKey: "attach", page: `/admin/menu/items/${c.params.id}`, done: "group-attached", render: itemPage(c, c.params.id),
      run: () => attachGroup(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, oneValue(formBody(c.body).groupId)),
    }), { ...EDIT, params: ID })
    .post("/admin/menu/items/:id/groups/:groupId/move", (c) => answer(c, {
      formKey: "", page: `/admin/menu/items/${c.params.id}`, done: "moved", render: itemPage(c, c.params.id),
      run: () => moveItemGroup(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, c.params.groupId, parseDirection(formBody(c.body).direction)),
    }), { ...EDIT, params: t.Object({ id: t.String(), groupId: t.String() }) })
    .post("/admin/menu/items/:id/groups/:groupId/remove", (c) => answer(c, {
      formKey: "", page: `/admin/menu/items/${c.params.id}`, done: "group-removed", render: itemPage(c, c.params.id),
      run: () => detachGroup(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, c.params.groupId),
    }), { ...EDIT, params: t.Object({ id: t.String(), groupId: t.String() }) })
    // ---- modifier groups and options
    .get("/admin/menu/groups", async (c) => html(c.set, 200, await groupsPage(c)(null, flashFor(c.query.done))), EDIT)
    .post("/admin/menu/groups", (c) => answer(c, {
      formKey: "new-group", page: "/admin/menu/groups", done: "group-created", render: groupsPage(c), navigateTo: true,
      run: async () => `/admin/menu/groups/${(await saveGroup(db, c.principal.restaurant.id, actorOf(c.principal), null, groupForm(formBody(c.body)))).id}`,
    }), EDIT)
    .get("/admin/menu/groups/:id", async (c) => html(c.set, 200, await groupPage(c, c.params.id)(null, flashFor(c.query.done))), { ...EDIT, params: ID })
    .post("/admin/menu/groups/:id", (c) => answer(c, {
      formKey: "group", page: `/admin/menu/groups/${c.params.id}`, done: "group-saved", render: groupPage(c, c.params.id),
      run: async () => { await saveGroup(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, groupForm(formBody(c.body))); },
    }), { ...EDIT, params: ID })
    .post("/admin/menu/groups/:id/delete", (c) => answer(c, {
      formKey: "", page: "/admin/menu/groups", done: "group-deleted", render: groupsPage(c), navigateTo: true,
      run: () => deleteGroup(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id),
    }), { ...EDIT, params: ID })
    .post("/admin/menu/groups/:id/options", (c) => answer(c, {
      formKey: "new-option", page: `/admin/menu/groups/${c.params.id}`, done: "option-created", render: groupPage(c, c.params.id),
      run: async () => { await saveOption(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, null, optionForm(formBody(c.body))); },
    }), { ...EDIT, params: ID })
    .post("/admin/menu/options/:id", async (c) => {
      const groupId = await groupOfOption(c.principal.restaurant.id, c.params.id);
      return answer(c, {
        formKey: `option:${c.params.id}`, page: `/admin/menu/groups/${groupId}`, done: "option-saved", render: groupPage(c, groupId),
        run: async () => { await saveOption(db, c.principal.restaurant.id, actorOf(c.principal), groupId, c.params.id, optionForm(formBody(c.body))); },
      });
    }, { ...EDIT, params: ID })
    .post("/admin/menu/options/:id/move", async (c) => {
      const groupId = await groupOfOption(c.principal.restaurant.id, c.params.id);
      return answer(c, {
        formKey: "", page: `/admin/menu/groups/${groupId}`, done: "moved", render: groupPage(c, groupId),
        run: async () => { await moveOption(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, parseDirection(formBody(c.body).direction)); },
      });
    }, { ...EDIT, params: ID })
    .post("/admin/menu/options/:id/delete", async (c) => {
      const groupId = await groupOfOption(c.principal.restaurant.id, c.params.id);
      return answer(c, {
        formKey: "", page: `/admin/menu/groups/${groupId}`, done: "option-deleted", render: groupPage(c, groupId),
        run: async () => { await deleteOption(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id); },
      });
    }, { ...EDIT, params: ID })
    // ---- tax and pricing
    .get("/admin/menu/taxes", async (c) => html(c.set, 200, await taxPage(c)(null, flashFor(c.query.done))), EDIT)
    .post("/admin/menu/pricing", (c) => answer(c, {
      formKey: "pricing", page: "/admin/menu/taxes", done: "pricing-saved", render: taxPage(c),
      run: () => { const b = formBody(c.body); return savePricing(db, c.principal.restaurant.id, actorOf(c.principal), { defaultRate: oneValue(b.defaultRate), taxInclusive: oneValue(b.taxInclusive) }); },
    }), EDIT)
    .post("/admin/menu/taxes", (c) => answer(c, {
      formKey: "new-tax", page: "/admin/menu/taxes", done: "tax-created", render: taxPage(c),
      run: async () => { const b = formBody(c.body); await saveTaxCategory(db, c.principal.restaurant.id, actorOf(c.principal), null, { name: oneValue(b.name), rate: oneValue(b.rate) }); },
    }), EDIT)
    .post("/admin/menu/taxes/:id", (c) => answer(c, {
      formKey: `tax:${c.params.id}`, page: "/admin/menu/taxes", done: "tax-saved", render: taxPage(c),
      run: async () => { const b = formBody(c.body); await saveTaxCategory(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id, { name: oneValue(b.name), rate: oneValue(b.rate) }); },
    }), { ...EDIT, params: ID })
    .post("/admin/menu/taxes/:id/delete", (c) => answer(c, {
      formKey: "", page: "/admin/menu/taxes", done: "tax-deleted", render: taxPage(c),
      run: () => deleteTaxCategory(db, c.principal.restaurant.id, actorOf(c.principal), c.params.id),
    }), { ...EDIT, params: ID });
}
