import type { PropsWithChildren } from "@kitajs/html";
import { Layout } from "../layout";

/**
 * Every guest page: large type, one column on a phone, no staff navigation. `live` adds the live
 * stream (public/js/live.js); guest.js drives the cart, the modifier dialog and the kiosk's idle reset.
 */
export function GuestShell(p: PropsWithChildren<{ title: string; nonce: string; mode: "kiosk" | "table" | "order"; live?: boolean }>) {
  const head = (
    <>
      <link rel="stylesheet" href="/public/css/guest.css" />
      {p.live ? <script src="/public/js/live.js" nonce={p.nonce} defer></script> : ""}
      <script src="/public/js/guest.js" nonce={p.nonce} defer></script>
    </>
  );
  return (
    <Layout title={p.title} nonce={p.nonce} alpine={false} head={head}>
      <div class={`guest guest-${p.mode}`}>{p.children as "safe"}</div>
    </Layout>
  );
}

/** A clear page for a guest who cannot order here (a replaced QR code, a closed table, not a kiosk). */
export function GuestNotice(p: { nonce: string; title: string; message: string }) {
  return (
    <GuestShell title={p.title} nonce={p.nonce} mode="order">
      <main class="guest-notice" id="main">
        <h1 safe>{p.title}</h1>
        <p safe>{p.message}</p>
      </main>
    </GuestShell>
  );
}
