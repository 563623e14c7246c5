import type { OrderableItem, PosMenu } from "../../src/menu/service";
import { formatMoney, signedMoney } from "../../src/money";
import { GuestShell } from "./shell";
import { NAME_MAX } from "../../src/guest/input";

export type GuestMenuProps = {
  nonce: string; mode: "kiosk" | "table"; restaurantName: string; currency: string; menu: PosMenu;
  pageToken: string; seq: number; checkoutUrl: string; streamUrl: string; tableLabel?: string;
  /** Card at the kiosk only when the restaurant has Square connected (src/guest/card.ts). */
  cardAvailable: boolean;
  /** Square's Web Payments SDK: where to load it and what to start it with (public/js/guest.js). */
  card?: { applicationId: string; locationId: string; sdkUrl: string } | null;
};

/** One flag per item and option: what live 86 updates replace (public/js/guest.js reads them). */
export function AvailabilityFlag(p: { kind: "item" | "option"; id: string; available: boolean }) {
  return <i id={`avail-${p.kind}-${p.id}`} data-into="#avail-flags" data-kind={p.kind} data-id={p.id} data-available={String(p.available)}></i>;
}

export function AvailabilityFlags({ menu }: { menu: PosMenu }) {
  const items = menu.categories.flatMap((c) => c.items);
  return (
    <>
      {items.map((i) => <AvailabilityFlag kind="item" id={i.id} available={i.available} />)}
      {items.flatMap((i) => i.groups.flatMap((g) => g.options)).map((o) => <AvailabilityFlag kind="option" id={o.id} available={o.available} />)}
    </>
  );
}

function ItemCard({ item, currency }: { item: OrderableItem; currency: string }) {
  const description = item.available ? item.description : "Sold out";
  return (
    <li>
      <button type="button" class="guest-item" data-open-item={item.id} data-item-id={item.id} disabled={!item.available} aria-describedby={`desc-${item.id}`}>
        <span class="guest-item-name" safe>{item.name}</span>
        <span class="guest-item-price" safe>{formatMoney(item.priceCents, currency)}</span>
        <span class="guest-item-desc" id={`desc-${item.id}`} safe>{description}</span>
      </button>
    </li>
  );
}

const optionNote = (o: { available: boolean; priceDeltaCents: number }, currency: string): string =>
  !o.available ? "Sold out" : o.priceDeltaCents ? signedMoney(o.priceDeltaCents, currency) : "";

/** The options of one item, as the POS offers them (the same min/max rules; the server checks again). */
function ItemDialog({ item, currency }: { item: OrderableItem; currency: string }) {
  return (
    <dialog class="guest-dialog" id={`item-${item.id}`} aria-labelledby={`item-${item.id}-title`}>
      <form class="guest-item-form" method="dialog" data-item-form={item.id} data-name={item.name} data-price={String(item.priceCents)}>
        <h2 id={`item-${item.id}-title`} safe>{item.name}</h2>
        <p class="guest-dialog-price" safe>{formatMoney(item.priceCents, currency)}</p>
        {item.description ? <p safe>{item.description}</p> : ""}
        {item.groups.map((g) => {
          const single = g.maxSelect === 1;
          const min = Math.max(g.minSelect, g.required ? 1 : 0);
          const rule = single ? (min ? "Choose 1" : "Optional: choose up to 1") : min ? `Choose ${min} to ${g.maxSelect}` : `Optional: up to ${g.maxSelect}`;
          return (
            <fieldset class="guest-group" data-min={String(min)} data-max={String(g.maxSelect)} data-group-name={g.name}>
              <legend><span safe>{g.name}</span> <span class="guest-rule" safe>{rule}</span></legend>
              {g.options.map((o) => (
                <label class="guest-option">
                  <input type={single ? "radio" : "checkbox"} name={`opt-${g.id}`} value={o.id} data-option-name={o.name} data-delta={String(o.priceDeltaCents)}
                    disabled={!o.available} checked={o.available && o.isDefault} />
                  <span class="grow" safe>{o.name}</span>
                  <span safe>{optionNote(o, currency)}</span>
                </label>
              ))}
            </fieldset>
          );
        })}
        <label class="guest-field" for={`qty-${item.id}`}>How many</label>
        <input class="guest-qty" id={`qty-${item.id}`} name="quantity" type="number" inputmode="numeric" min="1" max="20" value="1" />
        <label class="guest-field" for={`note-${item.id}`}>Note for the kitchen (optional)</label>
        <input id={`note-${item.id}`} name="note" type="text" maxlength="200" autocomplete="off" />
        <p class="guest-error" role="alert" data-dialog-error></p>
        <div class="guest-actions">
          <button type="button" class="guest-btn" data-close-dialog>Cancel</button>
          <button type="submit" class="guest-btn primary" data-add-item>Add to order</button>
        </div>
      </form>
    </dialog>
  );
}

