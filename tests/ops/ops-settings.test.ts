import { describe, expect, it } from "bun:test";
import { ConfigError, loadConfig } from "../../src/config";
import { clientIpResolver } from "../../src/ops/client-ip";
import { tierOf } from "../../src/ops/request-limits";

describe("operations settings", () => {
  it("defaults to 300 reads, 60 writes and 10 heavy requests a minute per key, no trusted proxy, no metrics, 30 days of backups", () => {
    const c = loadConfig({});
    expect(c.rateLimits).toEqual({ windowSeconds: 60, key: { reads: 300, writes: 60, heavy: 10 }, ip: { reads: 1200, writes: 600, heavy: 30 } });
    expect(c.trustedProxies).toEqual([]);
    expect(c.metricsToken).toBeNull();
    expect(c.backupDir).toBe("./backups");
    expect(c.backupKeepDays).toBe(30);
  });

  it("reads every setting from its variable", () => {
    const c = loadConfig({
      RATE_LIMIT_KEY_READS: "10", RATE_LIMIT_KEY_WRITES: "0", RATE_LIMIT_KEY_HEAVY: "2", RATE_LIMIT_IP_READS: "20", RATE_LIMIT_IP_WRITES: "5",
      RATE_LIMIT_IP_HEAVY: "1", RATE_LIMIT_WINDOW_SECONDS: "30", TRUSTED_PROXIES: " 10.0.0.0/8, ::1 ,127.0.0.1", METRICS_TOKEN: "0123456789abcdef",
      BACKUP_DIR: "/var/backups/ros", BACKUP_KEEP_DAYS: "7",
    });
    expect(c.rateLimits).toEqual({ windowSeconds: 30, key: { reads: 10, writes: 0, heavy: 2 }, ip: { reads: 20, writes: 5, heavy: 1 } });
    expect(c.trustedProxies).toEqual(["10.0.0.0/8", "::1", "127.0.0.1"]);
    expect(c.metricsToken).toBe("0123456789abcdef");
    expect(c.backupDir).toBe("/var/backups/ros");
    expect(c.backupKeepDays).toBe(7);
  });

  it.each([
    [{ RATE_LIMIT_KEY_READS: "lots" }, /RATE_LIMIT_KEY_READS must be a whole number/],
    [{ RATE_LIMIT_IP_WRITES: "-5" }, /RATE_LIMIT_IP_WRITES must be a whole number/],
    [{ RATE_LIMIT_WINDOW_SECONDS: "0" }, /RATE_LIMIT_WINDOW_SECONDS must be a whole number from 1/],
    [{ TRUSTED_PROXIES: "nginx.local" }, /TRUSTED_PROXIES must be a comma-separated list of addresses or CIDR blocks: "nginx.local" is not an IP address/],
    [{ TRUSTED_PROXIES: "10.0.0.0/33" }, /TRUSTED_PROXIES .*"10.0.0.0\/33" has a prefix length outside 0-32/],
    [{ METRICS_TOKEN: "short" }, /METRICS_TOKEN must be at least 16 characters/],
    [{ BACKUP_KEEP_DAYS: "0" }, /BACKUP_KEEP_DAYS must be a whole number from 1/],
  ])("refuses %p with a message naming the variable", (env, message) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => loadConfig(env as Record<string, string>)).toThrow(message);
  });
});

describe("the client's address", () => {
  it("is the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    const ip = clientIpResolver([]);
    expect(ip("192.0.2.10", "6.6.6.6")).toBe("192.0.2.10");
    expect(ip("::ffff:192.0.2.10", null)).toBe("192.0.2.10");
    expect(ip(null, "6.6.6.6")).toBeNull();
  });

  it("is read from the right of X-Forwarded-For behind trusted proxies, skipping every trusted hop", () => {
    const ip = clientIpResolver(["10.0.0.0/8", "2001:db8::/32"]);
    expect(ip("10.1.1.1", "198.51.100.7")).toBe("198.51.100.7");
    expect(ip("10.1.1.1", "6.6.6.6, 198.51.100.7, 10.2.2.2")).toBe("198.51.100.7");
    expect(ip("2001:db8::5", "2001:db8::9, 2a00:1450::1")).toBe("2a00:1450::1");
    // A peer outside the trusted blocks is the client, even if it sends the header.
    expect(ip("192.0.2.1", "198.51.100.7")).toBe("192.0.2.1");
    // Garbage in the header is skipped; a chain of only proxies gives the first of them.
    expect(ip("10.1.1.1", "not-an-ip, 10.3.3.3")).toBe("10.3.3.3");
    expect(ip("10.1.1.1", "")).toBe("10.1.1.1");
  });
});

describe("request tiers", () => {
  it("counts GET and HEAD as reads, other methods as writes, CSV import and export as heavy, and never probes or assets", () => {
    expect(tierOf("GET", "/api/v1/orders")).toBe("reads");
    expect(tierOf("HEAD", "/pos")).toBe("reads");
    expect(tierOf("POST", "/api/v1/orders")).toBe("writes");
    expect(tierOf("DELETE", "/admin/menu/items/1")).toBe("writes");
    expect(tierOf("POST", "/admin/menu/import")).toBe("heavy");
    expect(tierOf("GET", "/admin/menu/export.csv")).toBe("heavy");
    for (const path of ["/healthz", "/readyz", "/metrics", "/public/app.css", "/vendor/htmx.min.js"]) expect(tierOf("GET", path)).toBeNull();
  });
});
