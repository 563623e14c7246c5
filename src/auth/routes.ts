import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "./plugin";
import { checkPassword, chooseRestaurant, listRestaurantsOfUser, revokeAllSessions, revokeSession, startSession } from "./service";
import { ChooseRestaurantPage, SignInPage } from "../../views/auth/sign-in";
import { EMAIL_PATTERN } from "../restaurants/service";

/** Only same-site paths may be a post-sign-in destination (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : "/";
}

export function authRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "auth-routes" })
    .use(authPlugin(ctx))
    .get("/sign-in", ({ nonce, query }) => SignInPage({ nonce, next: query.next }), { need: "public", query: t.Object({ next: t.Optional(t.String()) }) })
    .post("/sign-in", async ({ body, nonce, set, request, setSessionCookie, redirect, server }) => {
      const email = body.email.trim();
      const fail = (message: string, status = 401) => {
        set.status = status;
        return SignInPage({ nonce, email, error: message, next: body.next });
      };
      if (!EMAIL_PATTERN.test(email) || email.length > 254) return fail("Enter a valid email address, like name@example.com", 400);
      const user = await checkPassword(db, email, body.password);
      if (!user) return fail("Email or password is not right");
      const restaurants = await listRestaurantsOfUser(db, user.id);
      const only = restaurants.length === 1 ? restaurants[0]!.restaurantId : null;
      const { token } = await startSession(db, {
        userId: user.id, restaurantId: only, kind: "password",
        userAgent: request.headers.get("user-agent"), ip: server?.requestIP(request)?.address ?? null,
      });
      await setSessionCookie(token);
      return redirect(only ? safeNext(body.next) : "/choose-restaurant", 303);
    }, { need: "public", body: t.Object({ email: t.String({ maxLength: 254 }), password: t.String({ maxLength: 200 }), next: t.Optional(t.String()) }) })
    .get("/choose-restaurant", async ({ resolution, nonce, redirect }) => {
      const userId = resolution.pending?.userId ?? resolution.principal?.user?.id;
      if (!userId) return redirect("/sign-in", 303);
      return ChooseRestaurantPage({ nonce, restaurants: await listRestaurantsOfUser(db, userId) });
    }, { need: "public" })
    .post("/choose-restaurant", async ({ resolution, body, redirect, set }) => {
      const sessionId = resolution.pending?.sessionId ?? resolution.principal?.sessionId;
      const userId = resolution.pending?.userId ?? resolution.principal?.user?.id;
      if (!sessionId || !userId || resolution.pending?.totpPending) return redirect("/sign-in", 303);
      if (!(await chooseRestaurant(db, sessionId, userId, body.restaurantId))) {
        set.status = 403;
        return "You are not a member of that restaurant.";
      }
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
    }, { need: "staff.self" });
}
