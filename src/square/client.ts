import { SquareClient, SquareEnvironment, SquareError, SquareTimeoutError } from "square";
import { HttpError } from "../http/errors";

/** What a call to Square needs: who we are at Square and where Square is. */
export type SquareAccess = { accessToken: string; environment: "sandbox" | "production"; locationId: string };

/**
 * The one place a SquareClient is made. `baseUrl` (SQUARE_BASE_URL, tests and local fakes only) points
 * every call of the process elsewhere; otherwise the environment picks sandbox or production.
 *
 * Retries: the SDK itself retries 408, 429 and every 5xx (2 retries, exponential backoff, Retry-After
 * honoured; core/fetcher/requestWithRetries.js). We rely on that for every POST below, which is why each
 * one carries an idempotency key derived from our own rows: a retried create answers with the same object.
 */
export function squareClient(access: SquareAccess, baseUrl: string | null, opts: { timeoutInSeconds?: number; maxRetries?: number } = {}): SquareClient {
  return new SquareClient({
    token: access.accessToken,
    ...(baseUrl ? { baseUrl } : { environment: access.environment === "production" ? SquareEnvironment.Production : SquareEnvironment.Sandbox }),
    timeoutInSeconds: opts.timeoutInSeconds ?? 20,
    maxRetries: opts.maxRetries ?? 2,
  });
}

/** Square's first error, said plainly: its code and detail, for the POS and the logs. */
export function squareMessage(error: unknown): string {
  if (error instanceof SquareError) {
    const first = error.errors[0];
    if (first) return `${first.code}${first.detail ? `: ${first.detail}` : ""}`;
    return `Square answered ${error.statusCode ?? "without a status"}`;
  }
  if (error instanceof SquareTimeoutError) return "Square did not answer in time";
  return error instanceof Error ? error.message : String(error);
}

/** A declined card and friends: Square said no (4xx), as opposed to Square being unreachable. */
export const isSquareRefusal = (error: unknown) => error instanceof SquareError && !!error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 408 && error.statusCode !== 429;

/**
 * Square unreachable (timeout, connection dropped, 5xx or 429 after the SDK's own retries): the request
 * may or may not have reached Square, so nothing is settled; the POS says so and the same idempotency
 * key is used again when retrying.
 */
export function unreachable(error: unknown): HttpError {
  return new HttpError(502, "square_unreachable", `Square did not confirm (${squareMessage(error)}). Nothing was charged twice: try again, the same request is repeated safely.`);
}

/** Square's money is bigint minor units; ours is integer minor units (src/money.ts). */
export const toSquareMoney = (cents: number, currency: string) => ({ amount: BigInt(cents), currency: currency as never });
export const fromSquareMoney = (m: { amount?: bigint | null } | undefined | null): number => Number(m?.amount ?? 0n);
