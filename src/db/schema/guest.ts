import { boolean, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantColumns, updatedAt } from "./columns";
import { restaurants } from "./tenancy";
import { orders } from "./orders";

/**
 * A table guests can order from with their phone. The QR code printed on it carries `token`; a manager
 * rotating it (or closing the table's ordering) makes every printed code and open menu page of the old
 * one stop working at once. The label is the POS's table label, so guest rounds land on that check.
 */
export const guestTables = pgTable("guest_tables", {
  ...tenantColumns(),
  label: text("label").notNull(),
  /** Random and unguessable; printed on the table, so stored as is (the printing page needs it). */
  token: text("token").notNull(),
  /** false: a manager closed guest ordering at this table (its QR code shows a clear page). */
  open: boolean("open").notNull().default(true),
  rotatedAt: timestamp("rotated_at", { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  uniqueIndex("guest_tables_token").on(t.token),
  uniqueIndex("guest_tables_label").on(t.restaurantId, t.label),
]);

/** The restaurant's guest-ordering rules (one row; missing means the defaults). */
export const guestSettings = pgTable("guest_settings", {
  restaurantId: uuid("restaurant_id").notNull().primaryKey().references(() => restaurants.id),
  /** Kiosk "pay at the counter": send to the kitchen at once instead of after the cashier takes the money. */
  fireBeforePayment: boolean("fire_before_payment").notNull().default(false),
  /** QR rounds wait for a server to confirm them before they go to the kitchen. */
  confirmTableRounds: boolean("confirm_table_rounds").notNull().default(false),
  updatedAt: updatedAt(),
});

/**
 * One guest checkout: a kiosk order or one round from a table's phone. `token` opens the live "your
 * order" page for exactly this order; `state` is where the guest's part stands.
 */
export const guestOrders = pgTable("guest_orders", {
  ...tenantColumns(),
  orderId: uuid("order_id").notNull(),
  source: text("source").$type<"kiosk" | "table">().notNull(),
  deviceId: uuid("device_id"),
  tableId: uuid("table_id"),
  name: text("name"),
  /** awaiting_payment (kiosk, pay at counter), awaiting_confirmation (a table round), sent, declined. */
  state: text("state").$type<"awaiting_payment" | "awaiting_confirmation" | "sent" | "declined" | "placing">().notNull(),
  /** "counter" or "card" at a kiosk; "server" for a table round (paid at the end). */
  payment: text("payment").$type<"counter" | "card" | "server">().notNull(),
  /** The order lines this round added (a table round), so a server can confirm or decline just them. */
  lineIds: text("line_ids").array().notNull().default([]),
  lineCount: integer("line_count").notNull().default(0),
  token: text("token").notNull(),
  idempotencyKey: text("idempotency_key").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  foreignKey({ columns: [t.restaurantId, t.orderId], foreignColumns: [orders.restaurantId, orders.id] }),
  uniqueIndex("guest_orders_token").on(t.token),
  uniqueIndex("guest_orders_idempotency").on(t.restaurantId, t.idempotencyKey),
  index("guest_orders_state").on(t.restaurantId, t.state),
  index("guest_orders_order").on(t.restaurantId, t.orderId),
]);
