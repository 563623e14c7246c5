import { sql } from "drizzle-orm";
import { foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantColumns, updatedAt } from "./columns";
import { restaurants } from "./tenancy";
import { devices } from "./stations";
import { orderItems, orders } from "./orders";

/** The payment state machine's states (src/payments/states.ts holds the moves). */
export const paymentStateEnum = pgEnum("payment_state", ["pending", "completed", "failed", "voided", "refunded", "partly_refunded"]);
export const drawerStatusEnum = pgEnum("drawer_status", ["open", "closed"]);
export const drawerMovementEnum = pgEnum("drawer_movement", ["pay_in", "pay_out", "no_sale"]);

/**
 * A split of an order into checks. Each check owns a weight of each line it shares (every line on every
 * check with weight 1 is an even split); amounts are derived from the order, never stored.
 */
export const orderChecks = pgTable("order_checks", {
  ...tenantColumns(),
  orderId: uuid("order_id").notNull(),
  /** 1, 2, 3 ... in the order the split made them. */
  number: integer("number").notNull(),
  label: text("label").notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId, t.orderId], foreignColumns: [orders.restaurantId, orders.id] }),
  uniqueIndex("order_checks_number").on(t.restaurantId, t.orderId, t.number),
]);

export const orderCheckLines = pgTable("order_check_lines", {
  restaurantId: uuid("restaurant_id").notNull(),
  checkId: uuid("check_id").notNull(),
  orderItemId: uuid("order_item_id").notNull(),
  orderId: uuid("order_id").notNull(),
  /** This check's share of the line is weight / (sum of the line's weights over all checks). */
  weight: integer("weight").notNull(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.checkId, t.orderItemId] }),
  foreignKey({ columns: [t.restaurantId, t.checkId], foreignColumns: [orderChecks.restaurantId, orderChecks.id] }).onDelete("cascade"),
  foreignKey({ columns: [t.restaurantId, t.orderItemId], foreignColumns: [orderItems.restaurantId, orderItems.id] }),
]);

/** A cash drawer session on one POS device: opened with a counted float, closed with a count. */
export const cashDrawers = pgTable("cash_drawers", {
  ...tenantColumns(),
  deviceId: uuid("device_id").notNull(),
  status: drawerStatusEnum("status").notNull().default("open"),
  floatCents: integer("float_cents").notNull(),
  openedBy: uuid("opened_by"),
  openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
  closedBy: uuid("closed_by"),
  closedAt: timestamp("closed_at", { withTimezone: true }),
  countedCents: integer("counted_cents"),
  /** The count by denomination when the cashier gave one: { "2000": 3, "500": 1 } (minor units -> pieces). */
  countedDenominations: jsonb("counted_denominations").$type<Record<string, number>>(),
  /** Fixed at close: float + cash taken - cash refunded + pay-ins - pay-outs. */
  expectedCents: integer("expected_cents"),
  overShortCents: integer("over_short_cents"),
  closeNote: text("close_note"),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  foreignKey({ columns: [t.restaurantId, t.deviceId], foreignColumns: [devices.restaurantId, devices.id] }),
  // One open drawer per device, decided by the database even when two tills race.
  uniqueIndex("cash_drawers_one_open").on(t.restaurantId, t.deviceId).where(sql`status = 'open'`),
  index("cash_drawers_time").on(t.restaurantId, t.openedAt),
]);

export const drawerMovements = pgTable("drawer_movements", {
  ...tenantColumns(),
  drawerId: uuid("drawer_id").notNull(),
  kind: drawerMovementEnum("kind").notNull(),
  /** 0 for a no-sale open. */
  amountCents: integer("amount_cents").notNull(),
  reason: text("reason"),
  byUser: uuid("by_user"),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId, t.drawerId], foreignColumns: [cashDrawers.restaurantId, cashDrawers.id] }),
]);

/**
 * One tender applied to an order (cash today; card is one more tender with a provider reference).
 * `amountCents` is what counts against the check; the tip rides on top and never changes tax.
 */
export const payments = pgTable("payments", {
  ...tenantColumns(),
  orderId: uuid("order_id").notNull(),
  checkId: uuid("check_id"),
  tender: text("tender").$type<"cash" | "card">().notNull(),
  status: paymentStateEnum("status").notNull().default("pending"),
  amountCents: integer("amount_cents").notNull(),
  tipCents: integer("tip_cents").notNull().default(0),
  /** Cash handed over; change = tendered - amount - tip. Null for tenders without change. */
  tenderedCents: integer("tendered_cents"),
  changeCents: integer("change_cents").notNull().default(0),
  refundedCents: integer("refunded_cents").notNull().default(0),
  /** The server who owns the check when it was paid: the tip is theirs. */
  serverUserId: uuid("server_user_id"),
  takenBy: uuid("taken_by"),
  deviceId: uuid("device_id"),
  drawerId: uuid("drawer_id"),
  /** Card processors fill these (Square: payment id); cash leaves them empty. */
  provider: text("provider"),
  providerRef: text("provider_ref"),
  /** Square Terminal: the checkout this tender rides on, and its last status read back from Square. */
  providerCheckoutId: text("provider_checkout_id"),
  providerStatus: text("provider_status"),
  cardBrand: text("card_brand"),
  cardLast4: text("card_last4"),
  failureReason: text("failure_reason"),
  idempotencyKey: text("idempotency_key"),
  requestHash: text("request_hash"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId, t.orderId], foreignColumns: [orders.restaurantId, orders.id] }),
  foreignKey({ columns: [t.restaurantId, t.checkId], foreignColumns: [orderChecks.restaurantId, orderChecks.id] }),
  foreignKey({ columns: [t.restaurantId, t.drawerId], foreignColumns: [cashDrawers.restaurantId, cashDrawers.id] }),
  uniqueIndex("payments_idempotency").on(t.restaurantId, t.idempotencyKey),
  index("payments_order").on(t.restaurantId, t.orderId),
  index("payments_drawer").on(t.restaurantId, t.drawerId),
  index("payments_provider_ref").on(t.restaurantId, t.providerRef),
  index("payments_provider_checkout").on(t.restaurantId, t.providerCheckoutId),
]);

export const paymentRefunds = pgTable("payment_refunds", {
  ...tenantColumns(),
  paymentId: uuid("payment_id").notNull(),
  orderId: uuid("order_id").notNull(),
  amountCents: integer("amount_cents").notNull(),
  reason: text("reason").notNull(),
  /** Cash refunds come out of the drawer open on the refunding device (null through the API). */
  drawerId: uuid("drawer_id"),
  byUser: uuid("by_user"),
  deviceId: uuid("device_id"),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId, t.paymentId], foreignColumns: [payments.restaurantId, payments.id] }),
  foreignKey({ columns: [t.restaurantId, t.drawerId], foreignColumns: [cashDrawers.restaurantId, cashDrawers.id] }),
  index("payment_refunds_drawer").on(t.restaurantId, t.drawerId),
  // drizzle/0012: reports read refunds by when they happened.
  index("payment_refunds_time").on(t.restaurantId, t.createdAt),
]);
