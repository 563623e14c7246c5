import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { asRefusal } from "./refusal";
import { authPlugin } from "./plugin";
import { chooseRestaurant, listRestaurantsOfUser, revokeAllSessions, revokeSession } from "./service";
import { auditSignInAt, completeTotp, signInWithPassword, type SignedIn } from "./sign-in";
import { homeFor } from "./home";
import { accountRoutes } from "./account-routes";
import { stationRoutes } from "./station-routes";
import { invitationRoutes } from "./invitation-routes";
import { ChooseRestaurantPage, SignInPage, TotpPage } from "../../views/auth/sign-in";

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : "/";
}

function afterSignIn(result: SignedIn, next: string | undefined): string {
  return { totp: "/sign-in/totp", invitations: "/invitations", "choose-restaurant": "/choose-restaurant", "change-password": "/account/password", home: safeNext(next) }[result.next];
}

export function authRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "auth-routes" })
    .use(authPlugin(ctx))
    .get("/", ({ resolution, redirect }) => redirect(homeFor(resolution), 303), { need: "public" })
    .get("/sign-in", ({ nonce, query, principal, redirect }) => {
      if (principal?.user) return redirect(safeNext(query.next), 303);
      return SignInPage({ nonce, next: query.next });
    }, { need: "public", query: t.Object({ next: t.Optional(t.String({ maxLength: 500 })) }) })
    .post("/sign-in", async ({ body, nonce, set, request, setSessionCookie, redirect, clientIp }) => {
      try {
        const result = await signInWithPassword(ctx, body, { ip: clientIp, userAgent: request.headers.get("user-agent") });
        await setSessionCookie(result.token);
        return redirect(afterSignIn(result, body.next), 303);
      } catch (error) {
        const e = asRefusal(error, set);
        return SignInPage({ nonce, email: body.email.trim(), error: e.message, field: e.field, next: body.next });
      }
    }, { need: "public", body: t.Object({ email: t.String({ maxLength: 254 }), password: t.String({ maxLength: 200 }), next: t.Optional(t.String({ maxLength: 500 })) }) })
    .get("/sign-in/totp", ({ resolution, nonce, redirect }) => {
      if (!resolution.pending?.totpPending) return redirect(resolution.principal ? "/" : "/sign-in", 303);
      return TotpPage({ nonce });
    }, { need: "public" })
    .post("/sign-in/totp", async ({ resolution, body, nonce, set, request, setSessionCookie, redirect, clientIp }) => {
      const pending = resolution.pending;
      if (!pending?.totpPending) return redirect("/sign-in", 303);
      try {
        const result = await completeTotp(ctx, pending, body.code, { ip: clientIp, userAgent: request.headers.get("user-agent") });
        await setSessionCookie(result.token);
        return redirect(afterSignIn(result, undefined), 303);
      } catch (error) {
        return TotpPage({ nonce, error: asRefusal(error, set).message });
      }
    }, { need: "public", body: t.Object({ code: t.String({ maxLength: 40 }) }) })
    .get("/choose-restaurant", async ({ resolution, nonce, redirect }) => {
      if (resolution.pending?.totpPending) return redirect("/sign-in/totp", 303);
      const userId = resolution.pending?.userId ?? resolution.principal?.user?.id;
      if (!userId) return redirect("/sign-in", 303);
      return ChooseRestaurantPage({ nonce, restaurants: await listRestaurantsOfUser(db, userId) });
    }, { need: "public" })
    .post("/choose-restaurant", async ({ resolution, body, redirect, set, clientIp }) => {
      const sessionId = resolution.pending?.sessionId ?? resolution.principal?.sessionId;
      const userId = resolution.pending?.userId ?? resolution.principal?.user?.id;
      // A PIN session belongs to its station's restaurant and never switches.
      if (!sessionId || !userId || resolution.pending?.totpPending || resolution.principal?.sessionKind === "pin") return redirect("/sign-in", 303);
      if (!(await chooseRestaurant(db, sessionId, userId, body.restaurantId))) {
        set.status = 403;
        return "You are not a member of that restaurant.";
      }
      await auditSignInAt(ctx, body.restaurantId, userId, clientIp);
      return redirect("/", 303);
    }, { need: "public", body: t.Object({ restaurantId: t.String({ format: "uuid" }) }) })
    .post("/sign-out", async ({ resolution, setSessionCookie, redirect }) => {
      const sessionId = resolution.pending?.sessionId ?? resolution.principal?.sessionId;
      if (sessionId) await revokeSession(db, sessionId);
      await setSessionCookie(null);
      return redirect(resolution.device ? "/station" : "/sign-in", 303);
    }, { need: "public" })
    .post("/sign-out-everywhere", async ({ principal, setSessionCookie, redirect }) => {
      await revokeAllSessions(db, principal.user!.id);
      await setSessionCookie(null);
      return redirect("/sign-in", 303);
    }, { need: "staff.self" })
    .use(accountRoutes(ctx))
    .use(invitationRoutes(ctx))
    .use(stationRoutes(ctx));
}
