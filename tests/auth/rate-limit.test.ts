import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { Redis } from "ioredis";
import { sql } from "drizzle-orm";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req } from "../helpers/app";
import { makeDevice, makeRestaurant, makeStaff } from "../helpers/auth";
import { createRateLimiter, RateLimitedError, RateLimiter, RULES, type LimitRule } from "../../src/ops/rate-limit";
import { MemoryLimitStore } from "../../src/ops/limit-store";
import { rowsOf } from "../../src/db/client";

// Real argon2id, Postgres and Redis on a shared 2-core machine: give each test room.
setDefaultTimeout(30_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
// Each run counts under its own prefix and deletes it afterwards, so runs never see each other's counts.
const PREFIX = `ros:test:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;

async function cleanRedis() {
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 200);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
}

const stores = {
  memory: () => createRateLimiter(null),
  redis: () => createRateLimiter(REDIS_URL, undefined, PREFIX),
};

const rule = (limit: number, windowMs = 60_000): LimitRule => ({ name: `t${Math.random().toString(36).slice(2, 8)}`, limit, windowMs, message: "Too many tries." });

afterAll(cleanRedis);

for (const [kind, make] of Object.entries(stores)) {
  describe(`rate limiter on the ${kind} store`, () => {
    let limiter: RateLimiter;
    beforeAll(() => { limiter = make(); });
    afterAll(() => limiter.close());

    it(`is the ${kind} store`, () => {
      expect(limiter.store.kind).toBe(kind as "memory" | "redis");
    });

    it("lets the limit through, refuses the next with a 429, Retry-After and a human message", async () => {
      const r = rule(3);
      for (let i = 0; i < 3; i++) await limiter.attempt([[r, "alice"]]);
      const refused = await limiter.attempt([[r, "alice"]]).catch((e) => e);
      expect(refused).toBeInstanceOf(RateLimitedError);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
      expect(refused.message).toMatch(/Too many tries\. Please wait \d+ (second|minute)s? and try again\./);
      // Keys are counted apart.
      await limiter.attempt([[r, "bob"]]);
    });

    it("forgives successes, so only failures add up", async () => {
      const r = rule(2);
      for (let i = 0; i < 10; i++) {
        await limiter.attempt([[r, "carol"]]);
        await limiter.forgive([[r, "carol"]]);
      }
      await limiter.attempt([[r, "carol"]]);
      await limiter.attempt([[r, "carol"]]);
      await expect(limiter.attempt([[r, "carol"]])).rejects.toBeInstanceOf(RateLimitedError);
    });

    it("opens again when the window ends", async () => {
      // rate-limiter-flexible counts whole seconds.
      const r = rule(1, 1000);
      await limiter.attempt([[r, "dave"]]);
      await expect(limiter.attempt([[r, "dave"]])).rejects.toBeInstanceOf(RateLimitedError);
      await Bun.sleep(1100);
      await limiter.attempt([[r, "dave"]]);
    });

    it("lets exactly the limit through when 50 guesses arrive at once", async () => {
      const r = rule(10);
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => limiter.attempt([[r, "eve"]])));
      expect(results.filter((x) => x.status === "fulfilled").length).toBe(10);
    });

    it("skips a key that is unknown (no client IP)", async () => {
      const r = rule(1);
      for (let i = 0; i < 5; i++) await limiter.attempt([[r, null]]);
    });
  });
}

describe("a Redis store shared by two processes", () => {
  it("counts attempts from both against one limit", async () => {
    const one = stores.redis();
    const two = stores.redis();
    const r = rule(4);
    await one.attempt([[r, "frank"]]);
    await two.attempt([[r, "frank"]]);
    await one.attempt([[r, "frank"]]);
    await two.attempt([[r, "frank"]]);
    await expect(one.attempt([[r, "frank"]])).rejects.toBeInstanceOf(RateLimitedError);
    await expect(two.attempt([[r, "frank"]])).rejects.toBeInstanceOf(RateLimitedError);
    await one.close();
    await two.close();
  });

  it("counts in this process when Redis cannot be reached, and says so in the log once", async () => {
    const warnings: unknown[] = [];
    const log = { error: (o: unknown) => warnings.push(o), warn: (o: unknown) => warnings.push(o), info: () => {} } as never;
    const down = createRateLimiter("redis://127.0.0.1:1", log, PREFIX);
    const r = rule(1);
    await down.attempt([[r, "gina"]]);
    await expect(down.attempt([[r, "gina"]])).rejects.toBeInstanceOf(RateLimitedError);
    for (let i = 0; i < 5; i++) await down.attempt([[rule(1), "gina"]]);
    expect(down.store.active()).toBe("memory");
    expect(warnings.length).toBe(1);
    await down.close();
  });
});

describe("the in-process store", () => {
  it("reports what is left and when the window ends, and starts afresh after it", async () => {
    const store = new MemoryLimitStore();
    const w = { name: "window", limit: 2, windowMs: 1000 };
    expect(await store.consume(w, "k")).toMatchObject({ allowed: true, remaining: 1 });
    const second = await store.consume(w, "k");
    expect(second).toMatchObject({ allowed: true, remaining: 0 });
    expect(second.resetInMs).toBeGreaterThan(0);
    expect(second.resetInMs).toBeLessThanOrEqual(1000);
    expect(await store.consume(w, "k")).toMatchObject({ allowed: false, remaining: 0 });
    await Bun.sleep(1100);
    expect(await store.consume(w, "k")).toMatchObject({ allowed: true, remaining: 1 });
  });
});

describe("rate limits at the doors (both stores)", () => {
  let db: TestDatabase;
  let rid: string;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    rid = (await makeRestaurant(db.db, "limits")).id;
  }, 60_000);
  afterAll(() => db.drop());

  for (const [kind, make] of Object.entries(stores)) {
    it(`refuses the 11th wrong password for one account with 429 and Retry-After, and writes no session (${kind})`, async () => {
      const limiter = make();
      const { app } = makeTestApp(db, {}, limiter);
      const m = await makeStaff(db.db, rid, "manager");
      const sessions = async () => Number(rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from sessions`))[0]!.n);
      const before = await sessions();
      for (let i = 0; i < RULES.signInAccount.limit; i++) {
        expect((await app.handle(req("/sign-in", { form: { email: m.email, password: "wrong wrong wrong" } }))).status).toBe(401);
      }
      const res = await app.handle(req("/sign-in", { form: { email: m.email.toUpperCase(), password: m.password } }));
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
      const text = await res.text();
      expect(text).toContain("Too many sign-in attempts for this account.");
      expect(text).toContain("minutes and try again");
      expect(await sessions()).toBe(before);
      await limiter.close();
    });

    it(`refuses an 11th wrong PIN on one station with 429 (${kind})`, async () => {
      const limiter = make();
      const { app } = makeTestApp(db, {}, limiter);
      const device = await makeDevice(db.db, rid, "pos");
      const s = await makeStaff(db.db, rid, "server", { pin: `4${kind === "redis" ? 1 : 2}77` });
      for (let i = 0; i < RULES.pinDevice.limit; i++) {
        expect((await app.handle(req("/station/pin", { headers: { cookie: device.cookie }, form: { pin: "999999" } }))).status).toBe(401);
      }
      const res = await app.handle(req("/station/pin", { headers: { cookie: device.cookie }, form: { pin: kind === "redis" ? "4177" : "4277" } }));
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(await res.text()).toContain("Too many wrong PINs on this station.");
      void s;
      await limiter.close();
    });
  }

  it("limits sign-in per client IP over real HTTP (the peer address)", async () => {
    const { app } = makeTestApp(db);
    app.listen({ port: 0, hostname: "127.0.0.1" });
    const base = `http://127.0.0.1:${app.server!.port}`;
    try {
      let last = 0;
      // Different accounts, one address: only the per-IP limit can stop this.
      for (let i = 0; i <= RULES.signInIp.limit; i++) {
        const res = await fetch(`${base}/sign-in`, {
          method: "POST", redirect: "manual",
          headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ email: `nobody${i}@ip.test`, password: "wrong wrong wrong" }),
        });
        last = res.status;
        await res.text();
      }
      expect(last).toBe(429);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
