import { boolean, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt, tenantColumns, updatedAt } from "./columns";
import { restaurants } from "./tenancy";
import { stations } from "./stations";

const tenantPk = (t: { restaurantId: any; id: any }) => [
  primaryKey({ columns: [t.restaurantId, t.id] }),
  foreignKey({ columns: [t.restaurantId], foreignColumns: [restaurants.id] }),
];

export const taxCategories = pgTable("tax_categories", {
  ...tenantColumns(),
  name: text("name").notNull(),
  rateBps: integer("rate_bps").notNull(),
}, (t) => [...tenantPk(t), uniqueIndex("tax_categories_name").on(t.restaurantId, t.name)]);

export const menuCategories = pgTable("menu_categories", {
  ...tenantColumns(),
  name: text("name").notNull(),
  position: integer("position").notNull().default(0),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
}, (t) => [...tenantPk(t), uniqueIndex("menu_categories_name").on(t.restaurantId, sql`lower(${t.name})`)]);

export const menuItems = pgTable("menu_items", {
  ...tenantColumns(),
  categoryId: uuid("category_id").notNull(),
  name: text("name").notNull(),
  kitchenName: text("kitchen_name"),
  description: text("description").notNull().default(""),
  priceCents: integer("price_cents").notNull(),
  taxCategoryId: uuid("tax_category_id"),
  position: integer("position").notNull().default(0),
  active: boolean("active").notNull().default(true),
  /** false = 86'd: sold out for now. */
  available: boolean("available").notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  ...tenantPk(t),
  foreignKey({ columns: [t.restaurantId, t.categoryId], foreignColumns: [menuCategories.restaurantId, menuCategories.id] }),
  foreignKey({ columns: [t.restaurantId, t.taxCategoryId], foreignColumns: [taxCategories.restaurantId, taxCategories.id] }),
  uniqueIndex("menu_items_name").on(t.restaurantId, t.categoryId, sql`lower(${t.name})`),
]);

export const modifierGroups = pgTable("modifier_groups", {
  ...tenantColumns(),
  name: text("name").notNull(),
  required: boolean("required").notNull().default(false),
  minSelect: integer("min_select").notNull().default(0),
  maxSelect: integer("max_select").notNull().default(1),
  createdAt: createdAt(),
}, (t) => [...tenantPk(t)]);

export const modifierOptions = pgTable("modifier_options", {
  ...tenantColumns(),
  groupId: uuid("group_id").notNull(),
  name: text("name").notNull(),
  priceDeltaCents: integer("price_delta_cents").notNull().default(0),
  isDefault: boolean("is_default").notNull().default(false),
  available: boolean("available").notNull().default(true),
  /** An option may send its own line to a station (e.g. "side of fries" to fry). */
  stationId: uuid("station_id"),
  position: integer("position").notNull().default(0),
}, (t) => [
  ...tenantPk(t),
  foreignKey({ columns: [t.restaurantId, t.groupId], foreignColumns: [modifierGroups.restaurantId, modifierGroups.id] }).onDelete("cascade"),
  foreignKey({ columns: [t.restaurantId, t.stationId], foreignColumns: [stations.restaurantId, stations.id] }),
]);

export const itemModifierGroups = pgTable("item_modifier_groups", {
  restaurantId: uuid("restaurant_id").notNull(),
  itemId: uuid("item_id").notNull(),
  groupId: uuid("group_id").notNull(),
  position: integer("position").notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.itemId, t.groupId] }),
  foreignKey({ columns: [t.restaurantId, t.itemId], foreignColumns: [menuItems.restaurantId, menuItems.id] }).onDelete("cascade"),
  foreignKey({ columns: [t.restaurantId, t.groupId], foreignColumns: [modifierGroups.restaurantId, modifierGroups.id] }).onDelete("cascade"),
]);

export const itemStations = pgTable("item_stations", {
  restaurantId: uuid("restaurant_id").notNull(),
  itemId: uuid("item_id").notNull(),
  stationId: uuid("station_id").notNull(),
}, (t) => [
  primaryKey({ columns: [t.restaurantId, t.itemId, t.stationId] }),
  foreignKey({ columns: [t.restaurantId, t.itemId], foreignColumns: [menuItems.restaurantId, menuItems.id] }).onDelete("cascade"),
  foreignKey({ columns: [t.restaurantId, t.stationId], foreignColumns: [stations.restaurantId, stations.id] }),
  index("item_stations_station").on(t.restaurantId, t.stationId),
]);
