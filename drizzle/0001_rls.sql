-- Row-level security: the second wall behind the application's tenant filters (DESIGN.md).
-- Tenant statements run as ros_app, which owns nothing; policies compare restaurant_id with the
-- transaction-local setting app.restaurant_id, and FORCE makes them apply to the owner too.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ros_app') THEN CREATE ROLE ros_app NOLOGIN; END IF;
END $$;
--> statement-breakpoint
GRANT ros_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO ros_app;
--> statement-breakpoint
-- Users are people, not tenant rows; tenant code may read names through memberships but never writes them.
GRANT SELECT ON users TO ros_app;
--> statement-breakpoint
CREATE FUNCTION app_restaurant_id() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.restaurant_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_restaurant_id() TO ros_app;
--> statement-breakpoint
ALTER TABLE restaurants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE restaurants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, UPDATE ON restaurants TO ros_app;
--> statement-breakpoint
-- The owner (migrations, CLI, sign-in resolution) sees every row; ros_app only its own restaurant.
CREATE POLICY owner_all ON restaurants TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY tenant ON restaurants TO ros_app USING (id = app_restaurant_id()) WITH CHECK (id = app_restaurant_id());
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships','api_keys','audit_log','stations','devices','tax_categories',
    'menu_categories','menu_items','modifier_groups','modifier_options','item_modifier_groups','item_stations',
    'orders','order_items','order_item_stations','payments','events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO ros_app', t);
    EXECUTE format('CREATE POLICY owner_all ON %I TO %I USING (true) WITH CHECK (true)', t, current_user);
    EXECUTE format('CREATE POLICY tenant ON %I TO ros_app USING (restaurant_id = app_restaurant_id()) WITH CHECK (restaurant_id = app_restaurant_id())', t);
  END LOOP;
END $$;
