import { Layout } from "../layout";

/** Placeholder until the identity issue: the form posts nowhere useful yet. */
export function SignInPage(props: { nonce: string; restaurantName?: string }) {
  return (
    <Layout title="Sign in" nonce={props.nonce}>
      <main class="narrow">
        <h1>Restaurant OS</h1>
        <form class="card stack" method="post" action="/auth/sign-in">
          <label>Email<input type="email" name="email" autocomplete="username" required /></label>
          <label>Password<input type="password" name="password" autocomplete="current-password" required /></label>
          <button class="btn primary" type="submit">Sign in</button>
        </form>
      </main>
    </Layout>
  );
}
