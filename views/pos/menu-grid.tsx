import type { OrderableItem, PosMenu } from "../../src/menu/service";
import { money } from "./format";
import { AvailabilityToggle } from "../menu/availability-toggle";

/** A group the guest must choose in (the picker opens for it, its defaults already chosen). */
const needsChoice = (item: OrderableItem) => item.groups.some((g) => g.required || g.minSelect > 0);

/**
 * One item button. Items with a required choice open the picker; the rest (optional groups included)
 * add in one tap with their default options, as Toast's quick order does.
 * The same component renders the full page and the live 86 update (id = item-<id>).
 */
export function ItemButton({ item, orderId, currency }: { item: OrderableItem; orderId: string | null; currency: string }) {
  const label = (
    <>
      <span class="item-name" safe>{item.name}</span>
      <span class="item-price" safe>{money(item.priceCents, currency)}</span>
      {item.available ? "" : <span class="badge crit">86 · sold out</span>}
    </>
  );
  if (!orderId || !item.available) {
    // Before an order is started the grid is only a preview; it must still show what is 86'd.
    return <button id={`item-${item.id}`} class={`item-btn${item.available ? " idle" : ""}`} type="button" disabled data-available={String(item.available)}>{label as "safe"}</button>;
  }
  if (needsChoice(item)) {
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
      {item.groups.flatMap((g) => g.options.filter((o) => o.isDefault && o.available)).map((o) => <input type="hidden" name="optionIds" value={o.id} />)}
      <button class="item-btn" type="submit">{label as "safe"}</button>
    </form>
  );
}

/** 86 mode: each item is a one-tap sold-out switch (the menu feature's own component). */
function EightySixCell({ item, back }: { item: OrderableItem; back: string }) {
  return (
    <div class={`item-86${item.available ? "" : " is-86"}`}>
      <span class="item-name" safe>{item.name}</span>
      <AvailabilityToggle kind="item" id={item.id} name={item.name} available={item.available} back={back} />
    </div>
  );
}

/** Category tabs without JavaScript: radio inputs + labels, the checked one shows its grid. */
export function MenuGrid({ menu, orderId, currency, mode = "order" }: { menu: PosMenu; orderId: string | null; currency: string; mode?: "order" | "86" }) {
  const back = `/pos?mode=86${orderId ? `&order=${orderId}` : ""}`;
  return (
    <section id="pos-menu" class="pos-menu" aria-label="Menu">
      {mode === "86" ? <p class="flash eighty-six-banner" role="status">86 mode: tap to mark an item sold out or bring it back. <a class="btn small" href={orderId ? `/pos?order=${orderId}` : "/pos"}>Done</a></p> : ""}
      {menu.categories.map((c, i) => (
        <input type="radio" name="pos-category" id={`cat-${c.id}`} class="tab-radio" checked={i === 0} />
      ))}
      <div class="tabs" role="tablist">
        {menu.categories.map((c) => <label for={`cat-${c.id}`} class="tab" safe>{c.name}</label>)}
      </div>
      {menu.categories.map((c) => (
        <div class="item-grid" data-category={`cat-${c.id}`}>
          {c.items.map((item) => mode === "86" ? <EightySixCell item={item} back={back} /> : <ItemButton item={item} orderId={orderId} currency={currency} />)}
        </div>
      ))}
    </section>
  );
}
