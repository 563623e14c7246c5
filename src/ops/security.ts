import type { Config } from "../config";

/**
 * Headers for every response. Scripts only from our origin and carrying this request's nonce; no
 * 'unsafe-eval' (Alpine runs as its CSP build); nothing may frame us (clickjacking on POS buttons).
 */
export function securityHeaders(nonce: string, config: Pick<Config, "nodeEnv">): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(self), geolocation=()",
  };
  if (config.nodeEnv === "production") headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
