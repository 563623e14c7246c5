import type { Db } from "../db/client";
import { withTenant, type Tx } from "../db/tenant";
import { HttpError } from "../http/errors";
import * as q from "./admin-queries";
import * as iq from "./import-queries";
import { loadMenuAdmin } from "./admin-read";
import { recordMenuChange } from "./change";
import { protectText, toCsv } from "./csv";
import { CSV_COLUMNS, LIST_SEPARATOR, MAX_IMPORT_BYTES, type CsvColumn } from "./csv-format";
import { planImport, type ImportPlan, type ImportProblem } from "./import-plan";
import { percentInputValue, priceInputValue } from "../money";
import type { MenuActor } from "./service";

export type { ImportProblem } from "./import-plan";

/** An import refused as a whole: nothing was written. Carries every problem found. */
export class ImportRefused extends HttpError {
  constructor(readonly problems: ImportProblem[], status = 422) {
    super(status, "import_refused", problems.length === 1 ? problems[0]!.message : `The file has ${problems.length} problems; nothing was imported`, problems[0]?.column || undefined);
  }
}

export type ImportSummary = { categories: number; items: number; groups: number; options: number; taxes: number; removed: { categories: number; items: number; groups: number; options: number } };

const yes = (b: boolean) => (b ? "yes" : "no");

/** The whole menu as one CSV (UTF-8 with a byte order mark, so spreadsheets read accents right). */
export async function exportMenuCsv(db: Db, restaurantId: string): Promise<string> {
  const d = await loadMenuAdmin(db, restaurantId);
  const currency = d.pricing.currency;
  const stationSlug = new Map(d.stations.map((s) => [s.id, s.slug]));
  const groupName = new Map(d.groups.map((g) => [g.id, g.name]));
  const taxName = new Map(d.taxCategories.map((t) => [t.id, t.name]));
  const rows: string[][] = [[...CSV_COLUMNS]];
  const add = (values: Partial<Record<CsvColumn, string>>) => rows.push(CSV_COLUMNS.map((c) => values[c] ?? ""));
  for (const t of d.taxCategories) add({ type: "tax", name: protectText(t.name), rate: percentInputValue(t.rateBps) });
  for (const c of d.categories) add({ type: "category", name: protectText(c.name), active: yes(c.active) });
  for (const g of d.groups) {
    add({ type: "group", name: protectText(g.name), required: yes(g.required), min: String(g.minSelect), max: String(g.maxSelect) });
    for (const o of d.options.filter((x) => x.groupId === g.id)) {
      add({
        type: "option", group: protectText(g.name), name: protectText(o.name), price: priceInputValue(o.priceDeltaCents, currency),
        default: yes(o.isDefault), station: o.stationId ? stationSlug.get(o.stationId) ?? "" : "", available: yes(o.available),
      });
    }
  }
  for (const c of d.categories) {
    for (const i of d.items.filter((x) => x.categoryId === c.id)) {
      add({
        type: "item", category: protectText(c.name), name: protectText(i.name), description: protectText(i.description), kitchen_name: protectText(i.kitchenName ?? ""),
        price: priceInputValue(i.priceCents, currency), tax_category: i.taxCategoryId ? protectText(taxName.get(i.taxCategoryId) ?? "") : "",
        stations: d.itemStations.filter((s) => s.itemId === i.id).map((s) => stationSlug.get(s.stationId) ?? "").join(LIST_SEPARATOR),
        groups: d.itemGroups.filter((g) => g.itemId === i.id).map((g) => protectText(groupName.get(g.groupId) ?? "")).join(LIST_SEPARATOR),
        active: yes(i.active), available: yes(i.available),
      });
    }
  }
  return `\uFEFF${toCsv(rows)}`;
}

/**
 * Bytes of an uploaded file as text, refusing anything over the size limit or not UTF-8 (a BOM is
 * fine). declaredBytes: the size the request announced, when the body was not read at all.
 */
export function decodeUpload(bytes: Uint8Array, declaredBytes = bytes.byteLength): string {
  if (declaredBytes > MAX_IMPORT_BYTES) {
    throw new ImportRefused([{ row: 0, column: "", message: `The file is ${(declaredBytes / 1024 / 1024).toFixed(1)} MB; an import can be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB` }], 413);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ImportRefused([{ row: 0, column: "", message: "The file is not UTF-8 text. In your spreadsheet choose “CSV UTF-8” when saving, then import again." }], 400);
  }
}

/**
 * Replaces the menu with the file's, all or nothing: checked whole first (every problem reported by
 * row and column), then written in one transaction. Things whose names match keep their ids.
 */
