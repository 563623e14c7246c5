import { allows, type Actor, type Permission } from "../auth/permissions";

/** A screen or admin section someone may open, with the permission its route needs. */
export type ScreenLink = { href: string; label: string; hint: string; need: Permission; group: "screens" | "admin" };

/**
 * The one list of what there is to open: the home page shows it whole (with a link per kitchen
 * station), the admin navigation shows it as a row of links. Each entry names the permission its
 * route needs, so nobody is shown a door that would refuse them.
 */
export const SCREENS: ScreenLink[] = [
  { href: "/pos", label: "POS", hint: "Take orders, send them to the kitchen, 86 items", need: "orders.create", group: "screens" },
  { href: "/pos/orders", label: "Open orders", hint: "Every order still open", need: "orders.create", group: "screens" },
  { href: "/guest-desk", label: "Guest orders", hint: "Kiosk orders to pay at the counter, table rounds to confirm", need: "guest.desk", group: "screens" },
  { href: "/kds", label: "Kitchen", hint: "A station's tickets, bumped by touch or bump bar", need: "kitchen.view", group: "screens" },
  { href: "/expo", label: "Expo", hint: "The pass: every open order and each station's progress", need: "expo.view", group: "screens" },
  { href: "/board", label: "Ready board", hint: "Order numbers for guests, in preparation and ready", need: "board.view", group: "screens" },
  { href: "/admin/menu", label: "Menu", hint: "Categories, items, modifier groups, tax, 86, CSV", need: "menu.edit", group: "admin" },
  { href: "/admin/staff", label: "Staff", hint: "People, roles and PINs", need: "staff.manage", group: "admin" },
  { href: "/admin/stations", label: "Stations & devices", hint: "Kitchen stations and enrolled screens", need: "devices.manage", group: "admin" },
  { href: "/admin/tables", label: "Tables & QR codes", hint: "Guest ordering: print, replace or close each table's QR code; kiosk and table rules", need: "guest.tables", group: "admin" },
  { href: "/admin/api-keys", label: "API keys", hint: "Keys for integrations: create, rotate, revoke", need: "apikeys.manage", group: "admin" },
  { href: "/admin/reports", label: "Reports", hint: "The day's money, what sold, kitchen times, staff; end of day", need: "reports.view", group: "admin" },
  { href: "/admin/settings", label: "Settings", hint: "Name, time zone, business day, tax, ticket ageing, station names", need: "settings.edit", group: "admin" },
  { href: "/admin/audit", label: "Audit log", hint: "Who did what, and when", need: "audit.view", group: "admin" },
];

export const screensFor = (actor: Actor | null): ScreenLink[] => SCREENS.filter((s) => allows(actor, s.need));
