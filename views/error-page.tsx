import { Layout } from "./layout";

/** On a station the refusal is about whoever is signed on there: the way out is to switch person. */
export type StationRefusal = { signedOnName: string | null };

/**
 * refreshSeconds: the page loads its address again by itself. For a passing 503 on a GET (the database
 * is back within seconds), so a screen that reloaded into this page, like a KDS whose live stream gave
 * up, finds its way back with nobody there to press reload.
 */
export function ErrorPage(props: { nonce: string; status: number; message: string; requestId?: string; refreshSeconds?: number; station?: StationRefusal | null }) {
  const head = props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : undefined;
  return (
    <Layout title={`Error ${props.status}`} nonce={props.nonce} head={head}>
      <main class="narrow stack">
        <h1 safe>{String(props.status)}</h1>
        <p class="error-message" safe>{props.message}</p>
        {props.refreshSeconds ? <p class="muted">This page tries again by itself every few seconds.</p> : ""}
        {props.requestId ? (
          <p class="muted">
            Reference: <code safe>{props.requestId}</code>
          </p>
        ) : ""}
        {props.station ? <StationWayOut station={props.station} /> : <p><a href="/">Back to start</a></p>}
      </main>
    </Layout>
  );
}

/**
 * "Back to start" on a station leads to the signed-on person's screen, which may be the very page that
 * refused them (a kitchen PIN on a POS): a locked-down tablet would be stuck. Signing off always works.
 */
function StationWayOut(p: { station: StationRefusal }) {
  return (
    <div class="stack">
      {p.station.signedOnName ? <p>Signed on here: <strong safe>{p.station.signedOnName}</strong></p> : ""}
      <form method="post" action="/station/sign-off">
        <button class="btn primary" type="submit">Sign off / switch person</button>
      </form>
      <p><a href="/station">Back to the PIN pad</a></p>
    </div>
  );
}
