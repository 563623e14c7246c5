export { formatMoney as money, signedMoney } from "../../src/money";
export const ORDER_TYPE_LABELS = { dine_in: "Dine-in", takeout: "Takeout", delivery: "Delivery", kiosk: "Kiosk" } as const;
