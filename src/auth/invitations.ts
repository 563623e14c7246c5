import type { Db } from "../db/client";
import { withSystem, withTenant } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { notFound } from "../http/errors";
import * as q from "./queries";
import { UUID } from "../ids";

/*
 * A restaurant that adds an email which already has an account only invites it (staff/service.ts). The
 * person sees the invitation at their next sign-in and accepts or declines it; until then the
 * membership grants nothing and the restaurant knows nothing about the account.
 */


export const listInvitations = (db: Db, userId: string) => withSystem(db, (tx) => q.listInvitationsOfUser(tx, userId));

export async function hasInvitations(db: Db, userId: string): Promise<boolean> {
  return (await listInvitations(db, userId)).length > 0;
}

export async function answerInvitation(db: Db, userId: string, membershipId: string, accept: boolean, ip: string | null): Promise<void> {
  if (!UUID.test(membershipId)) throw notFound("There is no such invitation for you.");
  const done = await withSystem(db, async (tx): Promise<{ restaurantId: string } | null> =>
    accept ? q.acceptInvitation(tx, userId, membershipId) : q.declineInvitation(tx, userId, membershipId));
  if (!done) throw notFound("There is no such invitation for you.");
  // The restaurant learns the answer; accepting is also when it may see the account's own name.
  await withTenant(db, done.restaurantId, (tx) => recordAudit(tx, {
    restaurantId: done.restaurantId, actorUserId: userId, ip, action: accept ? "staff.invitation_accepted" : "staff.invitation_declined", data: { membershipId },
  }));
}
