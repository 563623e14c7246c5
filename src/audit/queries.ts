import { and, desc, eq, like, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditLog, devices, users } from "../db/schema";
import type { Tx } from "../db/tenant";

const actor = alias(users, "actor");

/** A page of the restaurant's audit log, newest first, with who and which device by name. */
export async function listAudit(tx: Tx, restaurantId: string, opts: { offset: number; prefixes?: string[]; limit: number }) {
  return tx.select({
    id: auditLog.id, action: auditLog.action, data: auditLog.data, ip: auditLog.ip, createdAt: auditLog.createdAt,
    actorName: actor.name, deviceName: devices.name,
  }).from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorUserId))
    .leftJoin(devices, and(eq(devices.restaurantId, auditLog.restaurantId), eq(devices.id, auditLog.deviceId)))
    .where(and(
      eq(auditLog.restaurantId, restaurantId),
      opts.prefixes?.length ? or(...opts.prefixes.map((p) => like(auditLog.action, `${p}%`))) : undefined,
    ))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(opts.limit)
    .offset(opts.offset);
}
