import { boolean, foreignKey, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantColumns } from "./columns";
import { restaurants } from "./tenancy";

/** A kitchen station: where items are cooked (grill, fry, bar, cold...). */
export const stations = pgTable("stations", {
  ...tenantColumns(),
  name: text("name").notNull(),
  slug: text("slug").notNull(),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  uniqueIndex("stations_slug").on(t.restaurantId, t.slug),
]);

export const deviceKindEnum = pgEnum("device_kind", ["pos", "kds", "expo", "board", "kiosk"]);

/** A browser a manager enrolled as a station screen; it holds a long-lived, revocable token. */
export const devices = pgTable("devices", {
  ...tenantColumns(),
  name: text("name").notNull(),
  kind: deviceKindEnum("kind").notNull(),
  stationId: uuid("station_id"),
  tokenHash: text("token_hash").notNull().unique(),
  /** Kitchen and expo screens may run without a PIN (view and bump only). */
  pinless: boolean("pinless").notNull().default(false),
  enrolledBy: uuid("enrolled_by"),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  foreignKey({ columns: [t.restaurantId, t.stationId], foreignColumns: [stations.restaurantId, stations.id] }),
]);
