-- Guests order for themselves (issue 13): kiosks are station devices of kind 'kiosk'; each table has a
-- rotatable QR token; guest checkouts (a kiosk order, a table round) and the restaurant's guest rules.
ALTER TYPE "device_kind" ADD VALUE IF NOT EXISTS 'kiosk';
--> statement-breakpoint
CREATE TABLE "guest_tables" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"label" text NOT NULL,
	"token" text NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"rotated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_tables_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "guest_tables_restaurant_fk" FOREIGN KEY ("restaurant_id") REFERENCES "public"."restaurants"("id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "guest_tables_token" ON "guest_tables" USING btree ("token");
--> statement-breakpoint
CREATE UNIQUE INDEX "guest_tables_label" ON "guest_tables" USING btree ("restaurant_id","label");
--> statement-breakpoint
CREATE TABLE "guest_settings" (
	"restaurant_id" uuid PRIMARY KEY NOT NULL REFERENCES "public"."restaurants"("id"),
	"fire_before_payment" boolean DEFAULT false NOT NULL,
	"confirm_table_rounds" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "guest_orders" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"source" text NOT NULL,
	"device_id" uuid,
	"table_id" uuid,
	"name" text,
	"state" text NOT NULL,
	"payment" text NOT NULL,
	"line_ids" text[] DEFAULT '{}' NOT NULL,
	"line_count" integer DEFAULT 0 NOT NULL,
	"token" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_orders_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "guest_orders_restaurant_fk" FOREIGN KEY ("restaurant_id") REFERENCES "public"."restaurants"("id"),
	CONSTRAINT "guest_orders_order_fk" FOREIGN KEY ("restaurant_id","order_id") REFERENCES "public"."orders"("restaurant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "guest_orders_token" ON "guest_orders" USING btree ("token");
--> statement-breakpoint
CREATE UNIQUE INDEX "guest_orders_idempotency" ON "guest_orders" USING btree ("restaurant_id","idempotency_key");
--> statement-breakpoint
CREATE INDEX "guest_orders_state" ON "guest_orders" USING btree ("restaurant_id","state");
--> statement-breakpoint
CREATE INDEX "guest_orders_order" ON "guest_orders" USING btree ("restaurant_id","order_id");
--> statement-breakpoint
-- Row-level security as drizzle/0001_rls.sql: the second wall behind the queries' own filters.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['guest_tables','guest_settings','guest_orders'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO ros_app', t);
    EXECUTE format('CREATE POLICY owner_all ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    EXECUTE format('CREATE POLICY tenant ON %I TO ros_app USING (restaurant_id = app_restaurant_id()) WITH CHECK (restaurant_id = app_restaurant_id())', t);
  END LOOP;
END $$;
