import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { cookieHeader, makeRestaurant, makeStaff, signIn } from "../helpers/auth";
import { base32Decode, base32Encode, currentStep, otpauthUri, totpAt, verifyTotp } from "../../src/auth/totp";
import { openSecret, sealSecret } from "../../src/auth/secrets";
import { withSystem } from "../../src/db/tenant";
import { rowsOf } from "../../src/db/client";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

describe("TOTP (RFC 6238)", () => {
  const rfcSecret = Buffer.from("12345678901234567890");

  it("matches the RFC's SHA-1 test vectors (last 6 digits)", () => {
    const vectors: [number, string][] = [[59, "287082"], [1111111109, "081804"], [1111111111, "050471"], [1234567890, "005924"], [2000000000, "279037"]];
    for (const [t, code] of vectors) expect(totpAt(rfcSecret, Math.floor(t / 30))).toBe(code);
  });

  it("round-trips base32", () => {
    expect(base32Encode(rfcSecret)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").equals(rfcSecret)).toBe(true);
  });

  it("accepts the previous, current and next step, nothing further, and no step twice", () => {
    const secret = base32Encode(rfcSecret);
    const now = 1_700_000_000_000;
    const step = currentStep(now);
    const at = (s: number) => totpAt(rfcSecret, s);
    expect(verifyTotp(secret, at(step), null, now)).toBe(step);
    expect(verifyTotp(secret, at(step - 1), null, now)).toBe(step - 1);
    expect(verifyTotp(secret, at(step + 1), null, now)).toBe(step + 1);
    expect(verifyTotp(secret, at(step - 2), null, now)).toBeNull();
    expect(verifyTotp(secret, at(step), step, now)).toBeNull();
    expect(verifyTotp(secret, "12345", null, now)).toBeNull();
  });

  it("builds the otpauth URI authenticator apps read", () => {
    const uri = new URL(otpauthUri("Restaurant OS", "maya@x.test", "JBSWY3DPEHPK3PXP"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host + uri.pathname).toBe("totp/Restaurant%20OS:maya%40x.test");
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: "JBSWY3DPEHPK3PXP", issuer: "Restaurant OS", algorithm: "SHA1", digits: "6", period: "30" });
  });

  it("refuses a secret that is not base32", () => {
    expect(() => base32Decode("not base32!")).toThrow();
  });

  it("seals secrets so a dump does not reveal them, and refuses a tampered or foreign one", () => {
    const sealed = sealSecret("pepper-one-that-is-long-enough-000", "JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(openSecret("pepper-one-that-is-long-enough-000", sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(openSecret("pepper-two-that-is-long-enough-000", sealed)).toBeNull();
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === "A" ? "B" : "A") + sealed.at(-1);
    expect(openSecret("pepper-one-that-is-long-enough-000", flipped)).toBeNull();
  });
});

