import { Layout } from "./layout";

export function ErrorPage(props: { nonce: string; status: number; message: string; requestId?: string }) {
  return (
    <Layout title={`Error ${props.status}`} nonce={props.nonce}>
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
