import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync, chownSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres, type Database } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { withSystem } from "../../src/db/tenant";
import { createApp } from "../../src/app";
import { createLogger } from "../../src/ops/logger";
import { createRateLimiter } from "../../src/ops/rate-limit";
import { createBus } from "../../src/realtime/bus";
import { createHub } from "../../src/realtime/hub";
import { req, testConfig } from "../helpers/app";
import { makeRestaurant, signInAs } from "../helpers/auth";
import { freePort } from "../helpers/proc";

setDefaultTimeout(120_000);

/**
 * REPORTS_DATABASE_URL against a real streaming replica: a throw-away primary and a hot standby made from
 * it with pg_basebackup, both our own clusters on free ports (the shared Postgres is left alone). Pausing
 * the standby's replay proves which database a report read.
 */
const BIN = "/usr/lib/postgresql/15/bin";

async function sh(args: string[], asPostgres = true) {
  const proc = Bun.spawn(asPostgres ? ["runuser", "-u", "postgres", "--", ...args] : args, { stdout: "pipe", stderr: "pipe" });
  const code = await proc.exited;
  if (code !== 0) throw new Error(`${args.join(" ")} failed (${code}): ${await new Response(proc.stderr).text()}`);
}

describe("reports on a read replica", () => {
  const dir = mkdtempSync(join(tmpdir(), "ros-replica-"));
  let primaryPort = 0, replicaPort = 0;
  let primary: Database, replica: Database;
  let rid = "";
  let cookie = "";
  let withReplica: ReturnType<typeof createApp>, withoutReplica: ReturnType<typeof createApp>;
  const closers: (() => Promise<unknown>)[] = [];

  const app = (database: Database, reportsDatabase?: Database) => {
    const config = testConfig();
    const log = createLogger(config);
    const bus = createBus({ database, log, pollMs: 1000 });
    closers.push(() => bus.close());
    return createApp({ config, database, reportsDatabase, log, isShuttingDown: () => false, rateLimiter: createRateLimiter(null), bus, hub: createHub(bus, log), shutdownSignal: new AbortController().signal });
  };

  beforeAll(async () => {
    chownSync(dir, 101, 104);
    [primaryPort, replicaPort] = [await freePort(), await freePort()];
    await sh([`${BIN}/initdb`, "-D", `${dir}/primary`, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
    appendFileSync(`${dir}/primary/postgresql.conf`, `\nport = ${primaryPort}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\nshared_buffers = 16MB\n`);
    await sh([`${BIN}/pg_ctl`, "-D", `${dir}/primary`, "-l", `${dir}/primary.log`, "-w", "start"]);
    await sh([`${BIN}/pg_basebackup`, "-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", `${dir}/replica`, "-R", "-X", "stream"]);
    appendFileSync(`${dir}/replica/postgresql.conf`, `\nport = ${replicaPort}\n`);
    await sh([`${BIN}/pg_ctl`, "-D", `${dir}/replica`, "-l", `${dir}/replica.log`, "-w", "start"]);

    const admin = postgres(`postgres://postgres@127.0.0.1:${primaryPort}/postgres`, { max: 1, onnotice: () => {} });
    await admin.unsafe("create database ros");
    await admin.end();
    primary = await openPostgres(`postgres://postgres@127.0.0.1:${primaryPort}/ros`, 5);
    await migrate(primary);
    rid = (await makeRestaurant(primary.db, "replica")).id;
    await sellOne(rid, 1000);
    await caughtUp();
    replica = await openPostgres(`postgres://postgres@127.0.0.1:${replicaPort}/ros`, 5);
    withReplica = app(primary, replica);
    withoutReplica = app(primary);
    cookie = (await signInAs(withReplica, primary.db, rid, "manager")).cookie;
  });

  afterAll(async () => {
    for (const close of closers) await close().catch(() => {});
    await replica?.close().catch(() => {});
    await primary?.close().catch(() => {});
    for (const node of ["replica", "primary"]) await sh([`${BIN}/pg_ctl`, "-D", `${dir}/${node}`, "-m", "immediate", "stop"]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  let number = 0;
  async function sellOne(restaurantId: string, cents: number) {
    await withSystem(primary.db, (tx) => tx.execute(sql`insert into orders (restaurant_id, number, business_date, type, status, subtotal_cents, total_cents)
      values (${restaurantId}, ${++number}, (now() at time zone 'UTC' - interval '4 hours')::date, 'takeout', 'completed', ${cents}, ${cents})`));
  }
  async function caughtUp() {
    const p = postgres(`postgres://postgres@127.0.0.1:${primaryPort}/postgres`, { max: 1 });
    const r = postgres(`postgres://postgres@127.0.0.1:${replicaPort}/postgres`, { max: 1 });
    const lsn = (await p<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`)[0]!.lsn;
    for (let i = 0; i < 200; i++) {
      const done = (await r<{ done: boolean }[]>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as done`)[0]!.done;
      if (done) break;
      await Bun.sleep(50);
    }
    await p.end(); await r.end();
  }
  async function replay(on: boolean) {
    const r = postgres(`postgres://postgres@127.0.0.1:${replicaPort}/postgres`, { max: 1 });
    await r.unsafe(on ? "select pg_wal_replay_resume()" : "select pg_wal_replay_pause()");
    await r.end();
  }
  const gross = async (a: ReturnType<typeof createApp>) => {
    const res = await a.handle(req("/admin/reports", { headers: { cookie, accept: "application/json" } }));
    const body = await res.json() as { sections: { figures: { label: string; value: { cents: number } }[] }[] };
    return body.sections[0]!.figures.find((f) => f.label === "Gross sales")!.value.cents;
  };

  it("reads reports from the replica when REPORTS_DATABASE_URL is set, as the tenant role there too", async () => {
    expect(await gross(withReplica)).toBe(1000);
    await replay(false);
    await sellOne(rid, 500);
    // The standby has not replayed the new order yet: the report, read there, does not have it.
    expect(await gross(withReplica)).toBe(1000);
    // Without a reports database the primary answers, and has it.
    expect(await gross(withoutReplica)).toBe(1500);
    await replay(true);
    await caughtUp();
    expect(await gross(withReplica)).toBe(1500);
  });

  it("keeps another restaurant's rows out on the replica (row-level security replicates with the data)", async () => {
    const other = (await makeRestaurant(primary.db, "replica-b")).id;
    await sellOne(other, 77_700);
    await caughtUp();
    expect(await gross(withReplica)).toBe(1500);
  });
});

describe("REPORTS_DATABASE_URL", () => {
  it("is refused without DATABASE_URL, naming the variable: the embedded database has no replica", async () => {
    const { loadConfig } = await import("../../src/config");
    expect(() => loadConfig({ NODE_ENV: "test", REPORTS_DATABASE_URL: "postgres://r@127.0.0.1:5433/ros" })).toThrow("REPORTS_DATABASE_URL needs DATABASE_URL");
    expect(() => loadConfig({ NODE_ENV: "test", DATABASE_URL: "postgres://p@127.0.0.1/ros", REPORTS_DATABASE_URL: "http://replica" })).toThrow(/REPORTS_DATABASE_URL/);
    expect(loadConfig({ NODE_ENV: "test", DATABASE_URL: "postgres://p@127.0.0.1/ros" }).reportsDatabaseUrl).toBeNull();
  });
});
