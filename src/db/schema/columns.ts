import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Every tenant table starts with these two columns; (restaurant_id, id) is the primary key. */
export const tenantColumns = () => ({
  restaurantId: uuid("restaurant_id").notNull(),
  id: uuid("id").notNull().defaultRandom(),
});

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
