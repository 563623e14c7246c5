import type { Db } from "./client";

// Which pool runs a database's tenant transactions (src/db/client.ts openTenantPool). Kept beside the
// Db handle rather than in it, so every caller keeps passing the one `db` it already has.
const tenantPools = new WeakMap<Db, Db>();

export function useTenantPool(ownerDb: Db, tenantDb: Db): void {
  tenantPools.set(ownerDb, tenantDb);
}

/** The pool logged in as the tenant role, or null where there is none (PGlite, or before it is opened). */
export function tenantPoolOf(db: Db): Db | null {
  return tenantPools.get(db) ?? null;
}
