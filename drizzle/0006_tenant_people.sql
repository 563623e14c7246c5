-- The tenant role (ros_app) read every user of every restaurant, password hashes and TOTP secrets
-- included (issue 18.12). It now sees only the people who belong to the current restaurant, and only
-- the columns a screen shows; it never reads a password hash, TOTP secret, recovery code or PIN digest.
-- Identity code that needs them runs as the owner (withSystem); PIN checks at a station ask two
-- functions that compare inside the database and answer with an id or a yes/no.
ALTER TABLE memberships ADD COLUMN has_pin boolean NOT NULL GENERATED ALWAYS AS (pin_digest IS NOT NULL) STORED;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY owner_all ON users TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY tenant_members ON users FOR SELECT TO ros_app
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.restaurant_id = app_restaurant_id()));
--> statement-breakpoint
REVOKE SELECT ON users FROM ros_app;
--> statement-breakpoint
GRANT SELECT (id, email, name, totp_enabled, must_change_password, created_at) ON users TO ros_app;
--> statement-breakpoint
REVOKE SELECT ON memberships FROM ros_app;
--> statement-breakpoint
GRANT SELECT (restaurant_id, id, user_id, role, has_pin, pin_failures, pin_locked_until, active, invitation_pending, invited_name, invited_by, created_at, updated_at) ON memberships TO ros_app;
--> statement-breakpoint
-- SECURITY DEFINER: runs as the owner, confined to the caller's restaurant by app_restaurant_id().
-- Comparing peppered HMACs in SQL leaks nothing usable: without the pepper a digest cannot be aimed at.
CREATE FUNCTION membership_with_pin(digest text) RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id FROM memberships WHERE restaurant_id = app_restaurant_id() AND pin_digest = digest $$;
--> statement-breakpoint
CREATE FUNCTION membership_pin_matches(membership uuid, digest text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT coalesce((SELECT pin_digest = digest FROM memberships WHERE restaurant_id = app_restaurant_id() AND id = membership), false) $$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION membership_with_pin(text), membership_pin_matches(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION membership_with_pin(text), membership_pin_matches(uuid, text) TO ros_app;
