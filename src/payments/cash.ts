import { currencyDecimals } from "../money";

/**
 * Banknotes in circulation, in minor units, for the quick-cash buttons. A currency not listed falls
 * back to 1, 2, 5 x powers of ten of its major unit, which is how most note series run.
 */
const NOTES: Record<string, number[]> = {
  USD: [100, 500, 1000, 2000, 5000, 10000],
  CAD: [500, 1000, 2000, 5000, 10000],
  EUR: [500, 1000, 2000, 5000, 10000, 20000],
  GBP: [500, 1000, 2000, 5000],
  AUD: [500, 1000, 2000, 5000, 10000],
  JPY: [1000, 2000, 5000, 10000],
  CHF: [1000, 2000, 5000, 10000, 20000],
  IDR: [1000, 2000, 5000, 10000, 20000, 50000, 100000],
};

export function notesOf(currency: string): number[] {
  const listed = NOTES[currency.toUpperCase()];
  if (listed) return listed;
  const unit = 10 ** currencyDecimals(currency);
  return [1, 2, 5, 10, 20, 50, 100].map((n) => n * unit);
}

/** The amounts a guest is likely to hand over for `due`: the next whole unit and the next round notes. */
export function quickCash(due: number, currency: string, count = 4): number[] {
  if (due <= 0) return [];
  const unit = 10 ** currencyDecimals(currency);
  const candidates = [unit, ...notesOf(currency)].map((step) => Math.ceil(due / step) * step).filter((v) => v > due);
  return [...new Set(candidates)].sort((a, b) => a - b).slice(0, count);
}
