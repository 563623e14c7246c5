import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { withTenant } from "../db/tenant";
import { squareConnections, squareTerminals } from "../db/schema";
import { openSecret, sealSecret } from "../auth/secrets";
import { recordAudit } from "../audit/service";
import { badRequest } from "../http/errors";
import type { SquareAccess } from "./client";

export type ConnectionRow = typeof squareConnections.$inferSelect;
/** A connection with its secrets opened, for the calls that need them (never rendered). */
export type Connection = SquareAccess & { restaurantId: string; signatureKey: string | null; notificationUrl: string | null; deviceId: string | null; deviceCodeId: string | null; deviceCode: string | null };
/** What the settings page may show: no secret, only whether one is set. */
export type ConnectionSummary = { environment: "sandbox" | "production"; locationId: string; hasSignatureKey: boolean; notificationUrl: string | null; deviceId: string | null; deviceCode: string | null; updatedAt: Date };

export async function connectionRow(db: Db, restaurantId: string): Promise<ConnectionRow | null> {
  return withTenant(db, restaurantId, async (tx) => (await tx.select().from(squareConnections).where(eq(squareConnections.restaurantId, restaurantId)))[0] ?? null);
}

/** The opened connection, or null when none is set (card is then simply not offered). */
export async function loadConnection(db: Db, pepper: string, restaurantId: string): Promise<Connection | null> {
  const row = await connectionRow(db, restaurantId);
  if (!row) return null;
  const accessToken = openSecret(pepper, row.accessTokenSealed);
  // Sealed under another pepper (a restored dump on a new server): treat as not connected, never crash.
  if (!accessToken) return null;
  return {
    restaurantId, accessToken, environment: row.environment, locationId: row.locationId,
    signatureKey: row.signatureKeySealed ? openSecret(pepper, row.signatureKeySealed) : null,
    notificationUrl: row.notificationUrl, deviceId: row.deviceId, deviceCodeId: row.deviceCodeId, deviceCode: row.deviceCode,
  };
}

export function summarizeConnection(row: ConnectionRow | null): ConnectionSummary | null {
  if (!row) return null;
  return { environment: row.environment, locationId: row.locationId, hasSignatureKey: !!row.signatureKeySealed, notificationUrl: row.notificationUrl, deviceId: row.deviceId, deviceCode: row.deviceCode, updatedAt: row.updatedAt };
}

const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

export type ConnectInput = { environment?: unknown; accessToken?: unknown; locationId?: unknown; signatureKey?: unknown; notificationUrl?: unknown };

/**
 * Saves the owner's Square details. A blank token or key keeps the one stored (the page never shows
 * them back); the first connection needs a token. Audited without the secrets.
 */
export async function saveConnection(db: Db, pepper: string, restaurantId: string, input: ConnectInput, who: { userId: string | null; deviceId: string | null; ip: string | null }): Promise<void> {
  const environment = text(input.environment);
  if (environment !== "sandbox" && environment !== "production") throw badRequest("Choose sandbox or production", "environment");
  const locationId = text(input.locationId);
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(locationId)) throw badRequest("Enter the Square location id (letters and digits, from Square's Locations page)", "locationId");
  const accessToken = text(input.accessToken);
  if (accessToken && (accessToken.length < 16 || accessToken.length > 400 || /\s/.test(accessToken))) throw badRequest("The access token does not look like a Square token (a long string without spaces)", "accessToken");
  const signatureKey = text(input.signatureKey);
  if (signatureKey && (signatureKey.length < 8 || signatureKey.length > 200 || /\s/.test(signatureKey))) throw badRequest("The webhook signature key does not look right (copy it from the webhook subscription)", "signatureKey");
  const notificationUrl = text(input.notificationUrl);
  if (notificationUrl) {
    let parsed: URL | null = null;
    try { parsed = new URL(notificationUrl); } catch { /* refused below */ }
    if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) throw badRequest("The notification URL must be the full https:// address registered at Square", "notificationUrl");
  }
  await withTenant(db, restaurantId, async (tx) => {
    const [existing] = await tx.select().from(squareConnections).where(eq(squareConnections.restaurantId, restaurantId));
    if (!existing && !accessToken) throw badRequest("Enter the access token from the Square Developer Console", "accessToken");
    const values = {
      environment: environment as "sandbox" | "production", locationId,
      accessTokenSealed: accessToken ? sealSecret(pepper, accessToken) : existing!.accessTokenSealed,
      signatureKeySealed: signatureKey ? sealSecret(pepper, signatureKey) : existing?.signatureKeySealed ?? null,
      notificationUrl: notificationUrl || existing?.notificationUrl || null,
      connectedBy: who.userId, updatedAt: new Date(),
    };
    if (existing) await tx.update(squareConnections).set(values).where(eq(squareConnections.restaurantId, restaurantId));
    else await tx.insert(squareConnections).values({ restaurantId, ...values });
    await recordAudit(tx, {
      restaurantId, action: existing ? "square.connection_updated" : "square.connected", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip,
      data: { environment, locationId, tokenChanged: !!accessToken, signatureKeyChanged: !!signatureKey, notificationUrl: values.notificationUrl },
    });
  });
}

export async function disconnect(db: Db, restaurantId: string, who: { userId: string | null; deviceId: string | null; ip: string | null }): Promise<void> {
  await withTenant(db, restaurantId, async (tx) => {
    await tx.delete(squareConnections).where(eq(squareConnections.restaurantId, restaurantId));
    await recordAudit(tx, { restaurantId, action: "square.disconnected", actorUserId: who.userId, deviceId: who.deviceId, ip: who.ip, data: {} });
  });
}

export async function setPairing(db: Db, restaurantId: string, values: { deviceCodeId?: string | null; deviceCode?: string | null; deviceId?: string | null }): Promise<void> {
  await withTenant(db, restaurantId, (tx) => tx.update(squareConnections).set({ ...values, updatedAt: new Date() }).where(eq(squareConnections.restaurantId, restaurantId)));
}

export type TerminalRow = typeof squareTerminals.$inferSelect;

/** The Terminal paired to one POS device, if any. */
export async function terminalOf(db: Db, restaurantId: string, posDeviceId: string): Promise<TerminalRow | null> {
  return withTenant(db, restaurantId, async (tx) => (await tx.select().from(squareTerminals).where(and(eq(squareTerminals.restaurantId, restaurantId), eq(squareTerminals.posDeviceId, posDeviceId))))[0] ?? null);
}

export async function terminalByCode(db: Db, restaurantId: string, deviceCodeId: string): Promise<TerminalRow | null> {
  return withTenant(db, restaurantId, async (tx) => (await tx.select().from(squareTerminals).where(and(eq(squareTerminals.restaurantId, restaurantId), eq(squareTerminals.deviceCodeId, deviceCodeId))))[0] ?? null);
}

export async function setTerminal(db: Db, restaurantId: string, posDeviceId: string, values: { deviceCodeId?: string | null; deviceCode?: string | null; squareDeviceId?: string | null }): Promise<void> {
  await withTenant(db, restaurantId, (tx) => tx.insert(squareTerminals).values({ restaurantId, posDeviceId, ...values, updatedAt: new Date() })
    .onConflictDoUpdate({ target: [squareTerminals.restaurantId, squareTerminals.posDeviceId], set: { ...values, updatedAt: new Date() } }));
}
