import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt } from "node:crypto";

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

const sealKey = (pepper: string) => Buffer.from(hkdfSync("sha256", pepper, "", "ros sealed secret v1", 32));

/**
 * Secrets the server must read back (TOTP seeds) are stored sealed with AES-256-GCM under a key derived
 * from the PIN pepper, so a database dump alone does not hand out second factors.
 */
export function sealSecret(pepper: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(pepper), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/** Opens a sealed secret; null if it was tampered with or sealed under another pepper. */
export function openSecret(pepper: string, sealed: string): string | null {
  if (!sealed.startsWith("v1:")) return null;
  const raw = Buffer.from(sealed.slice(3), "base64url");
  if (raw.length < 29) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealKey(pepper), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** Recovery codes carry ~50 bits; a peppered HMAC keeps a dump from being brute-forced offline. */
export function recoveryCodeDigest(pepper: string, code: string): string {
  return createHmac("sha256", pepper).update(`recovery:${normalizeRecoveryCode(code)}`).digest("hex");
}

export const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Ten one-time recovery codes like "k7dmp-x3rta", shown once. */
export function generateRecoveryCodes(count = 10): string[] {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}
