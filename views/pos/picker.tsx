import type { OrderableItem } from "../../src/menu/service";
import { money, signedMoney } from "./format";

/**
 * The modifier picker: radios for pick-one groups, checkboxes with a limit for the rest. Each group
 * has its own field name (opt-<groupId>) so radios of different groups do not exclude each other. The server
 * re-checks every rule; pos.js only keeps the Add button honest while the guest decides.
 */
export function Picker({ item, orderId, currency, error, chosen = [] }: { item: OrderableItem; orderId: string; currency: string; error?: string; chosen?: string[] }) {
  const action = `/pos/orders/${orderId}/items`;
  const isChosen = (id: string, isDefault: boolean) => (chosen.length ? chosen.includes(id) : isDefault);
  return (
    <div class="picker-backdrop">
      <form class="picker card" method="post" action={action} hx-post={action} hx-target="#ticket" hx-swap="outerHTML" data-picker>
        <header class="row">
          <h2 class="grow" safe>{item.name}</h2>
          <strong safe>{money(item.priceCents, currency)}</strong>
        </header>
        {error ? <p class="flash error" role="alert" safe>{error}</p> : ""}
        <input type="hidden" name="itemId" value={item.id} />
        {/* The body scrolls; the header and the actions below never do (issue 9, point 2). */}
        <div class="picker-body stack">
        {item.groups.map((g) => {
          const single = g.maxSelect === 1;
          const min = Math.max(g.minSelect, g.required ? 1 : 0);
          const rule = single ? (min ? "Choose 1" : "Optional, choose up to 1") : min ? `Choose ${min} to ${g.maxSelect}` : `Optional, up to ${g.maxSelect}`;
          return (
            <fieldset class="group" data-min={String(min)} data-max={String(g.maxSelect)}>
              <legend><span safe>{g.name}</span> <span class="muted" safe>{rule}</span></legend>
              <div class="options">
                {g.options.map((o) => (
                  <label class={`option${o.available ? "" : " unavailable"}`}>
                    <input type={single ? "radio" : "checkbox"} name={`opt-${g.id}`} value={o.id} disabled={!o.available}
                      checked={o.available && isChosen(o.id, o.isDefault)} required={single && min > 0} />
                    <span safe>{o.name}</span>
                    <span class="muted" safe>{o.available ? signedMoney(o.priceDeltaCents, currency) : String("86")}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          );
        })}
        <div class="row">
          <label class="grow">Quantity<input type="number" name="quantity" value="1" min="1" max="99" inputmode="numeric" required /></label>
          <label class="grow">Seat<input type="number" name="seat" min="1" max="99" inputmode="numeric" /></label>
          <label class="grow">Course<input type="number" name="course" value="1" min="1" max="9" inputmode="numeric" /></label>
        </div>
        <label>Note for the kitchen<input type="text" name="note" maxlength="500" autocomplete="off" /></label>
        </div>
        <div class="row picker-actions">
          <a class="btn" href={`/pos?order=${orderId}`} data-close-picker>Cancel</a>
          <span class="grow"></span>
          <button class="btn primary big" type="submit" data-add>Add to order</button>
        </div>
      </form>
    </div>
  );
}
