ALTER TABLE "order_items" ADD COLUMN "added_after_send" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Until now every later round showed as ADD; keep that for the orders already stored.
UPDATE "order_items" SET "added_after_send" = true WHERE "fire_round" > 1;--> statement-breakpoint
ALTER TABLE "order_item_stations" ADD COLUMN "void_acked_at" timestamp with time zone;--> statement-breakpoint
-- Voids already on the books were never shown to a cook as VOID; do not raise them all now.
UPDATE "order_item_stations" s SET "void_acked_at" = now() FROM "order_items" i
  WHERE i."restaurant_id" = s."restaurant_id" AND i."id" = s."order_item_id" AND i."voided_at" IS NOT NULL;
