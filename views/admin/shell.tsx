import type { PropsWithChildren } from "@kitajs/html";
import { Layout } from "../layout";
import { screensFor } from "../../src/home/screens";

export type AdminSection = "menu" | "staff" | "stations" | "reports" | "settings" | "audit" | "api-keys";

const SECTION_HREF: Record<AdminSection, string> = {
  menu: "/admin/menu", staff: "/admin/staff", stations: "/admin/stations", reports: "/admin/reports", settings: "/admin/settings", audit: "/admin/audit", "api-keys": "/admin/api-keys",
};

/**
 * Home, then the same screens and sections the home page lists. Every admin page needs a manager's
 * permission, so the links are a manager's.
 */
const NAV = [{ href: "/home", label: "Home" }, ...screensFor("manager").filter((s) => s.href !== "/pos/orders")];

/** The frame of every admin page: restaurant name, section navigation, who is signed in, sign out. */
export function AdminShell(props: PropsWithChildren<{ nonce: string; title: string; section: AdminSection; restaurantName: string; userName: string; flash?: string; flashKind?: "ok" | "error" }>) {
  return (
    <Layout title={props.title} nonce={props.nonce} screen="admin" head={<><link rel="stylesheet" href="/public/css/identity.css" /><link rel="stylesheet" href="/public/css/admin.css" /></>}>
      <header class="topbar">
        <strong safe>{props.restaurantName}</strong>
        <nav aria-label="Screens and admin">
          {NAV.map(({ href, label }) => (
            <a href={href} aria-current={href === SECTION_HREF[props.section] ? "page" : undefined} safe>{label}</a>
          ))}
        </nav>
        <span class="spacer"></span>
        <span class="muted" safe>{props.userName}</span>
        <form method="post" action="/sign-out"><button class="btn small" type="submit">Sign out</button></form>
      </header>
      <main class="wide stack">
        {props.flash ? <p class={`flash ${props.flashKind ?? "ok"}`} role="status" safe>{props.flash}</p> : ""}
        <h1 safe>{props.title}</h1>
        {props.children as "safe"}
      </main>
    </Layout>
  );
}
