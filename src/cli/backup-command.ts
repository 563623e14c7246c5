import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { backup, restore } from "./backup";

export const BACKUP_USAGE = `  backup                                    write a compressed, timestamped backup to BACKUP_DIR (pg_dump for
                                            Postgres, the data directory for embedded PGlite), delete those older
                                            than BACKUP_KEEP_DAYS, and print the path written
  restore FILE [--force]                    restore FILE into the database DATABASE_URL (or DATA_DIR) names, which
                                            must be empty (--force replaces it), then verify it
`;

/** `bun run cli backup` and `bun run cli restore FILE [--force]`; returns the exit code. */
export async function backupCommand(command: "backup" | "restore", args: string[], usage: (message: string) => never): Promise<number> {
  let positionals: string[];
  let values: { force?: boolean };
  try {
    ({ positionals, values } = parseArgs({ args, options: command === "restore" ? { force: { type: "boolean" } } : {}, strict: true, allowPositionals: command === "restore" }) as { positionals: string[]; values: { force?: boolean } });
  } catch (error) {
    usage((error as Error).message);
  }
  const config = loadConfig();
  if (command === "backup") {
    const started = performance.now();
    const { path, manifest, deleted } = await backup(config);
    const rows = Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);
    console.error(`Backed up ${rows} rows in ${Object.keys(manifest.rowCounts).length} tables in ${((performance.now() - started) / 1000).toFixed(1)} s; manifest at ${path}.json.`);
    for (const name of deleted) console.error(`Deleted ${name} (older than ${config.backupKeepDays} days).`);
    // The path alone on stdout, so a script can capture it.
    console.log(path);
    return 0;
  }
  if (positionals.length !== 1) usage("restore needs exactly one FILE");
  const result = await restore(config, positionals[0]!, values.force === true);
  console.log(`Restored ${positionals[0]} into ${result.target}.`);
  for (const line of result.lines) console.log(`  ${line}`);
  console.log(result.ok ? "Verified." : "VERIFICATION FAILED: see the lines above.");
  return result.ok ? 0 : 1;
}
