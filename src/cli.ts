import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "./config";
import { createLogger } from "./ops/logger";
import { openAndMigrate, StartupError } from "./boot";
import { createRestaurant } from "./restaurants/service";
import { seedDemo } from "./restaurants/demo";
import { demoLines, signInUrl } from "./cli/print";
import { expectedMigrationCount } from "./db/migrate";
import type { Db } from "./db/client";
import { API_KEY_ACTIONS, apiKeysCommand, type ApiKeyAction } from "./cli/api-keys";
import { HttpError } from "./http/errors";
import { BACKUP_USAGE, backupCommand } from "./cli/backup-command";
import { BackupError } from "./cli/backup";
import { squareReconcileCommand } from "./cli/square";

const USAGE = `Usage: bun run cli <command> [options]

Commands:
  migrate                                   apply pending database migrations
  create-restaurant --name NAME --slug SLUG --owner-email EMAIL [--time-zone TZ] [--currency USD] [--tax-bps 875]
                                            create a restaurant; prints the owner's one-time password and the API key
  seed-demo [--slug demo]                   create a demo restaurant with menu, stations and staff
  api-keys list --slug SLUG                 list a restaurant's API keys (id, start, name, created, last used, status)
  api-keys create --slug SLUG --name NAME   make a key; prints its secret once
  api-keys revoke --slug SLUG --id ID       revoke a key at once (its open event streams end)
  api-keys rotate --slug SLUG --id ID       replace a key's secret; prints the new one once
  square-reconcile --slug SLUG [--date YYYY-MM-DD]
                                            compare a business day's card tenders with Square's payments (lines starting DIFF)
${BACKUP_USAGE}`;

function usage(message?: string): never {
  if (message) console.error(`error: ${message}\n`);
  console.error(USAGE);
  process.exit(2);
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") usage();
  // Backup and restore open the database their own way (a restore must not migrate an empty one first).
  if (command === "backup" || command === "restore") process.exit(await backupCommand(command, rest, usage));
  const specs: Record<string, Record<string, { type: "string" }>> = {
    migrate: {},
    "create-restaurant": { name: { type: "string" }, slug: { type: "string" }, "owner-email": { type: "string" }, "time-zone": { type: "string" }, currency: { type: "string" }, "tax-bps": { type: "string" } },
    "seed-demo": { slug: { type: "string" } },
    "api-keys": { slug: { type: "string" }, name: { type: "string" }, id: { type: "string" } },
    "square-reconcile": { slug: { type: "string" }, date: { type: "string" } },
  };
  const spec = specs[command];
  if (!spec) usage(`unknown command "${command}"`);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: command === "api-keys" ? rest.slice(1) : rest, options: spec, strict: true, allowPositionals: false }) as { values: Record<string, string | undefined> });
  } catch (error) {
    usage((error as Error).message);
  }
  if (command === "create-restaurant") {
    for (const required of ["name", "slug", "owner-email"]) if (!values[required]) usage(`create-restaurant needs --${required}`);
    if (values["tax-bps"] !== undefined && !/^\d+$/.test(values["tax-bps"])) usage("--tax-bps must be a whole number of basis points");
  }
  if (command === "square-reconcile" && !values.slug) usage("square-reconcile needs --slug");
  const keyAction = rest[0] as ApiKeyAction;
  if (command === "api-keys") {
    if (!API_KEY_ACTIONS.includes(keyAction)) usage(`api-keys needs one of: ${API_KEY_ACTIONS.join(", ")}`);
    if (!values.slug) usage("api-keys needs --slug");
    if (keyAction === "create" && !values.name) usage("api-keys create needs --name");
    if ((keyAction === "revoke" || keyAction === "rotate") && !values.id) usage(`api-keys ${keyAction} needs --id (see api-keys list)`);
  }

  const config = loadConfig();
  const log = createLogger({ ...config, logLevel: config.logLevel === "info" ? "warn" : config.logLevel });
  const { database, applied } = await openAndMigrate(config, log, { role: "cli" });
  let output: string[];
  try {
    output = [...appliedLines(command, applied), ...await runCommand(command, values, database.db, config, keyAction)];
  } finally {
    await database.close();
  }
  // Printed only once the database is closed, its writes flushed: success is never claimed for a write that was lost.
  console.log(output.join("\n"));
}

function appliedLines(command: string, applied: string[]): string[] {
  if (applied.length) return [`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}: ${applied.join(", ")}.`];
  return command === "migrate" ? [`Migrations are up to date (${expectedMigrationCount()} applied, nothing new).`] : [];
}

async function runCommand(command: string, values: Record<string, string | undefined>, db: Db, config: Config, keyAction: ApiKeyAction): Promise<string[]> {
  if (command === "api-keys") return apiKeysCommand(db, keyAction, values);
  if (command === "create-restaurant") {
    const created = await createRestaurant(db, {
      name: values.name!, slug: values.slug!, ownerEmail: values["owner-email"]!, timeZone: values["time-zone"],
      currency: values.currency, taxRateBps: values["tax-bps"] === undefined ? undefined : Number(values["tax-bps"]),
    });
    return [
      `Created restaurant "${created.restaurant.name}" (slug ${created.restaurant.slug}, id ${created.restaurant.id}).`,
      created.ownerPassword
        ? `Owner ${values["owner-email"]} one-time password (shown once): ${created.ownerPassword}`
        : `Owner ${values["owner-email"]} already had an account; they keep their password.`,
      `API key (shown once): ${created.apiKey}`,
    ];
  }
  if (command === "square-reconcile") return (await squareReconcileCommand(db, config, values)).lines;
  if (command === "seed-demo") return demoLines(await seedDemo(db, config.pinPepper, values.slug ?? "demo"), signInUrl(config));
  return [];
}

main(process.argv.slice(2)).then(() => process.exit(0)).catch((error) => {
  if (error instanceof HttpError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof BackupError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`restaurant-os: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
