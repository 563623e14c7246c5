import { Layout } from "../layout";
import { describedBy, FieldError, Flash, type FieldErrors } from "./form";

const styles = <link rel="stylesheet" href="/public/css/identity.css" />;

function AccountFrame(props: { nonce: string; title: string; children: JSX.Element | JSX.Element[] }) {
  return (
    <Layout title={props.title} nonce={props.nonce} head={styles}>
      <main class="narrow stack">
        <p><a href="/">← Back</a></p>
        <h1 safe>{props.title}</h1>
        {props.children as "safe"}
      </main>
    </Layout>
  );
}

export function ChangePasswordPage(props: { nonce: string; rules: string; required: boolean; errors?: FieldErrors; done?: boolean }) {
  const e = props.errors ?? {};
  return (
    <AccountFrame nonce={props.nonce} title={props.required ? "Choose your own password" : "Change password"}>
      {props.required ? <Flash message="You signed in with a one-time password. Choose your own to continue." /> : ""}
      <Flash message={props.done ? "Password changed. You stay signed in here; other browsers were signed out." : undefined} />
      <form class="card stack" method="post" action="/account/password" novalidate>
        <Flash message={e.form} kind="error" />
        <label for="current">Current password</label>
        <input id="current" type="password" name="current" autocomplete="current-password" required maxlength="200" {...describedBy("current", { error: e.current })} />
        <FieldError id="current" message={e.current} />
        <label for="next">New password</label>
        <input id="next" type="password" name="next" autocomplete="new-password" required minlength="12" maxlength="200" {...describedBy("next", { hint: true, error: e.next })} />
        <p class="muted hint" id="next-hint" safe>{props.rules}</p>
        <FieldError id="next" message={e.next} />
        <label for="confirm">New password again</label>
        <input id="confirm" type="password" name="confirm" autocomplete="new-password" required maxlength="200" {...describedBy("confirm", { error: e.confirm })} />
        <FieldError id="confirm" message={e.confirm} />
        <button class="btn primary" type="submit">Save password</button>
      </form>
    </AccountFrame>
  );
}

export type SecurityView =
  | { state: "off" }
  | { state: "pending"; secret: string; uri: string; qrDataUri: string }
  | { state: "on"; recoveryCodesLeft: number };

/** Two-step sign-in: set up (QR + secret), confirm with a code, recovery codes, turn off. */
export function SecurityPage(props: { nonce: string; view: SecurityView; allowed: boolean; error?: string; flash?: string; codes?: string[] }) {
  const v = props.view;
  return (
    <AccountFrame nonce={props.nonce} title="Two-step sign-in">
      <Flash message={props.flash} />
      {props.codes ? <RecoveryCodes codes={props.codes} /> : ""}
      {!props.allowed ? <p class="card">Two-step sign-in is for owners and managers.</p>
        : v.state === "off" ? (
          <form class="card stack" method="post" action="/account/totp/setup">
            <p>Two-step sign-in is <strong>off</strong>. With it on, signing in also asks for a 6-digit code from an authenticator app on your phone, so a stolen password alone is not enough.</p>
            <button class="btn primary" type="submit">Set up two-step sign-in</button>
          </form>
        ) : v.state === "pending" ? (
          <div class="card stack">
            <p>1. In your authenticator app (Google Authenticator, 1Password, Authy…), add an account by scanning this code.</p>
            <img class="qr" src={v.qrDataUri} alt="QR code for your authenticator app" width="220" height="220" />
            <p>Can't scan? Enter this key by hand: <code class="secret" safe>{v.secret.replace(/(.{4})/g, "$1 ").trim()}</code></p>
            <details><summary>Show the full setup link</summary><code class="wrap" safe>{v.uri}</code></details>
            <form class="stack" method="post" action="/account/totp/enable" novalidate>
              <label for="code">2. Enter the 6-digit code the app shows</label>
              <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6" {...describedBy("code", { error: props.error })} />
              <FieldError id="code" message={props.error} />
              <button class="btn primary" type="submit">Turn on</button>
            </form>
          </div>
        ) : (
          <div class="stack">
            <p class="card">Two-step sign-in is <strong>on</strong>. <span safe>{`You have ${v.recoveryCodesLeft} unused recovery code${v.recoveryCodesLeft === 1 ? "" : "s"}.`}</span></p>
            <form class="card stack" method="post" action="/account/totp/recovery-codes" novalidate>
              <label for="code-new">New recovery codes (the old ones stop working). Enter a current code:</label>
              <input id="code-new" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="20" {...describedBy("code-new", { error: props.error })} />
              <FieldError id="code-new" message={props.error} />
              <button class="btn" type="submit">Make new recovery codes</button>
            </form>
            <form class="card stack" method="post" action="/account/totp/disable" novalidate>
              <label for="code-off">Turn two-step sign-in off. Enter a current code or a recovery code:</label>
              <input id="code-off" name="code" autocomplete="one-time-code" required maxlength="20" />
              <button class="btn danger" type="submit">Turn off</button>
            </form>
          </div>
        )}
      <p><a href="/account/password">Change password</a></p>
    </AccountFrame>
  );
}

function RecoveryCodes(props: { codes: string[] }) {
  return (
    <section class="card stack recovery" aria-labelledby="recovery-title">
      <h2 id="recovery-title">Your recovery codes</h2>
      <p>Each works once, instead of a code from your phone. Store them somewhere safe now: they are not shown again.</p>
      <ol class="codes">{props.codes.map((c) => <li><code safe>{c}</code></li>)}</ol>
    </section>
  );
}
