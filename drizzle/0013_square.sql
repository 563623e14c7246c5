-- Square card payments (issue 12): the per-restaurant connection (secrets sealed), webhook events deduped
-- on event_id, card refunds waiting on Square, and the card fields of a payment.
CREATE TABLE "square_connections" (
	"restaurant_id" uuid NOT NULL,
	"environment" text NOT NULL,
	"access_token_sealed" text NOT NULL,
	"location_id" text NOT NULL,
	"signature_key_sealed" text,
	"notification_url" text,
	"device_code_id" text,
	"device_code" text,
	"device_id" text,
	"connected_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "square_connections_restaurant_id_pk" PRIMARY KEY("restaurant_id"),
	CONSTRAINT "square_connections_environment_check" CHECK ("environment" IN ('sandbox', 'production'))
);
--> statement-breakpoint
ALTER TABLE "square_connections" ADD CONSTRAINT "square_connections_restaurant_id_restaurants_id_fk" FOREIGN KEY ("restaurant_id") REFERENCES "public"."restaurants"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "square_webhook_events" (
	"restaurant_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"data" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "square_webhook_events_restaurant_id_event_id_pk" PRIMARY KEY("restaurant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "square_webhook_events" ADD CONSTRAINT "square_webhook_events_restaurant_id_restaurants_id_fk" FOREIGN KEY ("restaurant_id") REFERENCES "public"."restaurants"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "square_webhook_events_time" ON "square_webhook_events" USING btree ("restaurant_id","received_at");
--> statement-breakpoint
CREATE TABLE "square_refunds" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"square_refund_id" text,
	"failure_reason" text,
	"refund_id" uuid,
	"by_user" uuid,
	"approved_by" uuid,
	"device_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "square_refunds_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "square_refunds_status_check" CHECK ("status" IN ('pending', 'completed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "square_refunds" ADD CONSTRAINT "square_refunds_payment_fk" FOREIGN KEY ("restaurant_id","payment_id") REFERENCES "public"."payments"("restaurant_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "square_refunds_payment" ON "square_refunds" USING btree ("restaurant_id","payment_id");
--> statement-breakpoint
CREATE INDEX "square_refunds_square_id" ON "square_refunds" USING btree ("restaurant_id","square_refund_id");
--> statement-breakpoint
CREATE TABLE "square_terminals" (
	"restaurant_id" uuid NOT NULL,
	"pos_device_id" uuid NOT NULL,
	"device_code_id" text,
	"device_code" text,
	"square_device_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "square_terminals_restaurant_id_pos_device_id_pk" PRIMARY KEY("restaurant_id","pos_device_id")
);
--> statement-breakpoint
ALTER TABLE "square_terminals" ADD CONSTRAINT "square_terminals_pos_device_fk" FOREIGN KEY ("restaurant_id","pos_device_id") REFERENCES "public"."devices"("restaurant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "provider_checkout_id" text;
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "provider_status" text;
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_brand" text;
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "card_last4" text;
--> statement-breakpoint
CREATE INDEX "payments_provider_ref" ON "payments" USING btree ("restaurant_id","provider_ref");
--> statement-breakpoint
CREATE INDEX "payments_provider_checkout" ON "payments" USING btree ("restaurant_id","provider_checkout_id");
--> statement-breakpoint
-- Row-level security for every new tenant table, as 0001_rls.sql does.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['square_connections','square_webhook_events','square_refunds','square_terminals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO ros_app', t);
    EXECUTE format('CREATE POLICY owner_all ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    EXECUTE format('CREATE POLICY tenant ON %I TO ros_app USING (restaurant_id = app_restaurant_id()) WITH CHECK (restaurant_id = app_restaurant_id())', t);
  END LOOP;
END $$;
