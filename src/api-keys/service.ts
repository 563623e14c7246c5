import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { recordAudit } from "../audit/service";
import { appendEvent } from "../realtime/events";
import { badRequest, conflict, notFound } from "../http/errors";
import { generateToken, sha256 } from "../auth/secrets";
import * as q from "./queries";
import { UUID } from "../ids";

/** Who changes a key: a person in admin, or the CLI (no person, `via: "cli"` in the audit row). */
export type KeyActor = { restaurantId: string; userId: string | null; deviceId?: string | null; ip: string | null; via: "admin" | "cli" };
export type ApiKeyRow = Awaited<ReturnType<typeof q.listKeys>>[number];
/** A key just made: the secret is here once and never stored or shown again. */
export type IssuedKey = { id: string; name: string; prefix: string; secret: string };

const PREFIX_LENGTH = 12; // "ros_key_" and 4 random characters: enough to tell keys apart, useless to a guesser

export const listApiKeys = (db: Db, restaurantId: string) => withTenant(db, restaurantId, (tx) => q.listKeys(tx, restaurantId));

export function keyNameProblem(raw: string): string | null {
  const name = raw.trim();
  return name && name.length <= 60 ? null : "Give the key a name of 1 to 60 characters, like Delivery app.";
}

const auditRow = (a: KeyActor, action: string, data: Record<string, unknown>) => ({
  restaurantId: a.restaurantId, actorUserId: a.userId, deviceId: a.deviceId ?? null, ip: a.ip, action, data: { ...data, via: a.via },
});

async function issue(tx: Tx, a: KeyActor, name: string): Promise<IssuedKey> {
  const secret = generateToken("ros_key");
  const row = await q.insertKey(tx, { restaurantId: a.restaurantId, name, prefix: secret.slice(0, PREFIX_LENGTH), keyHash: sha256(secret), createdBy: a.userId });
  return { ...row, secret };
}

/** Makes a key; the secret is returned once. */
export async function createApiKey(db: Db, a: KeyActor, rawName: string): Promise<IssuedKey> {
  const problem = keyNameProblem(rawName);
  if (problem) throw badRequest(problem, "name");
  return withTenant(db, a.restaurantId, async (tx) => {
    const key = await issue(tx, a, rawName.trim());
    await recordAudit(tx, auditRow(a, "api_key.created", { apiKeyId: key.id, name: key.name, prefix: key.prefix }));
    return key;
  });
}

/** The live key, or a clear 404/409; read inside the transaction that changes it. */
async function liveKey(tx: Tx, restaurantId: string, id: string) {
  if (!UUID.test(id)) throw notFound("No such API key here.");
  const key = await q.revokeKey(tx, restaurantId, id);
  if (key) return key;
  if (await q.findKey(tx, restaurantId, id)) throw conflict("That API key is already revoked.");
  throw notFound("No such API key here.");
}

/**
 * Revokes a key at once: requests with it are refused from now on, and its open event streams end in
 * every process (the api_key.revoked event reaches each one's listener).
 */
export async function revokeApiKey(db: Db, a: KeyActor, id: string) {
  return withTenant(db, a.restaurantId, async (tx) => {
    const key = await liveKey(tx, a.restaurantId, id);
    await recordAudit(tx, auditRow(a, "api_key.revoked", { apiKeyId: key.id, name: key.name, prefix: key.prefix }));
    await appendEvent(tx, a.restaurantId, "api_key.revoked", { apiKeyId: key.id });
    return key;
  });
}

/** A new secret under the same name, the old key revoked in the same transaction; the new secret is returned once. */
export async function rotateApiKey(db: Db, a: KeyActor, id: string): Promise<IssuedKey> {
  return withTenant(db, a.restaurantId, async (tx) => {
    const old = await liveKey(tx, a.restaurantId, id);
    const key = await issue(tx, a, old.name);
    await recordAudit(tx, auditRow(a, "api_key.rotated", { apiKeyId: key.id, replaces: old.id, name: key.name, prefix: key.prefix, oldPrefix: old.prefix }));
    await appendEvent(tx, a.restaurantId, "api_key.revoked", { apiKeyId: old.id });
    return key;
  });
}
