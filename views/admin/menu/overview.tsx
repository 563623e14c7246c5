import type { MenuAdminData } from "../../../src/menu/admin-read";
import type { Category, Item } from "../../../src/menu/admin-queries";
import { formatMoney, percentInputValue } from "../../../src/money";
import { AvailabilityToggle } from "../../menu/availability-toggle";
import { ActionButton, Checkbox, FlashMessage, regionForm, TextInput } from "./fields";
import { errorFor, shown, shownTicked, type Flash, type FormState } from "./form-state";
import { MenuPage, type Frame } from "./page";

export const BOARD = "menu-board";

export type OverviewProps = { frame: Frame; data: MenuAdminData; state?: FormState | null; flash?: Flash | null };

export function MenuOverviewPage(p: OverviewProps) {
  return (
    <MenuPage frame={p.frame} title="Menu" tab="items">
      <MenuBoard {...p} />
    </MenuPage>
  );
}

/** Categories in order, each with its items; the region every action on this page re-renders. */
export function MenuBoard(p: OverviewProps) {
  const { data } = p;
  return (
    <section id={BOARD} class="stack menu-board">
      <FlashMessage flash={p.flash} />
      <form {...regionForm("/admin/menu/categories", BOARD)} class="card row add-category">
        <TextInput formKey="new-category" name="name" label="New category" value={shown(p.state, "new-category", "name", "")} error={errorFor(p.state, "new-category", "name")} required maxlength={120} class="grow" />
        <button type="submit" class="btn primary">Add category</button>
      </form>
      {data.categories.length === 0 ? <p class="muted">No categories yet. Add one above, or import a menu from a CSV file.</p> : ""}
      {data.categories.map((category, index) => (
        <CategoryCard {...p} category={category} first={index === 0} last={index === data.categories.length - 1} />
      ))}
    </section>
  );
}

function CategoryCard(p: OverviewProps & { category: Category; first: boolean; last: boolean }) {
  const { category, data } = p;
  const items = data.items.filter((i) => i.categoryId === category.id);
  const key = `category:${category.id}`;
  const action = `/admin/menu/categories/${category.id}`;
  return (
    <article class={`card menu-category ${category.active ? "" : "inactive"}`} id={`category-${category.id}`} aria-labelledby={`category-${category.id}-title`}>
      <header class="category-head">
        <h2 id={`category-${category.id}-title`} class="category-title">
          <span safe>{category.name}</span>
          {category.active ? "" : <span class="badge warn">Hidden from POS</span>}
        </h2>
        <div class="row category-actions">
          <ActionButton action={`${action}/move`} region={BOARD} label="▲" ariaLabel={`Move ${category.name} up`} fields={{ direction: "up" }} disabled={p.first} />
          <ActionButton action={`${action}/move`} region={BOARD} label="▼" ariaLabel={`Move ${category.name} down`} fields={{ direction: "down" }} disabled={p.last} />
          <a class="btn small primary" href={`/admin/menu/items/new?category=${category.id}`}>Add item</a>
        </div>
      </header>
      <details class="category-settings" open={p.state?.key === key}>
        <summary>Rename, hide or delete</summary>
        <form {...regionForm(action, BOARD)} class="row category-form">
          <TextInput formKey={key} name="name" label="Category name" value={shown(p.state, key, "name", category.name)} error={errorFor(p.state, key, "name")} required maxlength={120} class="grow" />
          <input type="hidden" name="activeShown" value="1" />
          <Checkbox formKey={key} name="active" label="Shown on POS" checked={shownTicked(p.state, key, "active", category.active)} />
          <button type="submit" class="btn">Save</button>
        </form>
        <ActionButton action={`${action}/delete`} region={BOARD} label="Delete category" class="danger" confirm={`Delete the category "${category.name}"?`} disabled={items.length > 0} />
        {items.length > 0 ? <p class="hint muted">Only an empty category can be deleted.</p> : ""}
      </details>
      {items.length === 0 ? <p class="muted">No items in this category yet.</p> : <ItemTable {...p} items={items} />}
    </article>
  );
}

function ItemTable(p: OverviewProps & { items: Item[] }) {
  const { data } = p;
  const currency = data.pricing.currency;
  const stationName = new Map(data.stations.map((s) => [s.id, s.name]));
  const groupName = new Map(data.groups.map((g) => [g.id, g.name]));
  const taxName = new Map(data.taxCategories.map((t) => [t.id, `${t.name} (${percentInputValue(t.rateBps)}%)`]));
  return (
    <table class="menu-items">
      <colgroup>
        <col class="col-item" /><col class="col-price" /><col class="col-tax" /><col class="col-stations" /><col class="col-groups" /><col class="col-avail" /><col class="col-actions" />
      </colgroup>
      <thead>
        <tr><th scope="col">Item</th><th scope="col" class="num">Price</th><th scope="col">Tax</th><th scope="col">Stations</th><th scope="col">Modifiers</th><th scope="col">Availability</th><th scope="col"><span class="visually-hidden">Order and edit</span></th></tr>
      </thead>
      <tbody>
        {p.items.map((item, index) => {
          const stations = data.itemStations.filter((s) => s.itemId === item.id).map((s) => stationName.get(s.stationId) ?? "?");
          const groups = data.itemGroups.filter((g) => g.itemId === item.id).map((g) => groupName.get(g.groupId) ?? "?");
          // Plain strings before they reach JSX, so the escaping below is checked by xss-scan for what they are.
          const taxText: string = item.taxCategoryId ? taxName.get(item.taxCategoryId) ?? "" : "Default";
          const stationText: string = stations.length ? stations.join(", ") : "—";
          const groupText: string = groups.length ? groups.join(", ") : "—";
          return (
            <tr class={`item-row ${item.active ? "" : "inactive"}`} id={`item-${item.id}`}>
              <th scope="row" class="info">
                <a href={`/admin/menu/items/${item.id}`} safe>{item.name}</a>
                {item.kitchenName ? <span class="muted kitchen-name" safe>{` · ${item.kitchenName}`}</span> : ""}
                {item.active ? "" : <span class="badge warn">Inactive</span>}
              </th>
              <td class="num info" safe>{formatMoney(item.priceCents, currency)}</td>
              <td class="muted info" safe>{taxText}</td>
              <td class="info" safe>{stationText}</td>
              <td class="muted info" safe>{groupText}</td>
              <td><AvailabilityToggle kind="item" id={item.id} name={item.name} available={item.available} back="/admin/menu" /></td>
              <td>
                <div class="row-actions">
                  <ActionButton action={`/admin/menu/items/${item.id}/move`} region={BOARD} label="▲" ariaLabel={`Move ${item.name} up`} fields={{ direction: "up" }} disabled={index === 0} />
                  <ActionButton action={`/admin/menu/items/${item.id}/move`} region={BOARD} label="▼" ariaLabel={`Move ${item.name} down`} fields={{ direction: "down" }} disabled={index === p.items.length - 1} />
                  <a class="btn small" href={`/admin/menu/items/${item.id}`} aria-label={`Edit ${item.name}`}>Edit</a>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
