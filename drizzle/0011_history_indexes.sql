CREATE INDEX IF NOT EXISTS "order_item_stations_order" ON "order_item_stations" USING btree ("restaurant_id","order_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "order_item_stations_bumped" ON "order_item_stations" USING btree ("restaurant_id","station_id","bumped_at") WHERE status = 'ready';
