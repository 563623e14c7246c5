import type { MenuAdminData } from "../../../src/menu/admin-read";
import type { Item } from "../../../src/menu/admin-queries";
import { currencyDecimals, percentInputValue, priceInputValue } from "../../../src/money";
import { DESCRIPTION_MAX, KITCHEN_NAME_MAX, NAME_MAX } from "../../../src/menu/validate";
import { ActionButton, Checkbox, fieldId, FieldError, FlashMessage, regionForm, Select, TextArea, TextInput } from "./fields";
import { errorFor, shown, shownMany, shownTicked, type Flash, type FormState } from "./form-state";
import { MenuPage, type Frame } from "./page";

export const ITEM_EDITOR = "item-editor";
export const ITEM_FORM = "item";

export type ItemPageProps = { frame: Frame; data: MenuAdminData; item: Item | null; categoryId?: string; state?: FormState | null; flash?: Flash | null };

export function ItemPage(p: ItemPageProps) {
  return (
    <MenuPage frame={p.frame} title={p.item ? `Edit ${p.item.name}` : "New item"} tab="items">
      <p><a href="/admin/menu">← Back to the menu</a></p>
      <ItemEditor {...p} />
    </MenuPage>
  );
}

export function ItemEditor(p: ItemPageProps) {
  const { data, item, state } = p;
  const k = ITEM_FORM;
  const currency = data.pricing.currency;
  const action = item ? `/admin/menu/items/${item.id}` : "/admin/menu/items";
  const categoryId = shown(state, k, "categoryId", item?.categoryId ?? p.categoryId ?? "");
  const taxId = shown(state, k, "taxCategoryId", item?.taxCategoryId ?? "");
  const stationIds = shownMany(state, k, "stationIds", data.itemStations.filter((s) => s.itemId === item?.id).map((s) => s.stationId));
  const decimals = currencyDecimals(currency);
  return (
    <section id={ITEM_EDITOR} class="stack item-editor">
      <FlashMessage flash={p.flash} />
      <form {...regionForm(action, ITEM_EDITOR)} class="card stack item-form" novalidate>
        <div class="form-grid">
          <TextInput formKey={k} name="name" label="Name" value={shown(state, k, "name", item?.name ?? "")} error={errorFor(state, k, "name")} required maxlength={NAME_MAX} />
          <Select formKey={k} name="categoryId" label="Category" error={errorFor(state, k, "categoryId")} required>
            <option value="">Choose a category…</option>
            {data.categories.map((c) => <option value={c.id} selected={c.id === categoryId} safe>{c.name}</option>)}
          </Select>
          <TextInput
            formKey={k} name="price" label={`Price (${currency})`} inputmode="decimal" value={shown(state, k, "price", item ? priceInputValue(item.priceCents, currency) : "")}
            error={errorFor(state, k, "price")} required maxlength={12} hint={decimals === 0 ? "Whole amount, like 1200" : `Like ${priceInputValue(1295, currency)}`}
          />
          <Select formKey={k} name="taxCategoryId" label="Tax" error={errorFor(state, k, "taxCategoryId")}>
            <option value="" selected={taxId === ""} safe>{`Restaurant default (${percentInputValue(data.pricing.taxRateBps)}%)`}</option>
            {data.taxCategories.map((t) => <option value={t.id} selected={t.id === taxId} safe>{`${t.name} (${percentInputValue(t.rateBps)}%)`}</option>)}
          </Select>
          <TextInput formKey={k} name="kitchenName" label="Kitchen display name (optional)" value={shown(state, k, "kitchenName", item?.kitchenName ?? "")} error={errorFor(state, k, "kitchenName")} maxlength={KITCHEN_NAME_MAX} hint="Short name on kitchen tickets, like CLASSIC" />
          <div class="field">
            <input type="hidden" name="activeShown" value="1" />
            <Checkbox formKey={k} name="active" label="Active (shown on the POS)" checked={shownTicked(state, k, "active", item?.active ?? true)} />
          </div>
        </div>
        <TextArea formKey={k} name="description" label="Description (optional)" value={shown(state, k, "description", item?.description ?? "")} error={errorFor(state, k, "description")} maxlength={DESCRIPTION_MAX} rows={2} />
        <fieldset class="stations" aria-describedby={`${fieldId(k, "stationIds")}-hint`}>
          <legend>Kitchen stations</legend>
          <p class="hint muted" id={`${fieldId(k, "stationIds")}-hint`}>Where this item is prepared. Tick several to send it to several screens (a burger to grill, its fries to fry).</p>
          {data.stations.length === 0 ? <p class="muted">No stations yet: add them under Stations &amp; devices.</p> : ""}
          <div class="row">
            {data.stations.map((s) => (
              <label class="checkbox chip">
                <input type="checkbox" name="stationIds" value={s.id} checked={stationIds.includes(s.id)} />
                <span safe>{s.name}</span>
              </label>
            ))}
          </div>
          <FieldError id={fieldId(k, "stationIds")} message={errorFor(state, k, "stationIds")} />
        </fieldset>
        <div class="row">
          <button type="submit" class="btn primary">{item ? "Save item" : "Create item"}</button>
          <a class="btn" href="/admin/menu">Cancel</a>
        </div>
      </form>
      {item ? <ItemGroups {...p} item={item} /> : ""}
      {item ? (
        <div class="card row danger-zone">
          <p class="grow muted">Deleting removes the item from the menu. Orders already taken keep their copy of it.</p>
          <form method="post" action={`/admin/menu/items/${item.id}/delete`} hx-post={`/admin/menu/items/${item.id}/delete`} hx-confirm={`Delete "${item.name}" from the menu?`}>
            <button type="submit" class="btn danger">Delete item</button>
          </form>
        </div>
      ) : ""}
    </section>
  );
}

