import type { Db } from "../db/client";
import type { Config } from "../config";
import { businessDate } from "../orders/service";
import { formatMoney } from "../money";
import { restaurantBySlug } from "../restaurants/service";
import { reconcileDay } from "../square/reconcile";

/** `square-reconcile --slug S [--date YYYY-MM-DD]`: the admin button's comparison, printed; exit 1 on differences. */
export async function squareReconcileCommand(db: Db, config: Config, values: Record<string, string | undefined>): Promise<{ lines: string[]; differences: number }> {
  const restaurant = await restaurantBySlug(db, values.slug!);
  const date = values.date ?? businessDate(new Date(), restaurant.timeZone, restaurant.dayStartsAtHour);
  const r = await reconcileDay({ db, pepper: config.pinPepper, baseUrl: config.squareBaseUrl }, restaurant.id, date);
  const m = (c: number | null) => (c === null ? "-" : formatMoney(c, restaurant.currency));
  const lines = [
    `Card reconciliation for ${restaurant.slug} on ${date}`,
    `Here:   ${r.ourCount} card payments, ${m(r.ourTotalCents)} with tips`,
    `Square: ${r.squareCount} card payments, ${m(r.squareTotalCents)}`,
    ...(r.differences.length
      ? r.differences.map((d) => `DIFF ${d.kind}: ${d.note} (ours ${d.paymentId ?? "-"} ${m(d.ours)}, Square ${d.squarePaymentId ?? "-"} ${m(d.square)})`)
      : ["Everything matches."]),
  ];
  return { lines, differences: r.differences.length };
}
