import { Elysia, t } from "elysia";
import { renderSVG } from "uqr";
import type { AppContext } from "../context";
import { authPlugin } from "./plugin";
import type { Principal } from "./service";
import { changePassword, disableTotp, enableTotp, mayUseTotp, regenerateRecoveryCodes, startTotp, totpState } from "./account";
import { PASSWORD_RULES } from "./passwords";
import { asRefusal } from "./refusal";
import { ChangePasswordPage, SecurityPage, type SecurityView } from "../../views/auth/account";

type Signed = Principal & { user: NonNullable<Principal["user"]> };
// "staff.self" admits only the six roles, so a user is always there; the cast says so once.
const signed = (p: Principal) => p as Signed;

const FLASHES: Record<string, string> = {
  off: "Two-step sign-in is off.",
};

/** A person's own account: their password, and two-step sign-in for owners and managers. */
export function accountRoutes(ctx: AppContext) {
  const securityView = async (p: Signed): Promise<SecurityView> => {
    const state = await totpState(ctx, p);
    if (state.state !== "pending") return state;
    // The QR is drawn on the server as SVG and sent as an image: no client script, nothing inline to run.
    const svg = renderSVG(state.uri, { ecc: "M", border: 2 });
    return { ...state, qrDataUri: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
  };
  const securityPage = async (nonce: string, p: Signed, extra: { error?: string; flash?: string; codes?: string[] } = {}) =>
    SecurityPage({ nonce, view: await securityView(p), allowed: mayUseTotp(p), ...extra });

  return new Elysia({ name: "account-routes" })
    .use(authPlugin(ctx))
    .get("/account/password", ({ nonce, principal }) =>
      ChangePasswordPage({ nonce, rules: PASSWORD_RULES, required: !!principal.user?.mustChangePassword }), { need: "staff.self" })
    .post("/account/password", async ({ nonce, principal, body, set, redirect, clientIp }) => {
      const p = signed(principal);
      try {
        await changePassword(ctx, p, body, clientIp);
      } catch (error) {
        const e = asRefusal(error, set);
        return ChangePasswordPage({ nonce, rules: PASSWORD_RULES, required: p.user.mustChangePassword, errors: { [e.field ?? "form"]: e.message } });
      }
      if (p.user.mustChangePassword) return redirect("/", 303);
      return ChangePasswordPage({ nonce, rules: PASSWORD_RULES, required: false, done: true });
    }, { need: "staff.self", body: t.Object({ current: t.String({ maxLength: 200 }), next: t.String({ maxLength: 400 }), confirm: t.String({ maxLength: 400 }) }) })
    .get("/account/security", async ({ nonce, principal, query }) =>
      securityPage(nonce, signed(principal), { flash: FLASHES[query.done ?? ""] }), { need: "staff.self", query: t.Object({ done: t.Optional(t.String()) }) })
    .post("/account/totp/setup", async ({ principal, redirect }) => {
      await startTotp(ctx, signed(principal));
      return redirect("/account/security", 303);
    }, { need: "staff.self" })
    .post("/account/totp/enable", async ({ nonce, principal, body, set, clientIp }) => {
      const p = signed(principal);
      try {
        const codes = await enableTotp(ctx, p, body.code, clientIp);
        return securityPage(nonce, p, { codes, flash: "Two-step sign-in is on. From now on, signing in asks for a code from your app." });
      } catch (error) {
        return securityPage(nonce, p, { error: asRefusal(error, set).message });
      }
    }, { need: "staff.self", body: t.Object({ code: t.String({ maxLength: 40 }) }) })
    .post("/account/totp/recovery-codes", async ({ nonce, principal, body, set, clientIp }) => {
      const p = signed(principal);
      try {
        const codes = await regenerateRecoveryCodes(ctx, p, body.code, clientIp);
        return securityPage(nonce, p, { codes, flash: "New recovery codes made; the old ones no longer work." });
      } catch (error) {
        return securityPage(nonce, p, { error: asRefusal(error, set).message });
      }
    }, { need: "staff.self", body: t.Object({ code: t.String({ maxLength: 40 }) }) })
    .post("/account/totp/disable", async ({ nonce, principal, body, set, redirect, clientIp }) => {
      const p = signed(principal);
      try {
        await disableTotp(ctx, p, body.code, clientIp);
        return redirect("/account/security?done=off", 303);
      } catch (error) {
        return securityPage(nonce, p, { error: asRefusal(error, set).message });
      }
    }, { need: "staff.self", body: t.Object({ code: t.String({ maxLength: 40 }) }) });
}
