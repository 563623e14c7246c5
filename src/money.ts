/**
 * The one money module. Amounts are integers in the currency's minor units everywhere (1295 = $12.95,
 * 1200 = ¥1,200, 1250 = 1.250 KWD); the number of decimals comes from the currency: 2 for USD or EUR,
 * 0 for JPY, 3 for KWD. Parsing, formatting, rounding and splitting of money live here and nowhere else.
 */

// Intl.NumberFormat is costly to build (about 0.15 ms) and cheap to use, so one per currency is kept.
const formats = new Map<string, Intl.NumberFormat | null>();
function currencyFormat(currency: string): Intl.NumberFormat | null {
  let format = formats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat("en", { style: "currency", currency });
    } catch {
      format = null;
    }
    formats.set(currency, format);
  }
  return format;
}

export function currencyDecimals(currency: string): number {
  return currencyFormat(currency)?.resolvedOptions().maximumFractionDigits ?? 2;
}

/** a / b rounded half-up, for non-negative a and positive b. */
export function roundDiv(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

/**
 * Splits `amount` in proportion to `weights` (largest remainder): the parts always add up to `amount`,
 * and a remainder unit goes to the largest fractional part, ties to the earlier weight, so the same
 * input always splits the same way.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0 || amount === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (amount * w) / total);
  const floors = exact.map(Math.floor);
  let left = amount - floors.reduce((s, f) => s + f, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}

/**
 * An amount as a person types it, in the currency's units: "12.95" -> 1295 (USD), "1200" -> 1200 (JPY).
 * Null when it is not a non-negative amount with at most the currency's decimals (a comma is taken as
 * the decimal mark, as on a numeric keypad).
 */
export function parseMoney(text: string, currency: string): number | null {
  const decimals = currencyDecimals(currency);
  const m = decimals === 0 ? /^\s*(\d{1,9})\s*$/.exec(text) : new RegExp(`^\\s*(\\d{1,7})(?:[.,](\\d{1,${decimals}}))?\\s*$`).exec(text);
  if (!m) return null;
  return Number(m[1]) * 10 ** decimals + Number((m[2] ?? "").padEnd(decimals, "0") || "0");
}

/** The largest price we accept, in major units: a typo guard, far above any menu item. */
export const MAX_PRICE_MAJOR = 100_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * "12.95" -> 1295. A leading currency symbol and spaces are tolerated; thousands separators are not,
 * because "1,250" means 1.25 in half the world and 1250 in the other half.
 */
export function parsePrice(raw: string, currency: string, options: { signed?: boolean } = {}): Parsed<number> {
  const decimals = currencyDecimals(currency);
  const example = decimals === 0 ? "1200" : `12.${"95".padEnd(decimals, "0").slice(0, decimals)}`;
  // Drop a currency symbol or code in front of a number ("$12.95", "EUR 9"), never the whole input.
  const text = raw.trim().replace(/^([+-]?)\s*[^\d\s.,+-]{1,3}\s*(?=\d)/u, "$1");
  if (text === "") return { ok: false, message: `Enter a price, like ${example}` };
  const pattern = decimals === 0 ? /^([+-]?)(\d+)$/ : new RegExp(`^([+-]?)(\\d+)(?:\\.(\\d{1,${decimals}}))?$`);
  const match = pattern.exec(text);
  if (!match) {
    if (/^-/.test(text) && !options.signed) return { ok: false, message: "A price cannot be negative" };
    return { ok: false, message: `Enter a price as a number with at most ${decimals} decimals, like ${example}` };
  }
  const [, sign, whole, fraction = ""] = match;
  if (sign === "-" && !options.signed) return { ok: false, message: "A price cannot be negative" };
  if (Number(whole) >= MAX_PRICE_MAJOR) return { ok: false, message: `A price must be below ${MAX_PRICE_MAJOR.toLocaleString("en")}` };
  const minor = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0");
  return { ok: true, value: sign === "-" ? -minor : minor };
}

/** 1295 -> "12.95": the value an input field shows. Signed deltas keep their sign ("-0.50", "1.50"). */
export function priceInputValue(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const unit = 10 ** decimals;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(decimals, "0")}`;
}

/** 1295 -> "$12.95" (USD), 1200 -> "¥1,200" (JPY), 1250 -> "KWD 1.250" for display. */
export function formatMoney(minor: number, currency: string): string {
  const format = currencyFormat(currency);
  return format ? format.format(minor / 10 ** currencyDecimals(currency)) : priceInputValue(minor, currency);
}

/** A signed amount for a modifier's price change on the POS: "+$1.50", "-$0.50", or "" for none. */
export function signedMoney(minor: number, currency: string): string {
  return minor > 0 ? `+${formatMoney(minor, currency)}` : minor < 0 ? formatMoney(minor, currency) : "";
}

/** "8.25" (percent) -> 825 basis points; 0% to 50%. */
export function parsePercent(raw: string): Parsed<number> {
  const text = raw.trim().replace(/\s*%$/, "");
  const match = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { ok: false, message: "Enter a rate in percent with at most 2 decimals, like 8.25" };
  const bps = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (bps > 5000) return { ok: false, message: "A tax rate must be between 0% and 50%" };
  return { ok: true, value: bps };
}

/** 825 -> "8.25" */
export function percentInputValue(bps: number): string {
  const whole = Math.floor(bps / 100);
  const fraction = bps % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, "0").replace(/0$/, "")}`;
}
