import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { payments } from "./payments";
import { devices } from "./stations";
import { restaurants } from "./tenancy";

/**
 * A restaurant's Square connection (one per restaurant). The access token and the webhook signature key
 * are stored sealed (src/auth/secrets.ts), like TOTP seeds: a database dump alone cannot charge cards.
 */
export const squareConnections = pgTable("square_connections", {
  restaurantId: uuid("restaurant_id").notNull(),
  environment: text("environment").$type<"sandbox" | "production">().notNull(),
  accessTokenSealed: text("access_token_sealed").notNull(),
  locationId: text("location_id").notNull(),
  signatureKeySealed: text("signature_key_sealed"),
  /** The URL exactly as it is registered in Square's webhook subscription: the signature covers it. */
  notificationUrl: text("notification_url"),
  /** Terminal pairing: the device code Square issued and, once paired, the Terminal's device id. */
  deviceCodeId: text("device_code_id"),
  deviceCode: text("device_code"),
  deviceId: text("device_id"),
  connectedBy: uuid("connected_by"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
]);

/** Every webhook event taken in, by Square's event_id: a duplicate or replay finds its row and does nothing. */
export const squareWebhookEvents = pgTable("square_webhook_events", {
  restaurantId: uuid("restaurant_id").notNull(),
  eventId: text("event_id").notNull(),
  type: text("type").notNull(),
  objectId: text("object_id"),
  data: jsonb("data"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.eventId] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  index("square_webhook_events_time").on(t.restaurantId, t.receivedAt),
]);

/**
 * A card refund asked of Square. It waits here (pending) until Square's final state is read back; only
 * a completed one becomes a payment_refunds row through the payments core, so a pending or failed
 * refund never counts in balances or reports.
 */
export const squareRefunds = pgTable("square_refunds", {
  restaurantId: uuid("restaurant_id").notNull(),
  id: uuid("id").notNull().defaultRandom(),
  paymentId: uuid("payment_id").notNull(),
  orderId: uuid("order_id").notNull(),
  amountCents: integer("amount_cents").notNull(),
  reason: text("reason").notNull(),
  status: text("status").$type<"pending" | "completed" | "failed">().notNull().default("pending"),
  squareRefundId: text("square_refund_id"),
  failureReason: text("failure_reason"),
  /** The payment_refunds row made when Square completed it. */
  refundId: uuid("refund_id"),
  byUser: uuid("by_user"),
  approvedBy: uuid("approved_by"),
  deviceId: uuid("device_id"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId, t.paymentId], foreignColumns: [payments.restaurantId, payments.id] }),
  index("square_refunds_payment").on(t.restaurantId, t.paymentId),
  index("square_refunds_square_id").on(t.restaurantId, t.squareRefundId),
]);

/**
 * A Square Terminal paired to one POS device (station): that POS charges on it. A POS without one
 * uses the restaurant's Terminal paired on the Square settings page.
 */
export const squareTerminals = pgTable("square_terminals", {
  restaurantId: uuid("restaurant_id").notNull(),
  posDeviceId: uuid("pos_device_id").notNull(),
  deviceCodeId: text("device_code_id"),
  deviceCode: text("device_code"),
  squareDeviceId: text("square_device_id"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.posDeviceId] }),
  foreignKey({ columns: [t.restaurantId, t.posDeviceId], foreignColumns: [devices.restaurantId, devices.id] }).onDelete("cascade"),
]);