export function GuestMenuPage(p: GuestMenuProps) {
  const kiosk = p.mode === "kiosk";
  const items = p.menu.categories.flatMap((c) => c.items);
  return (
    <GuestShell title={kiosk ? `Order here · ${p.restaurantName}` : `Table ${p.tableLabel} · ${p.restaurantName}`} nonce={p.nonce} mode={p.mode} live>
      <main class="guest-main" id="main" data-live={p.streamUrl} data-seq={String(p.seq)} data-page-token={p.pageToken}
        data-checkout-url={p.checkoutUrl} data-mode={p.mode} data-currency={p.currency} data-idle-seconds={kiosk ? "60" : ""}>
        <header class="guest-head">
          <h1 safe>{p.restaurantName}</h1>
          <p class="guest-sub" safe>{kiosk ? "Order here, then pay at the counter" : `Ordering for table ${p.tableLabel}`}</p>
        </header>
        <nav class="guest-cats" aria-label="Menu categories">
          <ul>{p.menu.categories.filter((c) => c.items.length).map((c) => <li><a class="guest-cat" href={`#cat-${c.id}`} safe>{c.name}</a></li>)}</ul>
        </nav>
        <div class="guest-body">
          <div class="guest-menu">
            {p.menu.categories.filter((c) => c.items.length).map((c) => (
              <section id={`cat-${c.id}`} aria-labelledby={`cat-${c.id}-h`}>
                <h2 id={`cat-${c.id}-h`} safe>{c.name}</h2>
                <ul class="guest-items">{c.items.map((item) => <ItemCard item={item} currency={p.currency} />)}</ul>
              </section>
            ))}
          </div>
          <aside class="guest-cart" aria-labelledby="cart-h">
            <h2 id="cart-h">Your order</h2>
            <p class="guest-empty" data-cart-empty>Nothing yet. Tap an item to add it.</p>
            <ul class="guest-cart-lines" data-cart-lines></ul>
            <p class="guest-total"><span>Items</span> <strong data-cart-total></strong></p>
            <p class="guest-hint">Prices and tax are confirmed by the restaurant when you order.</p>
            <form class="guest-checkout" data-checkout>
              {kiosk ? (
                <>
                  <label class="guest-field" for="guest-name">Your name (we call it when it is ready)</label>
                  <input id="guest-name" name="name" type="text" maxlength={String(NAME_MAX)} autocomplete="given-name" required />
                  <fieldset class="guest-choice">
                    <legend>Eat in or take out?</legend>
                    <label class="guest-option"><input type="radio" name="dining" value="eat_in" checked /> <span>Eat in</span></label>
                    <label class="guest-option"><input type="radio" name="dining" value="takeout" /> <span>Take out</span></label>
                  </fieldset>
                  <fieldset class="guest-choice">
                    <legend>How will you pay?</legend>
                    <label class="guest-option"><input type="radio" name="payment" value="counter" checked /> <span>Pay at the counter</span></label>
                    <label class="guest-option"><input type="radio" name="payment" value="card" disabled={!p.cardAvailable} /> <span>{p.cardAvailable ? "Pay by card" : "Pay by card (not available yet)"}</span></label>
                  </fieldset>
                  {p.card ? (
                    <div class="guest-card" data-card-form data-app-id={p.card.applicationId} data-location-id={p.card.locationId} hidden>
                      <script src={p.card.sdkUrl} nonce={p.nonce}></script>
                      <div id="card-container" data-card-container></div>
                    </div>
                  ) : null}
                </>
              ) : (
                <>
                  <label class="guest-field" for="guest-name">Your name (optional)</label>
                  <input id="guest-name" name="name" type="text" maxlength={String(NAME_MAX)} autocomplete="given-name" />
                </>
              )}
              <p class="guest-error" role="alert" data-checkout-error></p>
              <button type="submit" class="guest-btn primary wide" data-checkout-button>{kiosk ? "Place order" : "Send this round"}</button>
            </form>
          </aside>
        </div>
        {items.map((item) => <ItemDialog item={item} currency={p.currency} />)}
        <a class="guest-cartbar" href="#cart-h" data-cartbar hidden><span>View your order</span> <span data-cartbar-count></span></a>
        <div id="avail-flags" hidden><AvailabilityFlags menu={p.menu} /></div>
      </main>
      <div class="live-banner" role="status">Reconnecting…</div>
    </GuestShell>
  );
}
