import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { createEmptyPgDatabase, openTestDatabase, type TestDatabase } from "../helpers/db";
import { testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { run } from "../helpers/proc";
import { startServer, type ServerProcess } from "../helpers/server";
import { seedDemo } from "../../src/restaurants/demo";
import { pruneBackups, stamp } from "../../src/cli/backup";

setDefaultTimeout(120_000);

const cli = (args: string[], env: Record<string, string>) => run(["src/cli.ts", ...args], env, 110_000);

describe("backup and restore on Postgres, under order load", () => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  let restored: ServerProcess | undefined;
  let fresh: Awaited<ReturnType<typeof createEmptyPgDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), "ros-backups-"));
  let apiKey: string;
  let burger: () => unknown;

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    const demo = await seedDemo(db.db, testConfig().pinPepper, "backup");
    apiKey = demo.apiKey;
    const m = await demoMenu(db.db, demo.restaurant.id);
    burger = () => ({ menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] });
    fresh = await createEmptyPgDatabase();
    server = await startServer("ros-backup", { DATABASE_URL: db.url! });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await restored?.stop();
    await fresh?.drop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up a live server while orders keep coming, and a restore into a fresh database has every order acknowledged before the backup began", async () => {
    const acked: { id: string; at: number }[] = [];
    let stop = false;
    let n = 0;
    // Three clients placing orders back to back, for as long as the backup takes.
    const client = async () => {
      while (!stop) {
        const res = await fetch(`${server!.base}/api/v1/orders`, {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `backup-load-${++n}-${Date.now()}` },
          body: JSON.stringify({ type: "takeout", items: [burger()] }),
        });
        if (res.status === 201) acked.push({ id: ((await res.json()) as { id: string }).id, at: Date.now() });
        else throw new Error(`order refused: ${res.status} ${await res.text()}`);
      }
    };
    const load = Promise.all([client(), client(), client()]);
    while (acked.length < 15) await Bun.sleep(20);

    const began = Date.now();
    const before = acked.filter((a) => a.at < began).map((a) => a.id);
    const result = await cli(["backup"], { DATABASE_URL: db.url!, BACKUP_DIR: dir });
    const during = acked.length - before.length;
    stop = true;
    await load;
    expect(result.stderr).toContain("Backed up");
    expect(result.code).toBe(0);
    const path = result.stdout.trim();
    expect(path).toMatch(new RegExp(`^${dir}/restaurant-os-\\d{8}T\\d{6}Z\\.pgdump$`));
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.json`)).toBe(true);
    console.log(`backup under load: ${before.length} orders acknowledged before it began, ${during} while it ran, ${acked.length} in all`);
    expect(during).toBeGreaterThan(0);

    const restoring = await cli(["restore", path], { DATABASE_URL: fresh.url });
    expect(restoring.stdout).toContain("Verified.");
    expect(restoring.stdout).toContain("event seq: consistent for 1 restaurant(s)");
    expect(restoring.stdout).toMatch(/migrations: (\d+) of \1 applied \(current\)/);
    expect(restoring.code).toBe(0);

    restored = await startServer("ros-restored", { DATABASE_URL: fresh.url });
    for (const id of before) {
      const res = await fetch(`${restored.base}/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
      expect({ id, status: res.status }).toEqual({ id, status: 200 });
    }
    // And the restored server takes new orders on top (the event seq and order numbers carry on).
    const next = await fetch(`${restored.base}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "idempotency-key": `after-restore-${Date.now()}` },
      body: JSON.stringify({ type: "takeout", items: [burger()] }),
    });
    expect(next.status).toBe(201);
  });

  it("refuses to restore over a database that is not empty, changing nothing, and replaces it with --force", async () => {
    const path = join(dir, readdirSync(dir).find((f) => f.endsWith(".pgdump"))!);
    await restored?.stop();
    restored = undefined;
    const count = async () => {
      const c = postgres(fresh.url, { max: 1, onnotice: () => {} });
      const [row] = await c`select count(*)::int as n from orders`;
      await c.end();
      return row!.n as number;
    };
    const orders = await count();
    const refused = await cli(["restore", path], { DATABASE_URL: fresh.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not empty");
    expect(refused.stderr).toContain("--force");
    expect(await count()).toBe(orders);

    const forced = await cli(["restore", path, "--force"], { DATABASE_URL: fresh.url });
    expect(forced.stdout).toContain("Verified.");
    expect(forced.code).toBe(0);
    expect(await count()).toBe(orders - 1); // the order placed after the restore is gone again
  });

  it("answers bad input with a clear message and a non-zero exit", async () => {
    const missing = await cli(["restore", join(dir, "no-such-file.pgdump")], { DATABASE_URL: fresh.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No backup file at");
    const noFile = await cli(["restore"], { DATABASE_URL: fresh.url });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("restore needs exactly one FILE");
    const extra = await cli(["backup", "--keep", "3"], { DATABASE_URL: db.url! });
    expect(extra.code).toBe(2);
    const wrongKind = await cli(["restore", join(dir, readdirSync(dir).find((f) => f.endsWith(".pgdump"))!)], { DATA_DIR: join(dir, "embedded") });
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain("is a Postgres dump; restore it with DATABASE_URL set");
  });

  it("fails verification when the restored rows do not match the manifest", async () => {
    const path = join(dir, readdirSync(dir).find((f) => f.endsWith(".pgdump"))!);
    const manifest = JSON.parse(await Bun.file(`${path}.json`).text());
    manifest.rowCounts["public.orders"] += 1;
    const copy = join(dir, "tampered.pgdump");
    writeFileSync(copy, new Uint8Array(await Bun.file(path).arrayBuffer()));
    writeFileSync(`${copy}.json`, JSON.stringify(manifest));
    const result = await cli(["restore", copy, "--force"], { DATABASE_URL: fresh.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/rows: public\.orders \d+, but the backup recorded \d+/);
    expect(result.stdout).toContain("VERIFICATION FAILED");
  });
});

describe("backup retention", () => {
  it("deletes backups and manifests older than BACKUP_KEEP_DAYS by the time in their names, and nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), "ros-retention-"));
    const now = new Date("2026-11-29T12:00:00Z");
    const old = `restaurant-os-${stamp(new Date("2026-10-01T00:00:00Z"))}.pgdump`;
    const recent = `restaurant-os-${stamp(new Date("2026-11-20T00:00:00Z"))}.pgdump`;
    for (const name of [old, `${old}.json`, recent, `${recent}.json`, "notes.txt"]) writeFileSync(join(dir, name), "x");
    expect(pruneBackups(dir, 30, now).sort()).toEqual([old, `${old}.json`].sort());
    expect(readdirSync(dir).sort()).toEqual([recent, `${recent}.json`, "notes.txt"].sort());
    rmSync(dir, { recursive: true });
  });
});

describe("backup and restore of the embedded database", () => {
  const root = mkdtempSync(join(tmpdir(), "ros-embedded-backup-"));
  const env = { DATA_DIR: join(root, "data"), BACKUP_DIR: join(root, "backups") };
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("refuses while the server has it open, backs it up once stopped, and restores it into an empty DATA_DIR", async () => {
    const server = await startServer("ros-embedded", { ...env, SEED_DEMO: "1" });
    let path: string;
    try {
      const busy = await cli(["backup"], env);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain("stop the server first");
    } finally {
      await server.stop();
    }
    const done = await cli(["backup"], env);
    expect(done.code).toBe(0);
    path = done.stdout.trim();
    expect(path).toMatch(/restaurant-os-\d{8}T\d{6}Z-embedded\.tar\.gz$/);

    const target = { DATA_DIR: join(root, "restored") };
    const restoredRun = await cli(["restore", path], target);
    expect(restoredRun.stdout).toContain("Verified.");
    expect(restoredRun.stdout).toMatch(/rows: public\.restaurants 1/);
    expect(restoredRun.code).toBe(0);
    const again = await cli(["restore", path], target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("is not empty");
    const forced = await cli(["restore", path, "--force"], target);
    expect(forced.code).toBe(0);
    expect(readdirSync(root).some((d) => d.startsWith("restored.replaced-"))).toBe(true);

    const server2 = await startServer("ros-embedded-restored", target);
    const ready = await fetch(`${server2.base}/readyz`);
    expect(ready.status).toBe(200);
    await server2.stop();
  });
});
