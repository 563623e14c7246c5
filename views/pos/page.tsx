import { Layout } from "../layout";
import type { PosScreen } from "../../src/pos/service";
import { MenuGrid } from "./menu-grid";
import { Ticket } from "./ticket";
import { money, ORDER_TYPE_LABELS } from "./format";

export type PosPageProps = {
  nonce: string;
  screen: PosScreen;
  restaurantName: string;
  currency: string;
  staffName: string;
  canVoid: boolean;
  canDiscount: boolean;
  idempotencyKey: string;
  error?: string;
  ticketError?: string;
  picker?: JSX.Element;
  lastSeq: number;
  mode?: "order" | "86";
};

export function NewOrderForm({ idempotencyKey, error }: { idempotencyKey: string; error?: string }) {
  return (
    <section id="ticket" class="ticket card">
      <h2>New order</h2>
      {error ? <p class="flash error" role="alert" safe>{error}</p> : ""}
      {/* One tap to a takeout ticket (issue 9, point 3); a table still takes its number below. */}
      <div class="quick-start">
        {(["takeout", "delivery"] as const).map((type) => (
          <form method="post" action="/pos/orders">
            <input type="hidden" name="idempotencyKey" value={crypto.randomUUID()} />
            <input type="hidden" name="type" value={type} />
            <button class={`btn big${type === "takeout" ? " primary" : ""}`} type="submit" data-quick={type} safe>{`${ORDER_TYPE_LABELS[type]} now`}</button>
          </form>
        ))}
      </div>
      <form method="post" action="/pos/orders" class="stack">
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <div class="type-choice" role="radiogroup" aria-label="Order type">
          {Object.entries(ORDER_TYPE_LABELS).map(([value, label], i) => (
            <label class="type-option"><input type="radio" name="type" value={value} checked={i === 0} required /><span>{label as "safe"}</span></label>
          ))}
        </div>
        <div class="row">
          <label class="grow">Table<input type="text" name="table" maxlength="20" autocomplete="off" /></label>
          <label class="grow">Guests<input type="number" name="guests" min="1" max="99" inputmode="numeric" /></label>
        </div>
        <button class="btn primary big" type="submit">Start order</button>
      </form>
    </section>
  );
}

export function PosPage(p: PosPageProps) {
  const orderId = p.screen.order?.id ?? null;
  return (
    <Layout title="POS" nonce={p.nonce} screen="pos" alpine={false} head={<><script src="/public/js/live.js" defer></script><link rel="stylesheet" href="/public/css/payments.css" /></>}>
      <header class="topbar">
        <strong safe>{p.restaurantName}</strong>
        <nav>
          <a href="/pos">New order</a>
          <a href="/pos/orders" safe>{`Open orders (${p.screen.open.length})`}</a>
          <a href={`/pos?mode=86${orderId ? `&order=${orderId}` : ""}`}>86 items</a>
          <a href="/pos/history">History</a>
          <a href="/pos/drawer">Drawer</a>
        </nav>
        <span class="spacer"></span>
        <span class="muted" safe>{p.staffName}</span>
        <form method="post" action="/sign-out"><button class="btn small" type="submit">Sign off</button></form>
      </header>
      <main class={`pos${p.screen.order ? " has-order" : ""}`} data-live={orderId ? `/pos/stream?order=${orderId}` : "/pos/stream"} data-seq={String(p.lastSeq)}>
        {p.screen.order
          ? <Ticket order={p.screen.order} currency={p.currency} canVoid={p.canVoid} canDiscount={p.canDiscount} error={p.ticketError} />
          : <NewOrderForm idempotencyKey={p.idempotencyKey} error={p.error} />}
        <MenuGrid menu={p.screen.menu} orderId={orderId} currency={p.currency} mode={p.mode} />
        <div id="picker">{(p.picker ?? "") as "safe"}</div>
      </main>
      <div class="live-banner" role="status">Reconnecting… this screen may be out of date</div>
      <script src="/public/js/pos.js" defer></script>
    </Layout>
  );
}

export function OpenOrdersPage(p: { nonce: string; screen: PosScreen; restaurantName: string; currency: string; staffName: string }) {
  return (
    <Layout title="Open orders" nonce={p.nonce} screen="pos" alpine={false} head={<link rel="stylesheet" href="/public/css/payments.css" />}>
      <header class="topbar">
        <strong safe>{p.restaurantName}</strong>
        <nav><a href="/pos">New order</a><a href="/pos/orders" aria-current="page">Open orders</a></nav>
        <span class="spacer"></span>
        <span class="muted" safe>{p.staffName}</span>
      </header>
      <main class="wide">
        <h1>Open orders</h1>
        {p.screen.open.length ? (
          <div class="order-cards">
            {p.screen.open.map((o) => (
              <div class="order-card-wrap">
                <a class="order-card card" href={`/pos?order=${o.id}`}>
                  <strong class="order-number" safe>{`#${o.number}`}</strong>
                  <span safe>{[ORDER_TYPE_LABELS[o.type], o.tableLabel ? `Table ${o.tableLabel}` : ""].filter(Boolean).join(" · ")}</span>
                  <span class="badge" safe>{o.status.toUpperCase()}</span>
                  <span safe>{money(o.totalCents, p.currency)}</span>
                </a>
                <a class="btn pay" href={`/pos/orders/${o.id}/pay`}>Pay</a>
              </div>
            ))}
          </div>
        ) : <p class="muted">No open orders.</p>}
      </main>
    </Layout>
  );
}
