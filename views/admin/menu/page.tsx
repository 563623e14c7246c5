import type { PropsWithChildren } from "@kitajs/html";
import { AdminShell } from "../shell";
import { MenuTabs, type MenuTab } from "./tabs";

/** Who is looking, for the admin frame. */
export type Frame = { nonce: string; restaurantName: string; userName: string };

/** The admin frame plus the menu's own tabs and its small Alpine helpers. */
export function MenuPage(props: PropsWithChildren<{ frame: Frame; title: string; tab: MenuTab }>) {
  return (
    <AdminShell nonce={props.frame.nonce} title={props.title} section="menu" restaurantName={props.frame.restaurantName} userName={props.frame.userName}>
      {/* Not deferred on purpose: it must register its components before Alpine (deferred, in <head>) starts. */}
      <script src="/public/js/menu-admin.js" nonce={props.frame.nonce}></script>
      {/* Live 86 switches. No data-seq on purpose: the stream then starts with every switch as it is
          now, so an 86 between this render and the connection is never missed. */}
      <script src="/public/js/live.js" defer></script>
      <div hidden data-live="/admin/menu/stream"></div>
      <MenuTabs current={props.tab} />
      {props.children as "safe"}
      <div class="live-banner" role="status">Reconnecting… 86 changes made elsewhere may not show yet</div>
    </AdminShell>
  );
}
