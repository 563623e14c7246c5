import type { Db } from "../db/client";
import { restaurantBySlug } from "../restaurants/service";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, type KeyActor } from "../api-keys/service";

export const API_KEY_ACTIONS = ["list", "create", "revoke", "rotate"] as const;
export type ApiKeyAction = (typeof API_KEY_ACTIONS)[number];

/** `api-keys list|create|revoke|rotate --slug S [--name N] [--id ID]`: the admin page's actions, audited as the CLI's. */
/** What to print, returned rather than printed: the CLI prints only once the database has closed cleanly. */
export async function apiKeysCommand(db: Db, action: ApiKeyAction, values: Record<string, string | undefined>): Promise<string[]> {
  const out: string[] = [];
  const restaurant = await restaurantBySlug(db, values.slug!);
  const actor: KeyActor = { restaurantId: restaurant.id, userId: null, ip: null, via: "cli" };
  if (action === "list") {
    const keys = await listApiKeys(db, restaurant.id);
    if (!keys.length) out.push(`No API keys in ${restaurant.slug}.`);
    for (const k of keys) {
      const status = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
      out.push(`${k.id}  ${k.prefix}…  ${JSON.stringify(k.name)}  created ${k.createdAt.toISOString()} by ${k.createdBy ?? "set-up/CLI"}  last used ${k.lastUsedAt?.toISOString() ?? "never"}  ${status}`);
    }
  } else if (action === "create") {
    const key = await createApiKey(db, actor, values.name ?? "");
    out.push(`Created API key ${JSON.stringify(key.name)} (id ${key.id}).`);
    out.push(`API key (shown once): ${key.secret}`);
  } else if (action === "revoke") {
    const key = await revokeApiKey(db, actor, values.id ?? "");
    out.push(`Revoked API key ${JSON.stringify(key.name)} (id ${key.id}); its open streams end now.`);
  } else {
    const key = await rotateApiKey(db, actor, values.id ?? "");
    out.push(`Rotated API key ${JSON.stringify(key.name)}: the old secret no longer works. New id ${key.id}.`);
    out.push(`API key (shown once): ${key.secret}`);
  }
  return out;
}
