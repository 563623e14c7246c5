import type { OrderableItem, PosMenu } from "../../src/menu/service";
import { money } from "./format";

/**
 * One item button. Items with modifier groups open the picker; the rest add in one tap.
 * The same component renders the full page and the live 86 update (id = item-<id>).
 */
export function ItemButton({ item, orderId, currency }: { item: OrderableItem; orderId: string | null; currency: string }) {
  const label = (
    <>
      <span class="item-name" safe>{item.name}</span>
      <span class="item-price" safe>{money(item.priceCents, currency)}</span>
      {item.available ? "" : <span class="badge crit">86</span>}
    </>
  );
  if (!orderId || !item.available) {
    return <button id={`item-${item.id}`} class="item-btn" type="button" disabled data-available={String(item.available)}>{label as "safe"}</button>;
  }
  if (item.groups.length) {
    const href = `/pos/orders/${orderId}/pick/${item.id}`;
    return (
      <a id={`item-${item.id}`} class="item-btn" href={href} hx-get={href} hx-target="#picker" hx-swap="innerHTML" data-available="true">{label as "safe"}</a>
    );
  }
  const action = `/pos/orders/${orderId}/items`;
  return (
    <form id={`item-${item.id}`} method="post" action={action} hx-post={action} hx-target="#ticket" hx-swap="outerHTML" data-available="true">
      <input type="hidden" name="itemId" value={item.id} />
      <input type="hidden" name="quantity" value="1" />
      <button class="item-btn" type="submit">{label as "safe"}</button>
    </form>
  );
}

/** Category tabs without JavaScript: radio inputs + labels, the checked one shows its grid. */
export function MenuGrid({ menu, orderId, currency }: { menu: PosMenu; orderId: string | null; currency: string }) {
  return (
    <section id="pos-menu" class="pos-menu" aria-label="Menu">
      {menu.categories.map((c, i) => (
        <input type="radio" name="pos-category" id={`cat-${c.id}`} class="tab-radio" checked={i === 0} />
      ))}
      <div class="tabs" role="tablist">
        {menu.categories.map((c) => <label for={`cat-${c.id}`} class="tab" safe>{c.name}</label>)}
      </div>
      {menu.categories.map((c) => (
        <div class="item-grid" data-category={`cat-${c.id}`}>
          {c.items.map((item) => <ItemButton item={item} orderId={orderId} currency={currency} />)}
        </div>
      ))}
    </section>
  );
}
