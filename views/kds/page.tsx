import { Layout } from "../layout";
import type { OrderView } from "../../src/orders/service";
import type { AllDay } from "../../src/kitchen/service";
import { AllDayPanel, KdsTicket, type Thresholds } from "./ticket";

export type KdsPageProps = {
  nonce: string; restaurantName: string; station: { id: string; name: string }; stations: { id: string; name: string }[];
  orders: OrderView[]; allDay: AllDay; thresholds: Thresholds; lastSeq: number; flash?: string;
  /** Stations this screen may switch to (none for a pinless display, which shows its own only). */
};

/** The kitchen screen: a rail of tickets, read at arm's length, bumped by touch or bump bar. */
export function KdsPage(p: KdsPageProps) {
  const recall = `/kds/${p.station.id}/recall`;
  return (
    <Layout title={`${p.station.name} KDS`} nonce={p.nonce} screen="kds" alpine={false} head={<script src="/public/js/live.js" defer></script>}>
      <header class="kds-bar">
        <h1 class="kds-station" safe>{p.station.name}</h1>
        <AllDayPanel counts={p.allDay} />
        <span class="spacer"></span>
        <button class="btn kds-more" type="button" data-more hidden>+0 more</button>
        <form method="post" action={recall} hx-post={recall} hx-swap="none"><button class="btn" type="submit" data-recall>Recall</button></form>
        {p.stations.length ? (
          // Only a person signed on may 86 (a pinless display is offered no switch at all, stations: []).
          <details class="kds-switch kds-86-list">
            <summary class="btn">86…</summary>
            <nav data-load={`/kds/${p.station.id}/eighty-six`}><span class="muted">Loading…</span></nav>
          </details>
        ) : ""}
        {p.stations.length ? (
          <details class="kds-switch">
            <summary class="btn">Stations</summary>
            <nav>{p.stations.map((s) => <a class="btn" href={`/kds/${s.id}`} safe>{s.name}</a>)}</nav>
          </details>
        ) : ""}
      </header>
      {p.flash ? <p class="flash error" role="alert" safe>{p.flash}</p> : ""}
      <main class={`kds-main${p.stations.length ? " can-86" : ""}`} data-live={`/kds/${p.station.id}/stream`} data-seq={String(p.lastSeq)} data-thresholds={p.thresholds.join(",")}>
        <KdsRail stationId={p.station.id} orders={p.orders} thresholds={p.thresholds} />
      </main>
      <p class="kds-empty muted">No tickets. New orders appear here as soon as they are sent.</p>
      <div class="live-banner" role="status">Reconnecting… this screen may be out of date</div>
      <script src="/public/js/kds.js" defer></script>
    </Layout>
  );
}

/** The ticket rail: also sent whole as the full-state refresh of a reconnecting screen. */
export function KdsRail({ stationId, orders, thresholds }: { stationId: string; orders: OrderView[]; thresholds: Thresholds }) {
  return <div id="tickets" class="kds-rail">{orders.map((o) => <KdsTicket order={o} stationId={stationId} thresholds={thresholds} />)}</div>;
}

export function KdsChooser(p: { nonce: string; stations: { id: string; name: string }[] }) {
  return (
    <Layout title="Choose a station" nonce={p.nonce} screen="kds" alpine={false}>
      <main class="narrow stack">
        <h1>Kitchen display</h1>
        <p class="muted">Choose the station this screen shows.</p>
        {p.stations.map((s) => <a class="btn big" href={`/kds/${s.id}`} safe>{s.name}</a>)}
        <a class="btn big" href="/expo">Expo (the pass)</a>
        <a class="btn big" href="/board">Order-ready board</a>
      </main>
    </Layout>
  );
}
