import { Layout } from "../layout";
import type { ScreenLink } from "../../src/home/screens";

export type HomeProps = {
  nonce: string; restaurantName: string; userName: string; roleLabel: string;
  links: ScreenLink[];
  /** Active kitchen stations: one KDS link each, when the person may open the kitchen screen. */
  stations: { id: string; name: string }[];
  /** Password sessions manage their own password and two-step sign-in; PIN sessions have neither. */
  account: boolean;
};

/** Where a signed-in person lands: every screen they may open, big enough to tap on a phone. */
export function HomePage(p: HomeProps) {
  const screens = p.links.filter((l) => l.group === "screens");
  const admin = p.links.filter((l) => l.group === "admin");
  // The kitchen screen is one tile per station (one tap to the right rail), or the chooser if none.
  const tiles = screens.flatMap((s) => s.href === "/kds" && p.stations.length
    ? p.stations.map((st) => ({ href: `/kds/${st.id}`, label: `Kitchen: ${st.name}`, hint: `The ${st.name} station's tickets` }))
    : [{ href: s.href, label: s.label, hint: s.hint }]);
  return (
    <Layout title="Home" nonce={p.nonce} screen="admin" head={<><link rel="stylesheet" href="/public/css/identity.css" /><link rel="stylesheet" href="/public/css/admin.css" /></>}>
      <header class="topbar">
        <strong safe>{p.restaurantName}</strong>
        <span class="spacer"></span>
        <span class="muted" safe>{`${p.userName} · ${p.roleLabel}`}</span>
        <form method="post" action="/sign-out"><button class="btn small" type="submit">Sign out</button></form>
      </header>
      <main class="wide stack home">
        <h1>Home</h1>
        {screens.length ? (
          <section class="stack" aria-labelledby="screens-title">
            <h2 id="screens-title">Screens</h2>
            <ul class="home-grid" role="list">
              {tiles.map((tile) => <HomeTile href={tile.href} label={tile.label} hint={tile.hint} />)}
            </ul>
          </section>
        ) : ""}
        {admin.length ? (
          <section class="stack" aria-labelledby="admin-title">
            <h2 id="admin-title">Admin</h2>
            <ul class="home-grid" role="list">{admin.map((s) => <HomeTile href={s.href} label={s.label} hint={s.hint} />)}</ul>
          </section>
        ) : ""}
        {p.account ? (
          <section class="stack" aria-labelledby="account-title">
            <h2 id="account-title">Your account</h2>
            <ul class="home-grid" role="list">
              <HomeTile href="/account/password" label="Change password" hint="Your own password" />
              <HomeTile href="/account/security" label="Two-step sign-in" hint="A code from an authenticator app" />
            </ul>
          </section>
        ) : ""}
      </main>
    </Layout>
  );
}

function HomeTile(p: { href: string; label: string; hint: string }) {
  return (
    <li>
      <a class="home-tile" href={p.href}>
        <strong safe>{p.label}</strong>
        <span class="muted" safe>{p.hint}</span>
      </a>
    </li>
  );
}
