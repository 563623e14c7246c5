import { createHash, createHmac, randomBytes } from "node:crypto";

/** Passwords: argon2id through Bun.password (salted, memory-hard). */
export const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: "argon2id" });
export const verifyPassword = (password: string, hash: string) => Bun.password.verify(password, hash);

/** A readable one-time password: 4 groups of 4 from an alphabet without look-alikes. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** Opaque bearer tokens (API keys, device tokens, session ids): random, stored only as SHA-256. */
export function generateToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * PINs are short, so a plain hash is brute-forced in seconds; HMAC with a server-side pepper keeps a
 * database dump useless. Deterministic so a PIN is unique per restaurant and found by one lookup.
 */
export function pinDigest(pepper: string, restaurantId: string, pin: string): string {
  return createHmac("sha256", pepper).update(`${restaurantId}:${pin}`).digest("hex");
}
