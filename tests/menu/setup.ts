import { sql } from "drizzle-orm";
import { openTestDatabase, type Driver, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { sessionCookieFor } from "../helpers/session";
import { seedDemo } from "../../src/restaurants/demo";
import { rowsOf } from "../../src/db/client";
import { withSystem, withTenant } from "../../src/db/tenant";
import { loadMenuAdmin, type MenuAdminData } from "../../src/menu/admin-read";

export type MenuWorld = Awaited<ReturnType<typeof menuWorld>>;

/**
 * Two demo restaurants ("home" with its staff, "other" with a whole menu of its own) and an app.
 * Cookies are real sessions of the seeded staff.
 */
export async function menuWorld(driver: Driver = "postgres") {
  const db: TestDatabase = await openTestDatabase(driver);
  const made = makeTestApp(db);
  const pepper = testConfig().pinPepper;
  const home = await seedDemo(db.db, pepper, "home");
  const other = await seedDemo(db.db, pepper, "other");
  const rid = home.restaurant.id;
  const cookie = async (restaurantId: string, role: string) => (await sessionCookieFor(db.db, restaurantId, role)).cookie;
  const world = {
    db, app: made.app, bus: made.bus, rid, otherId: other.restaurant.id, home, other,
    manager: await cookie(rid, "manager"),
    owner: await cookie(rid, "owner"),
    server: await cookie(rid, "server"),
    kitchen: await cookie(rid, "kitchen"),
    foreignManager: await cookie(other.restaurant.id, "manager"),
    /** The admin read model: what the database holds now. */
    data: (restaurantId = rid): Promise<MenuAdminData> => loadMenuAdmin(db.db, restaurantId),
    /** POSTs a form as a browser would (with htmx when hx is set). */
    post: (path: string, cookie: string, form: Record<string, string | string[]>, hx = false) =>
      made.app.handle(req(path, { method: "POST", headers: { cookie, ...(hx ? { "hx-request": "true" } : {}) }, form })),
    get: (path: string, cookie: string) => made.app.handle(req(path, { headers: { cookie } })),
    /** Every menu row of a restaurant, to prove a refused request changed nothing. */
    snapshot: async (restaurantId = rid) => JSON.stringify(await loadMenuAdmin(db.db, restaurantId)),
    eventCount: async (restaurantId = rid) =>
      Number(rowsOf<{ n: number }>(await withSystem(db.db, (tx) => tx.execute(sql`select count(*)::int as n from events where restaurant_id = ${restaurantId}`)))[0]!.n),
    tenant: <T>(restaurantId: string, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(db.db, restaurantId, fn),
    close: async () => {
      await made.close();
      await db.drop();
    },
  };
  return world;
}

/** Looks things up by name in the admin read model. */
export function byName(data: MenuAdminData) {
  const find = <T extends { name: string }>(rows: T[], name: string, what: string): T => {
    const row = rows.find((r) => r.name === name);
    if (!row) throw new Error(`no ${what} called ${name}`);
    return row;
  };
  return {
    category: (name: string) => find(data.categories, name, "category"),
    item: (name: string) => find(data.items, name, "item"),
    group: (name: string) => find(data.groups, name, "group"),
    option: (group: string, name: string) => find(data.options.filter((o) => o.groupId === find(data.groups, group, "group").id), name, "option"),
    tax: (name: string) => find(data.taxCategories, name, "tax category"),
    station: (slug: string) => data.stations.find((s) => s.slug === slug)!,
  };
}

/** A page's text with HTML entities decoded, for reading messages (never for checking escaping). */
export function readable(html: string): string {
  return html.replaceAll("&quot;", '"').replaceAll("&#34;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}
