import { Layout } from "../layout";
import { ROLE_LABELS, type Role } from "../../src/auth/permissions";
import { Flash } from "./form";

export const DEVICE_KIND_LABELS = { pos: "POS", kds: "Kitchen display", expo: "Expo", board: "Ready board", kiosk: "Guest kiosk" } as const;
export type DeviceKind = keyof typeof DEVICE_KIND_LABELS;

export type StationPadProps = {
  nonce: string;
  restaurantName: string;
  device: { name: string; kind: DeviceKind; pinless: boolean; stationName: string | null };
  /** Staff with a PIN: the optional "who are you" tiles. */
  members: { membershipId: string; name: string; role: Role }[];
  signedOn: { name: string; role: Role } | null;
  /** Where this station's screen is (/pos, /kds...). */
  screenHref: string;
  selected?: string | null;
  error?: string;
  notice?: string;
  /** Too many wrong PINs: the pad takes only an owner's or manager's PIN until the lock ends. */
  lock?: { minutes: number; message: string } | null;
};

function head(nonce: string) {
  return (
    <>
      <link rel="stylesheet" href="/public/css/identity.css" />
      <script src="/public/js/pin-pad.js" nonce={nonce} defer></script>
    </>
  );
}

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"] as const;

/** The PIN pad of a station: big touch keys, and the real input underneath for keyboards and no-JS. */
export function StationPadPage(p: StationPadProps) {
  const where = [DEVICE_KIND_LABELS[p.device.kind], p.device.stationName].filter(Boolean).join(" · ");
  return (
    <Layout title="Sign on" nonce={p.nonce} screen="pos" alpine={false} head={head(p.nonce)}>
      <main class="station">
        <header class="station-head">
          <div>
            <strong safe>{p.restaurantName}</strong>
            <div class="muted" safe>{`${p.device.name} — ${where}`}</div>
          </div>
          <Flash message={p.notice} />
          {p.signedOn ? (
            <div class="row">
              <span>Signed on: <strong safe>{p.signedOn.name}</strong> <span class="muted" safe>{ROLE_LABELS[p.signedOn.role]}</span></span>
              <a class="btn" href={p.screenHref}>Back to screen</a>
              <form method="post" action="/station/sign-off"><button class="btn" type="submit">Sign off</button></form>
            </div>
          ) : p.device.pinless ? (
            <a class="btn" href={p.screenHref}>Open the screen without a PIN</a>
          ) : ""}
        </header>
        {p.lock ? <StationLocked message={p.lock.message} /> : ""}
        <form class="station-form" method="post" action="/station/pin" novalidate>
          {p.members.length && !p.lock ? (
            <fieldset class="who">
              <legend>Who is signing on? <span class="muted">(optional)</span></legend>
              <div class="tiles">
                <label class="tile"><input type="radio" name="member" value="" checked={!p.selected} /><span>Just my PIN</span></label>
                {p.members.map((m) => (
                  <label class="tile">
                    <input type="radio" name="member" value={m.membershipId} checked={p.selected === m.membershipId} />
                    <span safe>{m.name}</span>
                    <small class="muted" safe>{ROLE_LABELS[m.role]}</small>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : ""}
          <section class="pad" aria-labelledby="pin-label">
            {p.error ? <p class="flash error" id="pin-error" role="alert" safe>{p.error}</p> : ""}
            <label id="pin-label" for="pin" class="pin-label">{p.lock ? "Manager PIN to unlock" : p.signedOn ? "Switch user: enter a PIN" : "Enter your PIN"}</label>
            <input id="pin" name="pin" class="pin-input" type="password" inputmode="numeric" pattern="[0-9]*" minlength="4" maxlength="6"
              autocomplete="off" required autofocus aria-describedby={p.error ? "pin-hint pin-error" : "pin-hint"} data-pin-input />
            <p class="muted hint" id="pin-hint">{p.lock ? `Staff PINs work again in ${p.lock.minutes} min.` : "4 to 6 digits, then Sign on."}</p>
            <div class="keys" data-pin-keys hidden>
              {KEYS.map((k) => k === "clear" ? <button type="button" class="key key-aux" data-key="clear">Clear</button>
                : k === "back" ? <button type="button" class="key key-aux" data-key="back" aria-label="Delete last digit">⌫</button>
                : <button type="button" class="key" data-key={k}>{k}</button>)}
            </div>
            <button class="btn primary pin-go" type="submit">{p.lock ? "Unlock" : "Sign on"}</button>
          </section>
        </form>
      </main>
    </Layout>
  );
}

/** The lock banner: what happened, when it ends by itself, and who can end it now. */
function StationLocked(p: { message: string }) {
  return (
    <section class="station-locked" role="alert" aria-labelledby="locked-title">
      <h2 id="locked-title">This station is locked</h2>
      <p safe>{p.message}</p>
    </section>
  );
}

/** /station in a browser that is not enrolled. */
export function NotAStationPage(props: { nonce: string }) {
  return (
    <Layout title="Not a station" nonce={props.nonce} head={<link rel="stylesheet" href="/public/css/identity.css" />}>
      <main class="narrow stack">
        <h1>This browser is not a station</h1>
        <p>A manager can make it one: sign in, open <strong>Admin → Stations &amp; devices</strong> and choose <em>Enrol this browser</em>.</p>
        <p><a class="btn primary" href="/sign-in?next=%2Fadmin%2Fstations">Manager sign-in</a></p>
      </main>
    </Layout>
  );
}
