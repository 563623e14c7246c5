import { Layout } from "./layout";

/**
 * refreshSeconds: the page loads its address again by itself. For a passing 503 on a GET (the database
 * is back within seconds), so a screen that reloaded into this page, like a KDS whose live stream gave
 * up, finds its way back with nobody there to press reload.
 */
export function ErrorPage(props: { nonce: string; status: number; message: string; requestId?: string; refreshSeconds?: number }) {
  const head = props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : undefined;
  return (
    <Layout title={`Error ${props.status}`} nonce={props.nonce} head={head}>
      <main class="narrow">
        <h1 safe>{String(props.status)}</h1>
        <p class="error-message" safe>{props.message}</p>
        {props.refreshSeconds ? <p class="muted">This page tries again by itself every few seconds.</p> : ""}
        {props.requestId ? (
          <p class="muted">
            Reference: <code safe>{props.requestId}</code>
          </p>
        ) : ""}
        <p><a href="/">Back to start</a></p>
      </main>
    </Layout>
  );
}
