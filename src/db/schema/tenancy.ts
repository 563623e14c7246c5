import { sql } from "drizzle-orm";
import {
  bigint, boolean, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantColumns, updatedAt } from "./columns";

export const roleEnum = pgEnum("role", ["owner", "manager", "server", "cashier", "kitchen", "expo"]);

export const restaurants = pgTable("restaurants", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull().default("UTC"),
  currency: text("currency").notNull().default("USD"),
  /** Default tax rate in basis points (825 = 8.25%). */
  taxRateBps: integer("tax_rate_bps").notNull().default(0),
  /** true: menu prices already include tax; false: tax is added on top. */
  taxInclusive: boolean("tax_inclusive").notNull().default(false),
  /** Last event sequence number handed out; bumped with a row lock so seq is gap-free per restaurant. */
  eventSeq: bigint("event_seq", { mode: "number" }).notNull().default(0),
  /** Ticket age colour thresholds in minutes (warn, late, critical). */
  ageThresholds: jsonb("age_thresholds").$type<[number, number, number]>().notNull().default(sql`'[8,12,16]'::jsonb`),
  /** Hour (0-23, local time) at which a business day starts; order numbers restart then. */
  dayStartsAtHour: integer("day_starts_at_hour").notNull().default(4),
  /** Tip buttons on the pay screen, in basis points of the pre-tax subtotal (1800 = 18%). */
  tipPresetsBps: jsonb("tip_presets_bps").$type<number[]>().notNull().default(sql`'[1500,1800,2000]'::jsonb`),
  /** The largest tip accepted, in basis points of the check's pre-tax subtotal: a typo guard (10000 = 100%). */
  tipCapBps: integer("tip_cap_bps").notNull().default(10000),
  createdAt: createdAt(),
});

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Null for staff who only ever use a PIN on a station. */
  email: text("email"),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  totpSecret: text("totp_secret"),
  totpEnabled: boolean("totp_enabled").notNull().default(false),
  /** Peppered HMACs of the unused one-time recovery codes. */
  recoveryCodes: jsonb("recovery_codes").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** The last 30-second TOTP step a code was accepted for: each code works once. */
  totpLastStep: integer("totp_last_step"),
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("users_email_lower").on(sql`lower(${t.email})`)]);

export const memberships = pgTable("memberships", {
  ...tenantColumns(),
  userId: uuid("user_id").notNull().references(() => users.id),
  role: roleEnum("role").notNull(),
  /** HMAC-SHA256(pepper, restaurant_id:pin): deterministic so a PIN is unique per restaurant and found in one lookup. */
  pinDigest: text("pin_digest"),
  /** Derived, so tenant code can tell who has a PIN without reading digests it may not see (0006). */
  hasPin: boolean("has_pin").notNull().generatedAlwaysAs(sql`pin_digest is not null`),
  pinFailures: integer("pin_failures").notNull().default(0),
  pinLockedUntil: timestamp("pin_locked_until", { withTimezone: true }),
  active: boolean("active").notNull().default(true),
  /**
   * An invitation to an account that already existed: it grants nothing (active is false) until that
   * person accepts at their next sign-in. invitedName is what the inviting manager typed, shown here
   * instead of the account's own name, which this restaurant has no right to learn before then.
   */
  invitationPending: boolean("invitation_pending").notNull().default(false),
  invitedName: text("invited_name"),
  invitedBy: uuid("invited_by"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  uniqueIndex("memberships_user").on(t.restaurantId, t.userId),
  uniqueIndex("memberships_pin").on(t.restaurantId, t.pinDigest),
]);

/** Server-side session rows: the signed cookie only names one, so revoking is immediate. */
export const sessions = pgTable("sessions", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id),
  restaurantId: uuid("restaurant_id").references(() => restaurants.id),
  /** Set for a staff member signed on at a station device with a PIN. */
  deviceId: uuid("device_id"),
  kind: text("kind").$type<"password" | "pin">().notNull().default("password"),
  tokenHash: text("token_hash").notNull().unique(),
  totpPending: boolean("totp_pending").notNull().default(false),
  userAgent: text("user_agent"),
  ip: text("ip"),
  createdAt: createdAt(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [index("sessions_user").on(t.userId)]);

export const apiKeys = pgTable("api_keys", {
  ...tenantColumns(),
  name: text("name").notNull(),
  /** First characters of the key, shown in admin so a key can be recognised without storing it. */
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  /** Who made it in admin; null for the CLI and the restaurant's first key. */
  createdBy: uuid("created_by"),
  /** Touched at most once a minute by requests carrying the key. */
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  createdAt: createdAt(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
]);

export const auditLog = pgTable("audit_log", {
  ...tenantColumns(),
  actorUserId: uuid("actor_user_id"),
  deviceId: uuid("device_id"),
  action: text("action").notNull(),
  data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  ip: text("ip"),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
  index("audit_log_time").on(t.restaurantId, t.createdAt),
]);
