import { Layout } from "../layout";
import { describedBy, FieldError, Flash } from "./form";

const styles = <link rel="stylesheet" href="/public/css/identity.css" />;

export function SignInPage(props: { nonce: string; email?: string; error?: string; field?: string; next?: string; notice?: string }) {
  const emailError = props.field === "email" ? props.error : undefined;
  const formError = props.field === "email" ? undefined : props.error;
  return (
    <Layout title="Sign in" nonce={props.nonce} head={styles}>
      <main class="narrow">
        <h1>Restaurant OS</h1>
        <form class="card stack" method="post" action="/sign-in" novalidate>
          <Flash message={props.notice} />
          <Flash message={formError} kind="error" />
          <input type="hidden" name="next" value={props.next ?? ""} />
          <label for="email">Email</label>
          <input id="email" type="email" name="email" autocomplete="username" required maxlength="254" value={props.email ?? ""} autofocus={!props.email}
            {...describedBy("email", { error: emailError })} />
          <FieldError id="email" message={emailError} />
          <label for="password">Password</label>
          <input id="password" type="password" name="password" autocomplete="current-password" required maxlength="200" autofocus={!!props.email} />
          <button class="btn primary" type="submit">Sign in</button>
        </form>
        <p class="muted">Working a station? Staff sign on with their PIN at the station screen.</p>
      </main>
    </Layout>
  );
}

export function TotpPage(props: { nonce: string; error?: string }) {
  return (
    <Layout title="Two-step sign-in" nonce={props.nonce} head={styles}>
      <main class="narrow">
        <h1>Two-step sign-in</h1>
        <form class="card stack" method="post" action="/sign-in/totp" novalidate>
          <p>Open your authenticator app and enter the 6-digit code for Restaurant OS.</p>
          <label for="code">Code</label>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="20" autofocus
            {...describedBy("code", { hint: true, error: props.error })} />
          <p class="muted" id="code-hint">Lost your phone? Enter one of your recovery codes instead (like k7dmp-x3rta).</p>
          <FieldError id="code" message={props.error} />
          <button class="btn primary" type="submit">Continue</button>
        </form>
        <form method="post" action="/sign-out"><button class="btn small" type="submit">Cancel and sign out</button></form>
      </main>
    </Layout>
  );
}

export function ChooseRestaurantPage(props: { nonce: string; restaurants: { restaurantId: string; name: string; role: string }[] }) {
  return (
    <Layout title="Choose a restaurant" nonce={props.nonce} head={styles}>
      <main class="narrow">
        <h1>Choose a restaurant</h1>
        <div class="stack">
          {props.restaurants.map((r) => (
            <form method="post" action="/choose-restaurant" class="card row">
              <input type="hidden" name="restaurantId" value={r.restaurantId} />
              <div class="grow"><strong safe>{r.name}</strong><div class="muted" safe>{r.role}</div></div>
              <button class="btn primary" type="submit">Open</button>
            </form>
          ))}
        </div>
      </main>
    </Layout>
  );
}
