import { Layout } from "../layout";
import type { OrderView } from "../../src/orders/service";
import { ORDER_TYPE_LABELS } from "../pos/format";
import { ageClass, formatAge, type Thresholds } from "../kds/ticket";
import { ExpoRecallList } from "./recall-list";

type StationName = { id: string; name: string };

/** Progress of one order at each station it touches. */
function stationProgress(order: OrderView, stations: StationName[]) {
  const ids = [...new Set(order.lines.filter((l) => l.firedAt && !l.voidedAt).flatMap((l) => l.stations.map((s) => s.stationId)))];
  return ids.map((id) => {
    const statuses = order.lines.filter((l) => !l.voidedAt).flatMap((l) => l.stations.filter((s) => s.stationId === id).map((s) => s.status));
    return { id, name: stations.find((s) => s.id === id)?.name ?? "?", ready: statuses.length > 0 && statuses.every((s) => s === "ready") };
  });
}

/** One order at the pass: the same component for the page and live updates (id = expo-<order>). */
export function ExpoCard({ order, stations, thresholds, now = Date.now() }: { order: OrderView; stations: StationName[]; thresholds: Thresholds; now?: number }) {
  const progress = stationProgress(order, stations);
  const ready = order.status === "ready";
  const fired = order.lines.filter((l) => l.firedAt).map((l) => l.firedAt!.getTime());
  const minutes = Math.max(0, (now - (fired.length ? Math.min(...fired) : now)) / 60_000);
  const serve = `/expo/orders/${order.id}/serve`;
  return (
    <article id={`expo-${order.id}`} class={`expo-card ${ready ? "is-ready" : ageClass(minutes, thresholds)}`} data-into={ready ? "#expo-ready" : "#expo-cooking"} data-fired-at={new Date(fired.length ? Math.min(...fired) : now).toISOString()}>
      <header class="kds-ticket-head">
        <span class="kds-number" safe>{`#${order.number}`}</span>
        <span class="kds-where" safe>{[ORDER_TYPE_LABELS[order.type], order.tableLabel ? `T${order.tableLabel}` : ""].filter(Boolean).join(" · ")}</span>
        <span class="kds-age" data-age safe>{formatAge(minutes)}</span>
      </header>
      <div class="expo-stations">
        {progress.map((p) => <span class={`station-chip ${p.ready ? "ok" : ""}`} safe>{`${p.ready ? "✓ " : ""}${p.name}`}</span>)}
      </div>
      <ul class="expo-lines">
        {order.lines.filter((l) => l.firedAt).map((l) => (
          <li class={l.voidedAt ? "void" : ""}><b safe>{String(l.quantity)}</b> <span safe>{l.kitchenName ?? l.name}</span>{l.voidedAt ? <span class="kds-flag void">VOID</span> : ""}</li>
        ))}
      </ul>
      {ready ? (
        <form method="post" action={serve} hx-post={serve} hx-target={`#expo-${order.id}`} hx-swap="outerHTML">
          <button class="kds-bump" type="submit">{order.type === "dine_in" ? "Served" : "Picked up"}</button>
        </form>
      ) : ""}
    </article>
  );
}

/** Both columns of the pass: also the full-state refresh of a reconnecting expo screen. */
export function ExpoColumns(p: { orders: OrderView[]; stations: StationName[]; thresholds: Thresholds }) {
  const cooking = p.orders.filter((o) => o.status !== "ready");
  const ready = p.orders.filter((o) => o.status === "ready");
  return (
    <div id="expo" class="expo">
      <section><h2>Ready at the pass</h2><div id="expo-ready" class="kds-rail">{ready.map((o) => <ExpoCard order={o} stations={p.stations} thresholds={p.thresholds} />)}</div></section>
      <section><h2>Cooking</h2><div id="expo-cooking" class="kds-rail">{cooking.map((o) => <ExpoCard order={o} stations={p.stations} thresholds={p.thresholds} />)}</div></section>
    </div>
  );
}

export function ExpoPage(p: { nonce: string; restaurantName: string; orders: OrderView[]; stations: StationName[]; thresholds: Thresholds; lastSeq: number; recent: OrderView[] }) {
  return (
    <Layout title="Expo" nonce={p.nonce} screen="kds" alpine={false} head={<script src="/public/js/live.js" defer></script>}>
      <header class="kds-bar">
        <h1 class="kds-station">Expo</h1>
        <span class="muted" safe>{p.restaurantName}</span>
        <span class="spacer"></span>
        <details class="kds-switch">
          <summary class="btn">Recall…</summary>
          <ExpoRecallList recent={p.recent} />
        </details>
      </header>
      <main class="expo-main" data-live="/expo/stream" data-seq={String(p.lastSeq)} data-thresholds={p.thresholds.join(",")}>
        <ExpoColumns orders={p.orders} stations={p.stations} thresholds={p.thresholds} />
      </main>
      <div class="live-banner" role="status">Reconnecting… this screen may be out of date</div>
      <script src="/public/js/kds.js" defer></script>
    </Layout>
  );
}

/** The customers' board: order numbers only, no names or items. */
export function BoardColumns({ orders }: { orders: OrderView[] }) {
  const preparing = orders.filter((o) => o.status !== "ready");
  const ready = orders.filter((o) => o.status === "ready");
  return (
    <div id="board" class="board">
      <section><h2>Preparing</h2><ul class="board-numbers">{preparing.map((o) => <li safe>{String(o.number)}</li>)}</ul></section>
      <section class="board-ready"><h2>Ready</h2><ul class="board-numbers">{ready.map((o) => <li safe>{String(o.number)}</li>)}</ul></section>
    </div>
  );
}

export function BoardPage(p: { nonce: string; restaurantName: string; orders: OrderView[]; lastSeq: number }) {
  return (
    <Layout title="Order status" nonce={p.nonce} screen="board" alpine={false} head={<script src="/public/js/live.js" defer></script>}>
      <main data-live="/board/stream" data-seq={String(p.lastSeq)}>
        <h1 class="board-title" safe>{p.restaurantName}</h1>
        <BoardColumns orders={p.orders} />
      </main>
      <div class="live-banner" role="status">Reconnecting…</div>
    </Layout>
  );
}