export async function importMenuCsv(db: Db, restaurantId: string, actor: MenuActor, bytes: Uint8Array): Promise<ImportSummary> {
  const text = decodeUpload(bytes);
  const before = await loadMenuAdmin(db, restaurantId);
  const { plan, problems } = planImport(text, {
    currency: before.pricing.currency, stations: before.stations, taxNames: before.taxCategories.map((t) => t.name),
  });
  if (problems.length) throw new ImportRefused(problems);
  return withTenant(db, restaurantId, async (tx) => {
    // Read again inside the transaction: the ids we reuse must be the ones there now.
    const now = {
      categories: await q.listCategories(tx, restaurantId), items: await q.listItems(tx, restaurantId),
      groups: await q.listGroups(tx, restaurantId), options: await q.listOptions(tx, restaurantId), taxes: await q.listTaxCategories(tx, restaurantId),
    };
    const summary = await applyPlan(tx, restaurantId, plan, now);
    await recordMenuChange(tx, restaurantId, actor, { kind: "import", action: "imported", id: null }, summary);
    return summary;
  });
}

type Existing = { categories: q.Category[]; items: q.Item[]; groups: q.Group[]; options: q.Option[]; taxes: q.TaxCategory[] };

const k = (...parts: string[]) => parts.map((p) => p.trim().toLowerCase()).join("\u0000");

async function applyPlan(tx: Tx, restaurantId: string, plan: ImportPlan, now: Existing): Promise<ImportSummary> {
  const idOf = <T extends { id: string }>(rows: T[], keyOf: (row: T) => string) => {
    const map = new Map(rows.map((r) => [keyOf(r), r.id]));
    return (key: string) => map.get(key) ?? crypto.randomUUID();
  };
  const catName = new Map(now.categories.map((c) => [c.id, c.name]));
  const groupName = new Map(now.groups.map((g) => [g.id, g.name]));
  const categoryId = idOf(now.categories, (c) => k(c.name));
  const groupId = idOf(now.groups, (g) => k(g.name));
  const taxId = idOf(now.taxes, (t) => k(t.name));
  const itemId = idOf(now.items, (i) => k(catName.get(i.categoryId) ?? "", i.name));
  const optionId = idOf(now.options, (o) => k(groupName.get(o.groupId) ?? "", o.name));

  const taxes = plan.taxes.map((t) => ({ restaurantId, id: taxId(k(t.name)), name: t.name, rateBps: t.rateBps }));
  const taxByName = new Map([...now.taxes.map((t) => [k(t.name), t.id] as const), ...taxes.map((t) => [k(t.name), t.id] as const)]);
  const categories = plan.categories.map((c, position) => ({ restaurantId, id: categoryId(k(c.name)), name: c.name, active: c.active, position }));
  const groups = plan.groups.map((g) => ({ restaurantId, id: groupId(k(g.name)), name: g.name, required: g.required, minSelect: g.minSelect, maxSelect: g.maxSelect }));
  const gid = new Map(groups.map((g) => [k(g.name), g.id]));
  const options = plan.groups.flatMap((g) => g.options.map((o, position) => ({
    restaurantId, id: optionId(k(g.name, o.name)), groupId: gid.get(k(g.name))!, name: o.name, priceDeltaCents: o.priceDeltaCents,
    isDefault: o.isDefault, available: o.available, stationId: o.stationId, position,
  })));
  const cid = new Map(categories.map((c) => [k(c.name), c.id]));
  const positions = new Map<string, number>();
  const items = plan.items.map((i) => {
    const position = positions.get(k(i.category)) ?? 0;
    positions.set(k(i.category), position + 1);
    return {
      restaurantId, id: itemId(k(i.category, i.name)), categoryId: cid.get(k(i.category))!, name: i.name, kitchenName: i.kitchenName,
      description: i.description, priceCents: i.priceCents, taxCategoryId: i.taxCategory ? taxByName.get(k(i.taxCategory))! : null,
      position, active: i.active, available: i.available,
    };
  });

  const keep = { items: items.map((i) => i.id), options: options.map((o) => o.id), groups: groups.map((g) => g.id), categories: categories.map((c) => c.id) };
  const kept = (ids: string[], rows: { id: string }[]) => {
    const set = new Set(ids);
    return rows.filter((r) => !set.has(r.id)).length;
  };
  const removed = {
    categories: kept(keep.categories, now.categories), items: kept(keep.items, now.items), groups: kept(keep.groups, now.groups), options: kept(keep.options, now.options),
  };
  await iq.deleteMenuExcept(tx, restaurantId, keep);
  await iq.upsertTaxes(tx, taxes);
  await iq.upsertCategories(tx, categories);
  await iq.upsertGroups(tx, groups);
  await iq.upsertOptions(tx, options);
  await iq.upsertItems(tx, items);
  await iq.insertItemStations(tx, plan.items.flatMap((i, n) => i.stationIds.map((stationId) => ({ restaurantId, itemId: items[n]!.id, stationId }))));
  await iq.insertItemGroups(tx, plan.items.flatMap((i, n) => i.groups.map((g, position) => ({ restaurantId, itemId: items[n]!.id, groupId: gid.get(k(g))!, position }))));
  return { categories: categories.length, items: items.length, groups: groups.length, options: options.length, taxes: taxes.length, removed };
}
