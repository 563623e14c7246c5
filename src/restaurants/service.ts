import type { Db } from "../db/client";
import { withSystem } from "../db/tenant";
import { conflict, badRequest, HttpError } from "../http/errors";
import { generatePassword, generateToken, hashPassword, sha256 } from "../auth/secrets";
import { isUniqueViolation } from "../db/errors";
import * as q from "./queries";
import * as people from "../auth/people";
import { optionalText, requiredText } from "../text";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type NewRestaurant = {
  name: string;
  slug: string;
  ownerEmail: string;
  ownerName?: string;
  timeZone?: string;
  currency?: string;
  taxRateBps?: number;
  taxInclusive?: boolean;
};

export type CreatedRestaurant = {
  restaurant: Awaited<ReturnType<typeof q.insertRestaurant>>;
  ownerId: string;
  /** Set only when the owner is a new user: shown once, never stored in clear. */
  ownerPassword: string | null;
  apiKey: string;
};

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateNewRestaurant(input: NewRestaurant): void {
  requiredText(input.name, "name", { label: "Name", max: 120, empty: "Name must be 1 to 120 characters" });
  if (!SLUG_PATTERN.test(input.slug ?? "")) {
    throw badRequest("Slug must be 1 to 40 lowercase letters, digits or dashes, not starting or ending with a dash", "slug");
  }
  const ownerEmail = optionalText(input.ownerEmail, "ownerEmail", { label: "Owner email", max: 254 }) ?? "";
  if (!EMAIL_PATTERN.test(ownerEmail) || ownerEmail !== input.ownerEmail) throw badRequest("Owner email is not a valid email address", "ownerEmail");
  if (input.timeZone && !isValidTimeZone(input.timeZone)) throw badRequest(`Unknown time zone "${input.timeZone}" (use an IANA name like Europe/London)`, "timeZone");
  if (input.currency && !/^[A-Z]{3}$/.test(input.currency)) throw badRequest("Currency must be a 3-letter ISO code like USD", "currency");
  if (input.taxRateBps !== undefined && (!Number.isInteger(input.taxRateBps) || input.taxRateBps < 0 || input.taxRateBps > 5000)) {
    throw badRequest("Tax rate must be 0 to 5000 basis points (0% to 50%)", "taxRateBps");
  }
}

/** Creates a restaurant, its owner (or adds an existing user as owner) and its first API key, all or nothing. */
export async function createRestaurant(db: Db, input: NewRestaurant): Promise<CreatedRestaurant> {
  validateNewRestaurant(input);
  const apiKey = generateToken("ros_key");
  const ownerPassword = generatePassword();
  const passwordHash = await hashPassword(ownerPassword);
  try {
    return await insertAll(db, input, passwordHash, ownerPassword, apiKey);
  } catch (error) {
    // Two creators racing past the slug check: the unique index decides, and the loser is told plainly.
    if (isUniqueViolation(error)) throw conflict(`A restaurant with slug "${input.slug}" already exists`, "slug");
    throw error;
  }
}

function insertAll(db: Db, input: NewRestaurant, passwordHash: string, newPassword: string, apiKey: string): Promise<CreatedRestaurant> {
  let ownerPassword: string | null = newPassword;
  return withSystem(db, async (tx) => {
    if (await q.findRestaurantBySlug(tx, input.slug)) throw conflict(`A restaurant with slug "${input.slug}" already exists`, "slug");
    const restaurant = await q.insertRestaurant(tx, {
      name: input.name.trim(),
      slug: input.slug,
      timeZone: input.timeZone ?? "UTC",
      currency: input.currency ?? "USD",
      taxRateBps: input.taxRateBps ?? 0,
      taxInclusive: input.taxInclusive ?? false,
    });
    let owner = await people.findUserByEmail(tx, input.ownerEmail);
    if (owner) ownerPassword = null;
    else owner = await people.insertUser(tx, { email: input.ownerEmail.toLowerCase(), name: input.ownerName ?? "Owner", passwordHash, mustChangePassword: true });
    await people.insertMembership(tx, { restaurantId: restaurant.id, userId: owner.id, role: "owner" });
    await q.insertApiKey(tx, { restaurantId: restaurant.id, name: "Default key", prefix: apiKey.slice(0, 12), keyHash: sha256(apiKey) });
    return { restaurant, ownerId: owner.id, ownerPassword, apiKey };
  });
}

/** The restaurant with this slug, for the CLI; a clear 404 naming the slug otherwise. */
export async function restaurantBySlug(db: Db, slug: string) {
  const restaurant = await withSystem(db, (tx) => q.findRestaurantBySlug(tx, slug));
  if (!restaurant) throw new HttpError(404, "not_found", `No restaurant with slug "${slug}".`, "slug");
  return restaurant;
}
