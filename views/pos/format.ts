import { formatMoney } from "../../src/orders/pricing";

export const money = (cents: number, currency: string) => formatMoney(cents, currency);
export const signedMoney = (cents: number, currency: string) => (cents > 0 ? `+${formatMoney(cents, currency)}` : cents < 0 ? formatMoney(cents, currency) : "");
export const ORDER_TYPE_LABELS = { dine_in: "Dine-in", takeout: "Takeout", delivery: "Delivery", kiosk: "Kiosk" } as const;
