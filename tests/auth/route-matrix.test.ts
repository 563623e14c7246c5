import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { DEVICE_COOKIE, makeDevice, makeRestaurant, makeStaff, SESSION_COOKIE, signCookieToken } from "../helpers/auth";
import { allows, ROLES, type Actor, type Permission } from "../../src/auth/permissions";
import { startSession } from "../../src/auth/service";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

/**
 * Every identity route against every kind of caller. "Allowed" means the route's stated need let the
 * caller through to the handler (which may still refuse bad input); "denied" means the need refused it.
 */

type Ids = { memberId: string; stationId: string; deviceId: () => Promise<string>; orderId: string; keyId?: string };
type Route = { method: "GET" | "POST"; path: (ids: Ids) => string | Promise<string>; need: Permission; form?: Record<string, string>; onlyFor?: Actor[] };

const ROUTES: Route[] = [
  { method: "GET", path: () => "/", need: "public" },
  { method: "GET", path: () => "/sign-in", need: "public" },
  { method: "POST", path: () => "/sign-in", need: "public", form: { email: "not-an-email", password: "x" } },
  { method: "GET", path: () => "/sign-in/totp", need: "public" },
  { method: "POST", path: () => "/sign-in/totp", need: "public", form: { code: "1" } },
  { method: "GET", path: () => "/choose-restaurant", need: "public" },
  { method: "POST", path: () => "/choose-restaurant", need: "public", form: { restaurantId: "00000000-0000-4000-8000-000000000000" } },
  { method: "POST", path: () => "/sign-out", need: "public" },
  { method: "POST", path: () => "/sign-out-everywhere", need: "staff.self" },
  { method: "GET", path: () => "/account/password", need: "staff.self" },
  { method: "POST", path: () => "/account/password", need: "staff.self", form: { current: "", next: "", confirm: "" } },
  { method: "GET", path: () => "/account/security", need: "staff.self" },
  { method: "POST", path: () => "/account/totp/setup", need: "staff.self" },
  { method: "POST", path: () => "/account/totp/enable", need: "staff.self", form: { code: "" } },
  { method: "POST", path: () => "/account/totp/recovery-codes", need: "staff.self", form: { code: "" } },
  { method: "POST", path: () => "/account/totp/disable", need: "staff.self", form: { code: "" } },
  { method: "GET", path: () => "/station", need: "public" },
  { method: "POST", path: () => "/station/pin", need: "public", form: { pin: "12" } },
  { method: "POST", path: () => "/station/sign-off", need: "public" },
  { method: "GET", path: () => "/admin/staff", need: "staff.manage" },
  { method: "GET", path: () => "/admin/staff/new", need: "staff.manage" },
  { method: "POST", path: () => "/admin/staff", need: "staff.manage", form: { name: "", email: "", role: "server", pin: "", password: "" } },
  { method: "GET", path: (i) => `/admin/staff/${i.memberId}`, need: "staff.manage" },
  { method: "POST", path: (i) => `/admin/staff/${i.memberId}/role`, need: "staff.manage", form: { role: "nope" } },
  { method: "POST", path: (i) => `/admin/staff/${i.memberId}/active`, need: "staff.manage", form: { active: "true" } },
  { method: "POST", path: (i) => `/admin/staff/${i.memberId}/pin`, need: "staff.manage", form: { pin: "1" } },
  { method: "POST", path: (i) => `/admin/staff/${i.memberId}/unlock`, need: "staff.manage" },
  { method: "POST", path: (i) => `/admin/staff/${i.memberId}/password`, need: "staff.manage", form: { password: "x" } },
  { method: "GET", path: () => "/admin/stations", need: "devices.manage" },
  { method: "POST", path: () => "/admin/stations", need: "devices.manage", form: { name: "" } },
  { method: "POST", path: (i) => `/admin/stations/${i.stationId}/active`, need: "devices.manage", form: { active: "true" } },
  { method: "POST", path: () => "/admin/devices", need: "devices.manage", form: { name: "", kind: "pos" } },
  { method: "POST", path: async (i) => `/admin/devices/${await i.deviceId()}/revoke`, need: "devices.manage" },
  { method: "POST", path: async (i) => `/admin/devices/${await i.deviceId()}/unlock`, need: "devices.manage" },
  { method: "GET", path: () => "/admin/api-keys", need: "apikeys.manage" },
  { method: "POST", path: () => "/admin/api-keys", need: "apikeys.manage", form: { name: "" } },
  // One key for every caller: the first allowed one revokes it, the rest are told it is already revoked (409).
  { method: "POST", path: (i) => `/admin/api-keys/${i.keyId ?? "*"}/revoke`, need: "apikeys.manage" },
  { method: "POST", path: (i) => `/admin/api-keys/${i.keyId ?? "*"}/rotate`, need: "apikeys.manage" },
  { method: "GET", path: () => "/admin/audit", need: "audit.view" },
  // Payments (src/payments/): a draft order of this restaurant; payments, lines and drawers by an id nobody has.
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/payments`, need: "payments.take" },
  { method: "GET", path: (i) => `/api/v1/orders/${i.orderId}/payments`, need: "orders.view" },
  { method: "POST", path: () => `/api/v1/payments/${NO_ROW}/refunds`, need: "payments.refund" },
  { method: "POST", path: () => `/api/v1/payments/${NO_ROW}/void`, need: "payments.refund" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/split`, need: "payments.take" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/split/share`, need: "payments.take" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/unsplit`, need: "payments.take" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/items/${NO_ROW}/comp`, need: "payments.comp" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/unpaid`, need: "payments.leave_unpaid" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/reopen`, need: "payments.reopen" },
  { method: "POST", path: (i) => `/api/v1/orders/${i.orderId}/complete`, need: "orders.transition" },
  { method: "GET", path: () => "/api/v1/drawer", need: "drawers.operate" },
  { method: "POST", path: () => "/api/v1/drawers", need: "drawers.operate", form: { floatCents: "x" } },
  { method: "POST", path: () => "/api/v1/drawer/movements", need: "drawers.operate", form: { kind: "x" } },
  { method: "POST", path: () => `/api/v1/drawers/${NO_ROW}/close`, need: "drawers.operate" },
  { method: "GET", path: () => "/api/v1/drawers", need: "drawers.review" },
  { method: "GET", path: () => `/api/v1/drawers/${NO_ROW}`, need: "drawers.review" },
  { method: "GET", path: (i) => `/pos/orders/${i.orderId}/pay`, need: "payments.take" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/pay`, need: "payments.take", form: { amount: "x" } },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/split`, need: "payments.take", form: { kind: "x" } },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/split/share`, need: "payments.take" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/unsplit`, need: "payments.take" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/lines/${NO_ROW}/comp`, need: "orders.create" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/unpaid`, need: "payments.leave_unpaid" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/reopen`, need: "payments.take" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/complete`, need: "orders.transition" },
  { method: "GET", path: (i) => `/pos/orders/${i.orderId}/receipt`, need: "payments.take" },
  { method: "POST", path: () => `/pos/payments/${NO_ROW}/refund`, need: "payments.take" },
  { method: "GET", path: () => "/pos/history", need: "payments.take" },
  { method: "GET", path: (i) => `/pos/history/${i.orderId}`, need: "payments.take" },
  { method: "GET", path: () => "/pos/drawer", need: "drawers.operate" },
  { method: "POST", path: () => "/pos/drawer/open", need: "drawers.operate", form: { float: "x" } },
  { method: "POST", path: () => "/pos/drawer/movements", need: "drawers.operate", form: { kind: "x" } },
  { method: "POST", path: () => `/pos/drawer/${NO_ROW}/close`, need: "drawers.operate" },
  { method: "GET", path: () => `/pos/drawer/${NO_ROW}`, need: "drawers.operate" },
  { method: "GET", path: () => "/pos/drawers", need: "drawers.review" },
  { method: "GET", path: () => "/admin/reports", need: "reports.view" },
  { method: "GET", path: () => "/admin/reports/items", need: "reports.view" },
  { method: "GET", path: () => "/admin/reports/kitchen", need: "reports.view" },
  { method: "GET", path: () => "/admin/reports/staff", need: "reports.view" },
  { method: "GET", path: () => "/admin/reports/end-of-day", need: "reports.view" },
  { method: "GET", path: () => "/admin/reports/:kind/csv", need: "reports.view" },
  // Screens in a rush (issue 9): POS quick actions, the kitchen's 86 list, the expo's live recall list.
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/lines/${NO_ROW}/repeat`, need: "orders.create" },
  { method: "POST", path: (i) => `/pos/orders/${i.orderId}/discount-request`, need: "orders.create", form: { value: "x" } },
  { method: "GET", path: (i) => `/kds/${i.stationId}/eighty-six`, need: "menu.availability" },
  { method: "GET", path: () => "/expo/recall-list", need: "expo.view" },
];

