import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "./plugin";
import type { Resolution } from "./service";
import { answerInvitation, listInvitations } from "./invitations";
import { InvitationsPage } from "../../views/auth/invitations";

/** Signed in (with or without a restaurant chosen yet), past the second factor: whose invitations these are. */
const invitee = (r: Resolution) => (r.pending?.totpPending ? null : r.pending?.userId ?? r.principal?.user?.id ?? null);

/** Where the invitations page sends a person: to their invitations, then on to their restaurants. */
export function invitationRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const answer = (accept: boolean) => async ({ resolution, params, redirect, clientIp }: { resolution: Resolution; params: { id: string }; redirect: (to: string, status: 303) => Response; clientIp: string | null }) => {
    const userId = invitee(resolution);
    if (!userId) return redirect("/sign-in", 303);
    await answerInvitation(db, userId, params.id, accept, clientIp);
    return redirect((await listInvitations(db, userId)).length ? "/invitations" : "/", 303);
  };
  return new Elysia({ name: "invitation-routes" })
    .use(authPlugin(ctx))
    .get("/invitations", async ({ resolution, nonce, redirect }) => {
      const userId = invitee(resolution);
      if (!userId) return redirect(resolution.pending ? "/sign-in/totp" : "/sign-in", 303);
      const invitations = await listInvitations(db, userId);
      if (!invitations.length) return redirect("/", 303);
      return InvitationsPage({ nonce, invitations });
    }, { need: "public" })
    .post("/invitations/:id/accept", answer(true), { need: "public" })
    .post("/invitations/:id/decline", answer(false), { need: "public" });
}
