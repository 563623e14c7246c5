import type { PropsWithChildren } from "@kitajs/html";
import { Layout } from "../layout";

export type AdminSection = "menu" | "staff" | "stations" | "reports" | "settings" | "audit";

const SECTIONS: [AdminSection, string, string][] = [
  ["menu", "Menu", "/admin/menu"],
  ["staff", "Staff", "/admin/staff"],
  ["stations", "Stations & devices", "/admin/stations"],
  ["audit", "Audit log", "/admin/audit"],
  ["reports", "Reports", "/admin/reports"],
];

/** The frame of every admin page: restaurant name, section navigation, who is signed in, sign out. */
export function AdminShell(props: PropsWithChildren<{ nonce: string; title: string; section: AdminSection; restaurantName: string; userName: string; flash?: string; flashKind?: "ok" | "error" }>) {
  return (
    <Layout title={props.title} nonce={props.nonce} screen="admin" head={<link rel="stylesheet" href="/public/css/identity.css" />}>
      <header class="topbar">
        <strong safe>{props.restaurantName}</strong>
        <nav>
          {SECTIONS.map(([key, label, href]) => (
            <a href={href} aria-current={key === props.section ? "page" : undefined} safe>{label}</a>
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