describe("two-step sign-in for owners and managers", () => {
  let db: TestDatabase;
  let app: ReturnType<typeof makeTestApp>["app"];
  let rid: string;

  const one = async <T,>(q: ReturnType<typeof sql>) => rowsOf<T>(await withSystem(db.db, (tx) => tx.execute(q)))[0]!;
  const codeFor = (secret: string, offset = 0) => totpAt(base32Decode(secret), currentStep() + offset);

  /** Signs a fresh manager in and turns TOTP on through the pages; returns the secret and recovery codes. */
  async function enrolManager() {
    const m = await makeStaff(db.db, rid, "manager");
    const cookie = await signIn(app, m.email);
    expect(await (await app.handle(req("/account/security", { headers: { cookie } }))).text()).toContain("Two-step sign-in is <strong>off</strong>");
    expect((await app.handle(req("/account/totp/setup", { method: "POST", headers: { cookie } }))).status).toBe(303);
    const page = await (await app.handle(req("/account/security", { headers: { cookie } }))).text();
    expect(page).toContain('src="data:image/svg+xml;base64,');
    const secret = page.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, "");
    expect(page).toContain("otpauth://totp/Restaurant%20OS:");
    const wrong = await app.handle(req("/account/totp/enable", { headers: { cookie }, form: { code: "000000" } }));
    expect(wrong.status).toBe(401);
    expect((await one<{ totp_enabled: boolean }>(sql`select totp_enabled from users where id = ${m.user.id}`)).totp_enabled).toBe(false);
    const on = await app.handle(req("/account/totp/enable", { headers: { cookie }, form: { code: codeFor(secret) } }));
    expect(on.status).toBe(200);
    const html = await on.text();
    const codes = [...html.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((x) => x[1]!);
    expect(codes).toHaveLength(10);
    return { m, secret, codes, cookie };
  }

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    ({ app } = makeTestApp(db));
    rid = (await makeRestaurant(db.db, "totp")).id;
  }, 60_000);
  afterAll(() => db.drop());

  it("enrols with a QR code and secret, stores the secret sealed and the recovery codes hashed", async () => {
    const { m, secret, codes } = await enrolManager();
    const row = await one<{ totp_secret: string; recovery_codes: string[]; totp_enabled: boolean }>(sql`select totp_secret, recovery_codes, totp_enabled from users where id = ${m.user.id}`);
    expect(row.totp_enabled).toBe(true);
    expect(row.totp_secret).not.toContain(secret);
    expect(openSecret(testConfig().pinPepper, row.totp_secret)).toBe(secret);
    expect(row.recovery_codes).toHaveLength(10);
    for (const c of codes) expect(JSON.stringify(row.recovery_codes)).not.toContain(c);
  });

  it("keeps the session pending until the code is right, then issues a new session", async () => {
    const { m, secret } = await enrolManager();
    const res = await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } }));
    expect(res.headers.get("location")).toBe("/sign-in/totp");
    const pending = cookieHeader(res);
    // Half signed in opens nothing.
    const admin = await app.handle(req("/admin/staff", { headers: { cookie: pending } }));
    expect(admin.status).toBe(303);
    expect(admin.headers.get("location")).toStartWith("/sign-in");
    expect((await app.handle(req("/", { headers: { cookie: pending } }))).headers.get("location")).toBe("/sign-in/totp");
    const failedBefore = (await one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'signin.failed' and actor_user_id = ${m.user.id}`)).n;
    const wrong = await app.handle(req("/sign-in/totp", { headers: { cookie: pending }, form: { code: "123456" } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That code is not right.");
    expect((await one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'signin.failed' and actor_user_id = ${m.user.id}`)).n).toBe(failedBefore + 1);
    // The current step's code was spent on enabling; the next one (allowed for clock drift) is fresh.
    const right = await app.handle(req("/sign-in/totp", { headers: { cookie: pending }, form: { code: codeFor(secret, 1) } }));
    expect(right.status).toBe(303);
    const full = cookieHeader(right, pending);
    expect((await app.handle(req("/admin/staff", { headers: { cookie: full } }))).status).toBe(200);
    // The half-signed-in token was replaced, not upgraded.
    expect((await app.handle(req("/sign-in/totp", { headers: { cookie: pending }, form: { code: codeFor(secret) } }))).headers.get("location")).toBe("/sign-in");
  });

  it("refuses a code that was already used (replay)", async () => {
    const { m, secret } = await enrolManager();
    const first = cookieHeader(await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } })));
    const code = codeFor(secret, 1);
    expect((await app.handle(req("/sign-in/totp", { headers: { cookie: first }, form: { code } }))).status).toBe(303);
    const second = cookieHeader(await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } })));
    expect((await app.handle(req("/sign-in/totp", { headers: { cookie: second }, form: { code } }))).status).toBe(401);
  });

  it("accepts each recovery code once", async () => {
    const { m, codes } = await enrolManager();
    const pending = () => app.handle(req("/sign-in", { form: { email: m.email, password: m.password } })).then((r) => cookieHeader(r));
    const a = await pending();
    expect((await app.handle(req("/sign-in/totp", { headers: { cookie: a }, form: { code: codes[0]!.toUpperCase() } }))).status).toBe(303);
    const b = await pending();
    expect((await app.handle(req("/sign-in/totp", { headers: { cookie: b }, form: { code: codes[0]! } }))).status).toBe(401);
    expect((await one<{ n: number }>(sql`select jsonb_array_length(recovery_codes)::int as n from users where id = ${m.user.id}`)).n).toBe(9);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'totp.recovery_code_used' and actor_user_id = ${m.user.id}`)).n).toBe(1);
  });

  it("turns off only with a current code, and then signs in with the password alone", async () => {
    const { m, secret, cookie } = await enrolManager();
    expect((await app.handle(req("/account/totp/disable", { headers: { cookie }, form: { code: "999999" } }))).status).toBe(401);
    expect((await app.handle(req("/account/totp/disable", { headers: { cookie }, form: { code: codeFor(secret, 1) } }))).status).toBe(303);
    const res = await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } }));
    expect(res.headers.get("location")).toBe("/");
    expect((await one<{ n: number }>(sql`select count(*)::int as n from audit_log where action in ('totp.enabled','totp.disabled') and actor_user_id = ${m.user.id}`)).n).toBe(2);
  });

  it("is not offered to staff below manager", async () => {
    const s = await makeStaff(db.db, rid, "server");
    const cookie = await signIn(app, s.email);
    expect(await (await app.handle(req("/account/security", { headers: { cookie } }))).text()).toContain("for owners and managers");
    expect((await app.handle(req("/account/totp/setup", { method: "POST", headers: { cookie } }))).status).toBe(403);
  });

  it("rate-limits wrong codes per account", async () => {
    const { m } = await enrolManager();
    const cookie = cookieHeader(await app.handle(req("/sign-in", { form: { email: m.email, password: m.password } })));
    let status = 0;
    for (let i = 0; i < 11; i++) status = (await app.handle(req("/sign-in/totp", { headers: { cookie }, form: { code: "000000" } }))).status;
    expect(status).toBe(429);
  });
});
