-- Checks and payments (issue 11). The payments table of 0000 was never written to; it is replaced by
-- one whose status is the payment state machine's, with tender, tip, change, drawer and refunds.
DROP TABLE "payments";
--> statement-breakpoint
DROP TYPE "payment_status";
--> statement-breakpoint
CREATE TYPE "payment_state" AS ENUM('pending', 'completed', 'failed', 'voided', 'refunded', 'partly_refunded');
--> statement-breakpoint
CREATE TYPE "drawer_status" AS ENUM('open', 'closed');
--> statement-breakpoint
CREATE TYPE "drawer_movement" AS ENUM('pay_in', 'pay_out', 'no_sale');
--> statement-breakpoint
ALTER TABLE "restaurants" ADD COLUMN "tip_presets_bps" jsonb DEFAULT '[1500,1800,2000]'::jsonb NOT NULL;
--> statement-breakpoint
ALTER TABLE "restaurants" ADD COLUMN "tip_cap_bps" integer DEFAULT 10000 NOT NULL;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "unpaid_reason" text;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "unpaid_by" uuid;
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "reopened_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "comped_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "comp_reason" text;
--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "comped_by" uuid;
--> statement-breakpoint
CREATE TABLE "order_checks" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_checks_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "order_checks_order_fk" FOREIGN KEY ("restaurant_id","order_id") REFERENCES "public"."orders"("restaurant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "order_checks_number" ON "order_checks" USING btree ("restaurant_id","order_id","number");
--> statement-breakpoint
CREATE TABLE "order_check_lines" (
	"restaurant_id" uuid NOT NULL,
	"check_id" uuid NOT NULL,
	"order_item_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"weight" integer NOT NULL,
	CONSTRAINT "order_check_lines_pk" PRIMARY KEY("restaurant_id","check_id","order_item_id"),
	CONSTRAINT "order_check_lines_check_fk" FOREIGN KEY ("restaurant_id","check_id") REFERENCES "public"."order_checks"("restaurant_id","id") ON DELETE cascade,
	CONSTRAINT "order_check_lines_item_fk" FOREIGN KEY ("restaurant_id","order_item_id") REFERENCES "public"."order_items"("restaurant_id","id"),
	CONSTRAINT "order_check_lines_weight" CHECK ("weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "cash_drawers" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"status" "drawer_status" DEFAULT 'open' NOT NULL,
	"float_cents" integer NOT NULL,
	"opened_by" uuid,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"counted_cents" integer,
	"counted_denominations" jsonb,
	"expected_cents" integer,
	"over_short_cents" integer,
	"close_note" text,
	CONSTRAINT "cash_drawers_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "cash_drawers_restaurant_fk" FOREIGN KEY ("restaurant_id") REFERENCES "public"."restaurants"("id"),
	CONSTRAINT "cash_drawers_device_fk" FOREIGN KEY ("restaurant_id","device_id") REFERENCES "public"."devices"("restaurant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cash_drawers_one_open" ON "cash_drawers" USING btree ("restaurant_id","device_id") WHERE status = 'open';
--> statement-breakpoint
CREATE INDEX "cash_drawers_time" ON "cash_drawers" USING btree ("restaurant_id","opened_at");
--> statement-breakpoint
CREATE TABLE "drawer_movements" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"drawer_id" uuid NOT NULL,
	"kind" "drawer_movement" NOT NULL,
	"amount_cents" integer NOT NULL,
	"reason" text,
	"by_user" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drawer_movements_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "drawer_movements_drawer_fk" FOREIGN KEY ("restaurant_id","drawer_id") REFERENCES "public"."cash_drawers"("restaurant_id","id")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"check_id" uuid,
	"tender" text NOT NULL,
	"status" "payment_state" DEFAULT 'pending' NOT NULL,
	"amount_cents" integer NOT NULL,
	"tip_cents" integer DEFAULT 0 NOT NULL,
	"tendered_cents" integer,
	"change_cents" integer DEFAULT 0 NOT NULL,
	"refunded_cents" integer DEFAULT 0 NOT NULL,
	"server_user_id" uuid,
	"taken_by" uuid,
	"device_id" uuid,
	"drawer_id" uuid,
	"provider" text,
	"provider_ref" text,
	"failure_reason" text,
	"idempotency_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "payments_order_fk" FOREIGN KEY ("restaurant_id","order_id") REFERENCES "public"."orders"("restaurant_id","id"),
	CONSTRAINT "payments_check_fk" FOREIGN KEY ("restaurant_id","check_id") REFERENCES "public"."order_checks"("restaurant_id","id"),
	CONSTRAINT "payments_drawer_fk" FOREIGN KEY ("restaurant_id","drawer_id") REFERENCES "public"."cash_drawers"("restaurant_id","id"),
	-- The last wall behind the service's checks: money columns can never go negative or refund past the take.
	CONSTRAINT "payments_amounts" CHECK ("amount_cents" > 0 AND "tip_cents" >= 0 AND "change_cents" >= 0 AND "refunded_cents" >= 0 AND "refunded_cents" <= "amount_cents" + "tip_cents")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "payments_idempotency" ON "payments" USING btree ("restaurant_id","idempotency_key");
--> statement-breakpoint
CREATE INDEX "payments_order" ON "payments" USING btree ("restaurant_id","order_id");
--> statement-breakpoint
CREATE INDEX "payments_drawer" ON "payments" USING btree ("restaurant_id","drawer_id");
--> statement-breakpoint
CREATE TABLE "payment_refunds" (
	"restaurant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"reason" text NOT NULL,
	"drawer_id" uuid,
	"by_user" uuid,
	"device_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_refunds_restaurant_id_id_pk" PRIMARY KEY("restaurant_id","id"),
	CONSTRAINT "payment_refunds_payment_fk" FOREIGN KEY ("restaurant_id","payment_id") REFERENCES "public"."payments"("restaurant_id","id"),
	CONSTRAINT "payment_refunds_drawer_fk" FOREIGN KEY ("restaurant_id","drawer_id") REFERENCES "public"."cash_drawers"("restaurant_id","id"),
	CONSTRAINT "payment_refunds_amount" CHECK ("amount_cents" > 0)
);
--> statement-breakpoint
CREATE INDEX "payment_refunds_drawer" ON "payment_refunds" USING btree ("restaurant_id","drawer_id");
--> statement-breakpoint
-- Row-level security for every new tenant table, as 0001_rls.sql does.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['order_checks','order_check_lines','cash_drawers','drawer_movements','payments','payment_refunds'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO ros_app', t);
    EXECUTE format('CREATE POLICY owner_all ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    EXECUTE format('CREATE POLICY tenant ON %I TO ros_app USING (restaurant_id = app_restaurant_id()) WITH CHECK (restaurant_id = app_restaurant_id())', t);
  END LOOP;
END $$;