/** Prefixes of the routes this feature owns: every one of them must be in the table above. */
const OWNED = [/^\/$/, /^\/sign-/, /^\/choose-restaurant/, /^\/account\//, /^\/station/, /^\/admin\/(staff|stations|devices|audit|api-keys|reports)/,
  /^\/api\/v1\/orders\/:id\/(payments|split|unsplit|items|unpaid|reopen|complete)/, /^\/api\/v1\/(payments|drawers?)(\/|$)/,
  /^\/pos\/orders\/:id\/(pay(?!\/stream)|split|unsplit|lines\/:lineId\/comp|unpaid|reopen|complete|receipt)/, /^\/pos\/(payments|history|drawers?)(\/|$)/,
  /^\/pos\/orders\/:id\/(lines\/:lineId\/repeat|discount-request)/, /^\/kds\/:stationId\/eighty-six/, /^\/expo\/recall-list/];
/** An id no row has: the route must answer 404 (or refuse) for it, never 500. */
const NO_ROW = "00000000-0000-4000-8000-00000000abcd";

type Caller = { name: string; actor: Actor | null; outsider?: boolean; cookie: () => Promise<string> };

describe("every identity route against every caller", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;
  let ids: Ids;
  const callers: Caller[] = [];

  const sessionCookie = async (userId: string, restaurantId: string, extra: { kind?: "pin"; deviceId?: string } = {}) => {
    const { token } = await startSession(db.db, { userId, restaurantId, kind: extra.kind ?? "password", deviceId: extra.deviceId });
    return `${SESSION_COOKIE}=${await signCookieToken(token)}`;
  };

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "matrix")).id;
    const b = (await makeRestaurant(db.db, "matrix-b")).id;
    const staff = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await makeStaff(db.db, rid, role)] as const)));
    const [station] = await withSystem(db.db, (tx) => tx.execute(sql`insert into stations (restaurant_id, name, slug) values (${rid}, 'Grill', 'grill') returning id`)).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { id: string }[]);
    ids = {
      memberId: staff.server!.membership.id,
      stationId: station!.id,
      deviceId: async () => (await makeDevice(db.db, rid, "pos")).device.id,
      keyId: rowsOf<{ id: string }>(await withSystem(db.db, (tx) => tx.execute(sql`select id from api_keys where restaurant_id = ${rid}`)))[0]!.id,
      orderId: (await withSystem(db.db, (tx) => tx.execute(sql`insert into orders (restaurant_id, number, business_date, type) values (${rid}, 1, current_date, 'dine_in') returning id`))
        .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { id: string }[]))[0]!.id,
    };
    const pos = await makeDevice(db.db, rid, "pos");
    const kds = await makeDevice(db.db, rid, "kds", { pinless: true });
    const revoked = await makeDevice(db.db, rid, "kds", { pinless: true });
    await withSystem(db.db, (tx) => tx.execute(sql`update devices set revoked_at = now() where id = ${revoked.device.id}`));
    const otherManager = await makeStaff(db.db, b, "manager");
    const otherDevice = await makeDevice(db.db, b, "kds", { pinless: true });

    callers.push({ name: "nobody", actor: null, cookie: async () => "" });
    for (const role of ROLES) callers.push({ name: role, actor: role, cookie: () => sessionCookie(staff[role]!.user.id, rid) });
    callers.push({ name: "server signed on by PIN at a POS", actor: "server", cookie: async () => `${await sessionCookie(staff.server!.user.id, rid, { kind: "pin", deviceId: pos.device.id })}; ${pos.cookie}` });
    callers.push({ name: "a PIN session without its device", actor: null, cookie: () => sessionCookie(staff.server!.user.id, rid, { kind: "pin", deviceId: pos.device.id }) });
    callers.push({ name: "a POS with nobody signed on", actor: null, cookie: async () => pos.cookie });
    callers.push({ name: "a pinless KDS", actor: "device", cookie: async () => kds.cookie });
    callers.push({ name: "a revoked device", actor: null, cookie: async () => revoked.cookie });
    callers.push({ name: "another restaurant's manager", actor: "manager", outsider: true, cookie: () => sessionCookie(otherManager.user.id, b) });
    callers.push({ name: "another restaurant's KDS", actor: "device", outsider: true, cookie: async () => otherDevice.cookie });
    callers.push({
      name: "an expired session", actor: null, cookie: async () => {
        const cookie = await sessionCookie(staff.manager!.user.id, rid);
        await withSystem(db.db, (tx) => tx.execute(sql`update sessions set last_seen_at = now() - interval '9 hours' where user_id = ${staff.manager!.user.id} and last_seen_at > now() - interval '1 minute'`));
        return cookie;
      },
    });
    callers.push({
      name: "a forged session cookie", actor: null, cookie: async () => {
        const real = await sessionCookie(staff.owner!.user.id, rid);
        return real.slice(0, -4) + (real.endsWith("AAAA") ? "BBBB" : "AAAA");
      },
    });
    callers.push({ name: "a forged device cookie", actor: null, cookie: async () => `${DEVICE_COOKIE}=eyJhbGciOiJIUzI1NiJ9.eyJ0b2siOiJyb3NfZGV2X2ZvcmdlZCJ9.c2lnbmF0dXJl` });
  }, 120_000);
  afterAll(() => db.drop());

  it("has every owned route in the table", () => {
    const owned = app.routes.filter((r) => OWNED.some((re) => re.test(r.path))).map((r) => `${r.method} ${r.path.replace(/:\w+/g, "*")}`);
    const table = ROUTES.map((r) => `${r.method} ${String(r.path({ memberId: "*", stationId: "*", deviceId: async () => "*", orderId: "*" })).replace(/[0-9a-f-]{36}/g, "*").replace(/:\w+/g, "*")}`);
    for (const route of owned) if (!route.includes("/admin/devices/")) expect(table).toContain(route);
    expect(owned.length).toBe(ROUTES.length);
  });

  /** The need macro's own refusals, told apart from a handler refusing bad input. */
  const deniedByNeed = async (res: Response) => {
    if (!(res.headers.get("content-type") ?? "").includes("application/json")) return false;
    const body = await res.clone().json() as { error: string; message: string };
    return (body.error === "unauthorized" && ["Please sign in", "Sign on with your PIN"].includes(body.message))
      || (body.error === "forbidden" && body.message === "You do not have permission to do that");
  };

  it("lets exactly the callers the permission map allows through, and no outsider sees another restaurant's rows", async () => {
    const failures: string[] = [];
    const table: string[] = [];
    for (const route of ROUTES) {
      const line: string[] = [];
      for (const caller of callers) {
        const path = await route.path(ids);
        const headers: Record<string, string> = { accept: "application/json", cookie: await caller.cookie() };
        const res = await app.handle(req(path, { method: route.method, headers, form: route.form ?? (route.method === "POST" ? { _: "" } : undefined) }));
        const expected = route.need === "public" || allows(caller.actor, route.need);
        const denied = await deniedByNeed(res);
        if (denied === expected) failures.push(`${route.method} ${path} as ${caller.name}: expected ${expected ? "allowed" : "denied"}, got ${res.status} ${await res.text()}`);
        if (expected && res.status >= 500) failures.push(`${route.method} ${path} as ${caller.name}: ${res.status}`);
        // Through the need, an outsider reaching for this restaurant's rows finds nothing there.
        if (expected && caller.outsider && path.match(/[0-9a-f-]{36}/) && res.status !== 404) failures.push(`${route.method} ${path} as ${caller.name}: expected 404, got ${res.status}`);
        line.push(denied ? "·" : String(res.status));
      }
      table.push(`${route.method.padEnd(4)} ${(await route.path({ memberId: ":id", stationId: ":id", deviceId: async () => ":id", orderId: ":id" })).padEnd(34)} ${line.map((s) => s.padStart(3)).join(" ")}`);
    }
    if (process.env.SHOW_MATRIX) console.log(`callers: ${callers.map((c, i) => `${i + 1}=${c.name}`).join(", ")}\n${table.join("\n")}`);
    expect(failures).toEqual([]);
  }, 120_000);

  it("sends a page request the need refuses to sign-in, or to the PIN pad on a station", async () => {
    const anonymous = await app.handle(req("/admin/staff"));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/sign-in?next=%2Fadmin%2Fstaff");
    const station = await app.handle(req("/admin/staff", { headers: { cookie: await callers.find((c) => c.name === "a POS with nobody signed on")!.cookie() } }));
    expect(station.headers.get("location")).toBe("/station");
  });

  it("refuses a cross-site POST to every owned route before anything runs", async () => {
    for (const route of ROUTES.filter((r) => r.method === "POST")) {
      const path = await route.path(ids);
      const res = await app.handle(req(path, { method: "POST", headers: { accept: "application/json", origin: "https://evil.example", cookie: await callers[1]!.cookie() }, form: route.form ?? { _: "" } }));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe("csrf");
    }
  });
});
