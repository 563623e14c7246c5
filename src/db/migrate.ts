import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { rowsOf, type Database } from "./client";

export const migrationsFolder = join(import.meta.dir, "../../drizzle");

/** Applies the migrations in drizzle/ that have not run yet and names them; a second call does nothing. */
export async function migrate(database: Database): Promise<string[]> {
  const before = await appliedMigrationCount(database);
  if (database.kind === "pglite") await migratePglite(database.db as never, { migrationsFolder });
  else await migratePostgres(database.db as never, { migrationsFolder });
  // Migrations apply in journal order, so the ones this call ran are the journal's entries past `before`.
  return expectedMigrationTags().slice(before, await appliedMigrationCount(database));
}

/** The migrations drizzle/ holds, in the order they apply. */
export function expectedMigrationTags(): string[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}

export function expectedMigrationCount(): number {
  return expectedMigrationTags().length;
}

/** How many migrations the database has applied (0 when it never saw one). */
export async function appliedMigrationCount(database: Database): Promise<number> {
  const [table] = rowsOf<{ t: string | null }>(await database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`));
  if (!table?.t) return 0;
  const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  return Number(row?.n ?? 0);
}
