import { Layout } from "../layout";

export function SignInPage(props: { nonce: string; email?: string; error?: string; next?: string }) {
  return (
    <Layout title="Sign in" nonce={props.nonce}>
      <main class="narrow">
        <h1>Restaurant OS</h1>
        <form class="card stack" method="post" action="/sign-in">
          {props.error ? <p class="flash error" role="alert" safe>{props.error}</p> : ""}
          <input type="hidden" name="next" value={props.next ?? ""} />
          <label>Email<input type="email" name="email" autocomplete="username" required maxlength="254" value={props.email ?? ""} /></label>
          <label>Password<input type="password" name="password" autocomplete="current-password" required maxlength="200" /></label>
          <button class="btn primary" type="submit">Sign in</button>
        </form>
      </main>
    </Layout>
  );
}

export function ChooseRestaurantPage(props: { nonce: string; restaurants: { restaurantId: string; name: string; role: string }[] }) {
  return (
    <Layout title="Choose a restaurant" nonce={props.nonce}>
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