function ItemGroups(p: ItemPageProps & { item: Item }) {
  const { data, item, state } = p;
  const attached = data.itemGroups.filter((g) => g.itemId === item.id);
  const byId = new Map(data.groups.map((g) => [g.id, g]));
  const available = data.groups.filter((g) => !attached.some((a) => a.groupId === g.id));
  const base = `/admin/menu/items/${item.id}/groups`;
  return (
    <div class="card stack item-groups">
      <h2>Modifier groups</h2>
      <p class="muted">Asked on the POS in this order.</p>
      {attached.length === 0 ? <p class="muted">None yet.</p> : (
        <ol class="attached-groups">
          {attached.map((a, index) => {
            const group = byId.get(a.groupId)!;
            return (
              <li class="row">
                <span class="grow">
                  <a href={`/admin/menu/groups/${group.id}`} safe>{group.name}</a>
                  <span class="muted" safe>{` · ${group.required ? "required" : "optional"}, choose ${group.minSelect}–${group.maxSelect}`}</span>
                </span>
                <ActionButton action={`${base}/${group.id}/move`} region={ITEM_EDITOR} label="▲" ariaLabel={`Move ${group.name} up`} fields={{ direction: "up" }} disabled={index === 0} />
                <ActionButton action={`${base}/${group.id}/move`} region={ITEM_EDITOR} label="▼" ariaLabel={`Move ${group.name} down`} fields={{ direction: "down" }} disabled={index === attached.length - 1} />
                <ActionButton action={`${base}/${group.id}/remove`} region={ITEM_EDITOR} label="Remove" ariaLabel={`Remove ${group.name} from ${item.name}`} />
              </li>
            );
          })}
        </ol>
      )}
      {available.length ? (
        <form {...regionForm(base, ITEM_EDITOR)} class="row">
          <Select formKey="attach" name="groupId" label="Add a modifier group" error={errorFor(state, "attach", "groupId")} class="grow">
            <option value="">Choose a group…</option>
            {available.map((g) => <option value={g.id} safe>{g.name}</option>)}
          </Select>
          <button type="submit" class="btn">Add group</button>
        </form>
      ) : <p class="muted">{data.groups.length ? "Every modifier group is on this item." : "No modifier groups yet: create them under Modifier groups."}</p>}
    </div>
  );
}
