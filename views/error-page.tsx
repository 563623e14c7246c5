import { Layout } from "./layout";

export function ErrorPage(props: { nonce: string; status: number; message: string; requestId?: string }) {
  // A 503 passes (the database is back within seconds): a screen that reloaded into this page, like a
  // KDS whose live stream gave up, must find its way back by itself, with nobody there to press reload.
  const head = props.status === 503 ? <meta http-equiv="refresh" content="5" /> : undefined;
  return (
    <Layout title={`Error ${props.status}`} nonce={props.nonce} head={head}>
      <main class="narrow">
        <h1 safe>{String(props.status)}</h1>
        <p class="error-message" safe>{props.message}</p>
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
