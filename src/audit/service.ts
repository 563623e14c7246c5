import { auditLog } from "../db/schema";
import type { Tx } from "../db/tenant";

export type AuditEntry = {
  restaurantId: string;
  action: string;
  actorUserId?: string | null;
  deviceId?: string | null;
  ip?: string | null;
  data?: Record<string, unknown>;
};

/** Records who did what, when, from which device — inside the caller's transaction, so it commits with the change. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    restaurantId: entry.restaurantId,
    action: entry.action,
    actorUserId: entry.actorUserId ?? null,
    deviceId: entry.deviceId ?? null,
    ip: entry.ip ?? null,
    data: entry.data ?? {},
  });
}
