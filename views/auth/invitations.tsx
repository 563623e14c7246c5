import { Layout } from "../layout";
import { ROLE_LABELS, type Role } from "../../src/auth/permissions";

export type InvitationView = { membershipId: string; restaurantName: string; role: Role; invitedBy: string | null };

/** Invitations waiting at sign-in: each restaurant that wants this person, to accept or decline. */
export function InvitationsPage(props: { nonce: string; invitations: InvitationView[] }) {
  return (
    <Layout title="Invitations" nonce={props.nonce} head={<link rel="stylesheet" href="/public/css/identity.css" />}>
      <main class="narrow stack">
        <h1>You are invited</h1>
        <p>A restaurant added your email to its staff. Nothing about your account is shared with it, and you do not work there, unless you accept.</p>
        {props.invitations.map((i) => (
          <section class="card stack" aria-label={`Invitation from ${i.restaurantName}`}>
            <div><strong safe>{i.restaurantName}</strong> <span class="muted" safe>{`as ${ROLE_LABELS[i.role]}${i.invitedBy ? `, invited by ${i.invitedBy}` : ""}`}</span></div>
            <div class="row">
              <form method="post" action={`/invitations/${i.membershipId}/accept`}><button class="btn primary" type="submit">Accept</button></form>
              <form method="post" action={`/invitations/${i.membershipId}/decline`}><button class="btn" type="submit">Decline</button></form>
            </div>
          </section>
        ))}
        <p><a href="/">Decide later</a></p>
      </main>
    </Layout>
  );
}
