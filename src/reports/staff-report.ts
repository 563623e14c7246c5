import type { Tx } from "../db/tenant";
import { roundDiv } from "../money";
import * as st from "./staff-queries";
import { clock } from "./clock";
import type { Section } from "./model";
import { money, type ReportTable } from "./tables";
import type { Scope } from "./scope";

const ACTION_LABELS: Record<string, string> = { "order.void": "Void", "order.void_override": "Void (PIN override)", "order.discount": "Discount" };

type Person = { name: string; orders: number; net: number; discountsOnOrders: number; voidsAsked: number; voidsAskedCents: number; voidsApproved: number; voidsApprovedCents: number; discountsGiven: number; discountsGivenCents: number };

/** Per person: orders and sales they opened, voids they asked for and approved, discounts they gave. */
export async function staffSection(tx: Tx, s: Scope): Promise<Section> {
  const multiDay = s.period.from !== s.period.to;
  const [sales, exceptions] = await Promise.all([st.salesByStaff(tx, s), st.voidsAndDiscounts(tx, s)]);
  const people = new Map<string, Person>();
  const person = (id: string | null, name: string | null) => {
    const key = id ?? "none";
    let p = people.get(key);
    if (!p) people.set(key, (p = { name: name ?? (id ? "Former staff" : "API / device"), orders: 0, net: 0, discountsOnOrders: 0, voidsAsked: 0, voidsAskedCents: 0, voidsApproved: 0, voidsApprovedCents: 0, discountsGiven: 0, discountsGivenCents: 0 }));
    return p;
  };
  for (const r of sales) Object.assign(person(r.userId, r.name), { orders: r.orders, net: r.net, discountsOnOrders: r.discounts });
  for (const e of exceptions) {
    if (e.action === "order.discount") {
      const p = person(e.askedById, e.askedBy);
      p.discountsGiven += 1; p.discountsGivenCents += e.cents;
      continue;
    }
    const asker = person(e.askedById, e.askedBy);
    asker.voidsAsked += 1; asker.voidsAskedCents += e.cents;
    const approver = person(e.approvedById, e.approvedBy);
    approver.voidsApproved += 1; approver.voidsApprovedCents += e.cents;
  }
  const tables: ReportTable[] = [
    { key: "staff", title: "By person", empty: "No orders or exceptions.",
      columns: ["Person", "Orders", "Net sales", "Average check", "Discounts on their orders", "Voids asked", "Voids asked value", "Voids approved", "Voids approved value", "Discounts given", "Discounts given value"],
      rows: [...people.values()].sort((a, b) => b.net - a.net || a.name.localeCompare(b.name)).map((p) => [
        p.name, p.orders, money(p.net), money(p.orders ? roundDiv(p.net, p.orders) : 0), money(p.discountsOnOrders),
        p.voidsAsked, money(p.voidsAskedCents), p.voidsApproved, money(p.voidsApprovedCents), p.discountsGiven, money(p.discountsGivenCents),
      ]) },
    { key: "exceptions", title: "Voids and discounts (who asked, who approved)", empty: "No voids or discounts.",
      columns: ["When", "What", "Order", "Item", "Amount", "Reason", "Asked by", "Approved by"],
      rows: exceptions.map((e) => [clock(e.at, s.timeZone, multiDay), ACTION_LABELS[e.action] ?? e.action, e.number === null ? "" : `#${e.number}`, e.item ?? "",
        money(e.cents), e.reason ?? "", e.askedBy ?? "", e.approvedBy ?? ""]) },
  ];
  return { key: "staff", title: "Staff", tables };
}
