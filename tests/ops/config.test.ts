import { describe, expect, it } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";

describe("configuration", () => {
  it("starts on port 3000 with the embedded database when nothing is set", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toBe("./data");
    expect(c.redisUrl).toBeNull();
  });

  it.each([
    [{ PORT: "abc" }, /PORT must be a whole number/],
    [{ PORT: "70000" }, /PORT must be a whole number from 0 to 65535/],
    [{ PORT: "-1" }, /PORT/],
    [{ DATABASE_URL: "not a url" }, /DATABASE_URL must be a URL/],
    [{ DATABASE_URL: "mysql://x@localhost/db" }, /DATABASE_URL must start with postgres:/],
    [{ REDIS_URL: "http://localhost" }, /REDIS_URL must start with redis:/],
    [{ NODE_ENV: "staging" }, /NODE_ENV must be/],
    [{ NODE_ENV: "production" }, /SESSION_SECRET must be set in production/],
    [{ SESSION_SECRET: "short" }, /SESSION_SECRET must be at least 32 characters/],
    [{ SESSION_IDLE_HOURS: "0" }, /SESSION_IDLE_HOURS/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
  ])("refuses %p with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>)).toThrow(message);
  });

  it("accepts a complete production configuration", () => {
    const secret = "x".repeat(40);
    const c = loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret, PIN_PEPPER: secret, DATABASE_URL: "postgres://u:p@db:5432/ros", PORT: "8080" });
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBe("postgres://u:p@db:5432/ros");
  });
});

describe("demo seeding (issue 18, point 11)", () => {
  const production = { NODE_ENV: "production", SESSION_SECRET: "s".repeat(40), PIN_PEPPER: "p".repeat(40) };

  it("never seeds the demo in production unless SEED_DEMO=1 asks for it", () => {
    expect(loadConfig(production).seedDemo).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO: "auto" }).seedDemo).toBe(false);
    expect(loadConfig({ ...production, SEED_DEMO: "1" }).seedDemo).toBe(true);
    expect(loadConfig({ ...production, SEED_DEMO: "true" }).seedDemo).toBe(true);
  });

  it("seeds it on a first development start unless SEED_DEMO=0", () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: "0" }).seedDemo).toBe(false);
  });
});
