import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./ops/logger";
import { openAndMigrate, StartupError } from "./boot";
import { createRestaurant } from "./restaurants/service";
import { seedDemo } from "./restaurants/demo";
import { printDemo } from "./cli/print";
import { HttpError } from "./http/errors";
import { BACKUP_USAGE, backupCommand } from "./cli/backup-command";
import { BackupError } from "./cli/backup";

const USAGE = `Usage: bun run cli <command> [options]

Commands:
  migrate                                   apply pending database migrations
  create-restaurant --name NAME --slug SLUG --owner-email EMAIL [--time-zone TZ] [--currency USD] [--tax-bps 875]
                                            create a restaurant; prints the owner's one-time password and the API key
  seed-demo [--slug demo]                   create a demo restaurant with menu, stations and staff
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
  };
  const spec = specs[command];
  if (!spec) usage(`unknown command "${command}"`);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: spec, strict: true, allowPositionals: false }) as { values: Record<string, string | undefined> });
  } catch (error) {
    usage((error as Error).message);
  }
  if (command === "create-restaurant") {
    for (const required of ["name", "slug", "owner-email"]) if (!values[required]) usage(`create-restaurant needs --${required}`);
    if (values["tax-bps"] !== undefined && !/^\d+$/.test(values["tax-bps"])) usage("--tax-bps must be a whole number of basis points");
  }

  const config = loadConfig();
  const log = createLogger({ ...config, logLevel: config.logLevel === "info" ? "warn" : config.logLevel });
  const database = await openAndMigrate(config, log);
  try {
    if (command === "migrate") {
      console.log("Migrations are up to date.");
    } else if (command === "create-restaurant") {
      const created = await createRestaurant(database.db, {
        name: values.name!, slug: values.slug!, ownerEmail: values["owner-email"]!, timeZone: values["time-zone"],
        currency: values.currency, taxRateBps: values["tax-bps"] === undefined ? undefined : Number(values["tax-bps"]),
      });
      console.log(`Created restaurant "${created.restaurant.name}" (slug ${created.restaurant.slug}, id ${created.restaurant.id}).`);
      console.log(created.ownerPassword
        ? `Owner ${values["owner-email"]} one-time password (shown once): ${created.ownerPassword}`
        : `Owner ${values["owner-email"]} already had an account; they keep their password.`);
      console.log(`API key (shown once): ${created.apiKey}`);
    } else if (command === "seed-demo") {
      printDemo(await seedDemo(database.db, config.pinPepper, values.slug ?? "demo"), `http://localhost:${config.port}`);
    }
  } finally {
    await database.close();
  }
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
