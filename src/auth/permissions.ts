/**
 * The one permission map. Every route names the permission it needs; this table decides who has it.
 * "device" is a pinless kitchen/expo/board screen with nobody signed on (view and bump only);
 * "integration" is a request carrying the restaurant's API key.
 */
export const ROLES = ["owner", "manager", "server", "cashier", "kitchen", "expo"] as const;
export type Role = (typeof ROLES)[number];
/** "guest": someone at a kiosk or a table's QR code; never a principal, only the order engine sees it (src/guest/). */
export type Actor = Role | "device" | "integration" | "guest";

const MANAGERS: Actor[] = ["owner", "manager"];
const FRONT: Actor[] = ["owner", "manager", "server", "cashier"];
const KITCHEN: Actor[] = ["owner", "manager", "kitchen", "expo", "device"];
const EVERY_STAFF: Actor[] = [...ROLES];

export const PERMISSIONS = {
  /** Reachable by anyone, signed in or not (sign-in pages, health, the order-ready board's assets). */
  public: "anyone",
  /** Any signed-in staff member of the restaurant. */
  "staff.self": EVERY_STAFF,
  "menu.view": [...EVERY_STAFF, "integration"],
  "menu.edit": MANAGERS,
  /** 86 an item from the POS or the kitchen in one tap. */
  "menu.availability": [...FRONT, "kitchen"],
  "orders.view": [...EVERY_STAFF, "integration"],
  "orders.create": [...FRONT, "integration", "guest"],
  "orders.transition": [...FRONT, "expo", "integration"],
  "orders.void_fired": MANAGERS,
  "orders.discount": MANAGERS,
  "orders.recall": [...MANAGERS, "expo", "kitchen", "device"],
  /** Take a tender, split a check (API keys may take payments but never refund). */
  /** "guest": a kiosk guest paying their own order by card (src/guest/card.ts); guests are never principals. */
  "payments.take": [...FRONT, "integration", "guest"],
  "payments.refund": MANAGERS,
  "payments.comp": MANAGERS,
  "payments.reopen": MANAGERS,
  "payments.leave_unpaid": MANAGERS,
  /** Open, count and close the drawer of the POS one is signed on at; pay-in, pay-out, no sale. */
  "drawers.operate": FRONT,
  "drawers.review": MANAGERS,
  "kitchen.view": KITCHEN,
  "kitchen.bump": KITCHEN,
  "expo.view": [...KITCHEN, "server"],
  "expo.serve": [...MANAGERS, "expo", "server", "device"],
  "board.view": [...KITCHEN, ...FRONT],
  /** The whole restaurant's event feed: not for a pinless screen, which sees its own station's stream only. */
  "events.stream": [...EVERY_STAFF, "integration"],
  "staff.manage": MANAGERS,
  /** Making or unmaking an owner is for owners only. */
  "staff.manage_owners": ["owner"],
  "devices.manage": MANAGERS,
  /** List, create, revoke and rotate the restaurant's API keys. */
  "apikeys.manage": MANAGERS,
  "reports.view": MANAGERS,
  "settings.edit": MANAGERS,
  /** Connecting Square (an access token that moves money) is for owners only. */
  "square.connect": ["owner"],
  "audit.view": MANAGERS,
  /** Tables' QR codes (print, rotate, close) and the guest-ordering rules. */
  "guest.tables": MANAGERS,
  /** The guest desk: kiosk orders waiting for the cashier, table rounds waiting for a server. */
  "guest.desk": FRONT,
} as const satisfies Record<string, Actor[] | "anyone">;

export type Permission = keyof typeof PERMISSIONS;

export function allows(actor: Actor | null, permission: Permission): boolean {
  const who = PERMISSIONS[permission];
  if (who === "anyone") return true;
  return actor !== null && (who as readonly Actor[]).includes(actor);
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner", manager: "Manager", server: "Server", cashier: "Cashier", kitchen: "Kitchen", expo: "Expo",
};
