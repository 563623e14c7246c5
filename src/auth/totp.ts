import { HOTP, Secret, TOTP } from "otpauth";

/**
 * RFC 6238 TOTP with the parameters every authenticator app supports: SHA-1, 6 digits, 30 s steps.
 * The HMAC, base32 and otpauth:// URI come from the `otpauth` library (kept, RFC-vector tested, constant-
 * time compare); what is ours is the replay rule: a code works once.
 */
export const TOTP_STEP_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = "SHA1";

export const base32Encode = (bytes: Uint8Array): string => new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32;

/** Throws on text that is not base32 (spaces, dashes and padding are tolerated, as apps print them). */
export const base32Decode = (text: string): Buffer => Buffer.from(Secret.fromBase32(text.toUpperCase().replace(/[\s=-]/g, "")).bytes);

/** 160 random bits, the size RFC 4226 recommends for HMAC-SHA1. */
export const generateTotpSecret = () => new Secret({ size: 20 }).base32;

export function totpAt(secret: Buffer, step: number): string {
  return HOTP.generate({ secret: new Secret({ buffer: Uint8Array.from(secret).buffer }), algorithm: ALGORITHM, digits: DIGITS, counter: step });
}

export const currentStep = (nowMs = Date.now()) => Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);

/**
 * Checks a code against the previous, current and next step (clocks drift) and returns the step it
 * matched, or null. A step at or before lastUsedStep is refused: a code works once (RFC 6238 §5.2).
 */
export function verifyTotp(secretBase32: string, code: string, lastUsedStep: number | null, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = currentStep(nowMs);
  const delta = HOTP.validate({ token: code, secret: Secret.fromBase32(secretBase32), algorithm: ALGORITHM, digits: DIGITS, counter: now, window: 1 });
  if (delta === null) return null;
  const step = now + delta;
  return lastUsedStep === null || step > lastUsedStep ? step : null;
}

/** The URI authenticator apps read from the QR code. */
export function otpauthUri(issuer: string, account: string, secretBase32: string): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secretBase32), algorithm: ALGORITHM, digits: DIGITS, period: TOTP_STEP_SECONDS }).toString();
}
