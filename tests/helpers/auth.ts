import { SignJWT } from "jose";
import { memberships, users, devices } from "../../src/db/schema";
import { withSystem } from "../../src/db/tenant";
import type { Db } from "../../src/db/client";
import { generateToken, hashPassword, pinDigest, sha256 } from "../../src/auth/secrets";
import type { Role } from "../../src/auth/permissions";
import { createRestaurant } from "../../src/restaurants/service";
import { DEVICE_COOKIE, SESSION_COOKIE } from "../../src/auth/plugin";
import { req } from "./app";
import { testConfig } from "./app";

type App = { handle: (r: Request) => Promise<Response> };

export const TEST_PASSWORD = "correct horse battery staple";

/** A restaurant with an owner; returns its id and API key. */
export async function makeRestaurant(db: Db, slug: string, extra: { taxRateBps?: number; taxInclusive?: boolean } = {}) {
  const created = await createRestaurant(db, { name: `R ${slug}`, slug, ownerEmail: `owner@${slug}.test`, ...extra });
  return { id: created.restaurant.id, apiKey: created.apiKey, restaurant: created.restaurant };
}

let counter = 0;
/** A staff member with a role, a password (for owners/managers) and optionally a PIN. */
export async function makeStaff(db: Db, restaurantId: string, role: Role, opts: { pin?: string; email?: string } = {}) {
  const email = opts.email ?? `${role}-${++counter}-${Date.now()}@staff.test`;
  const passwordHash = await hashPassword(TEST_PASSWORD);
  return withSystem(db, async (tx) => {
    const [user] = await tx.insert(users).values({ email, name: `${role} ${counter}`, passwordHash }).returning();
    const [membership] = await tx.insert(memberships).values({
      restaurantId, userId: user!.id, role, pinDigest: opts.pin ? pinDigest(testConfig().pinPepper, restaurantId, opts.pin) : null,
    }).returning();
    return { user: user!, membership: membership!, email, password: TEST_PASSWORD };
  });
}

/** Signs in through the real form; returns the Cookie header value for later requests. */
export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.handle(req("/sign-in", { form: { email, password } }));
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}: ${await res.text()}`);
  return cookieHeader(res);
}

export async function signInAs(app: App, db: Db, restaurantId: string, role: Role): Promise<{ cookie: string; userId: string }> {
  const staff = await makeStaff(db, restaurantId, role);
  return { cookie: await signIn(app, staff.email), userId: staff.user.id };
}

/** Turns Set-Cookie headers into a Cookie header. */
export function cookieHeader(res: Response, previous = ""): string {
  const jar = new Map(previous.split(/;\s*/).filter(Boolean).map((c) => c.split("=") as [string, string]));
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [name, ...value] = pair!.split("=");
    if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name!);
    else jar.set(name!, value.join("="));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

export async function signCookieToken(token: string): Promise<string> {
  return new SignJWT({ tok: token }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(testConfig().sessionSecret));
}

/** An enrolled station device; returns its row and a Cookie header carrying its token. */
export async function makeDevice(db: Db, restaurantId: string, kind: "pos" | "kds" | "expo" | "board", opts: { stationId?: string; pinless?: boolean } = {}) {
  const token = generateToken("ros_dev");
  const [device] = await withSystem(db, (tx) => tx.insert(devices).values({
    restaurantId, name: `${kind} device`, kind, stationId: opts.stationId ?? null, pinless: opts.pinless ?? false, tokenHash: sha256(token),
  }).returning());
  return { device: device!, cookie: `${DEVICE_COOKIE}=${await signCookieToken(token)}` };
}

export { SESSION_COOKIE, DEVICE_COOKIE };
