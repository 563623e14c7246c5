import { CsvSyntaxError, parseCsv, unprotectText, type CsvRecord } from "./csv";
import { COLUMNS_BY_TYPE, CSV_COLUMNS, LIST_SEPARATOR, MAX_IMPORT_ROWS, ROW_TYPES, type CsvColumn, type RowType } from "./csv-format";
import { parsePercent, parsePrice } from "../money";
import { groupRuleErrors, MAX_OPTIONS_PER_GROUP } from "./rules";
import { checkInt, checkName, checkText, DESCRIPTION_MAX, KITCHEN_NAME_MAX } from "./validate";

/** One thing wrong with an import, where a person can find it: row 1 is the header. Row 0 is the file as a whole. */
export type ImportProblem = { row: number; column: string; message: string };

export type PlanTax = { name: string; rateBps: number };
export type PlanCategory = { name: string; active: boolean };
export type PlanOption = { name: string; priceDeltaCents: number; isDefault: boolean; stationId: string | null; available: boolean };
export type PlanGroup = { name: string; required: boolean; minSelect: number; maxSelect: number; options: PlanOption[] };
export type PlanItem = {
  category: string; name: string; description: string; kitchenName: string | null; priceCents: number; taxCategory: string | null;
  stationIds: string[]; groups: string[]; active: boolean; available: boolean;
};
/** The whole menu the file describes, in file order (which becomes the display order). */
export type ImportPlan = { taxes: PlanTax[]; categories: PlanCategory[]; groups: PlanGroup[]; items: PlanItem[] };

export type PlanContext = {
  currency: string;
  stations: { id: string; name: string; slug: string }[];
  /** Tax categories the restaurant has already: an item may name one that the file does not list. */
  taxNames: string[];
};

type Row = { row: number; type: RowType; get: (column: CsvColumn) => string };

const key = (name: string) => name.trim().toLowerCase();

/**
 * Reads and checks a whole menu CSV without touching the database. Every problem is collected
 * (by row and column) so a manager can fix the file in one go; the plan is usable only when there are none.
 */
export function planImport(text: string, ctx: PlanContext): { plan: ImportPlan; problems: ImportProblem[] } {
  const plan: ImportPlan = { taxes: [], categories: [], groups: [], items: [] };
  const problems: ImportProblem[] = [];
  let records: CsvRecord[];
  try {
    records = parseCsv(text).filter((r) => r.cells.some((c) => c.trim() !== ""));
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { plan, problems: [{ row: error.row, column: "", message: `The file is not valid CSV: ${error.message}` }] };
  }
  const [header, ...data] = records;
  if (!header) return { plan, problems: [{ row: 0, column: "", message: "The file is empty: it needs a header row and one row per category, item, group or option" }] };
  const columns = readHeader(header, problems);
  if (problems.length) return { plan, problems };
  if (data.length > MAX_IMPORT_ROWS) {
    return { plan, problems: [{ row: 0, column: "", message: `The file has ${data.length.toLocaleString("en")} rows; an import takes at most ${MAX_IMPORT_ROWS.toLocaleString("en")}. Split the menu or remove rows, then import again.` }] };
  }
  const rows = data.map((record) => readRow(record, columns, problems)).filter((r): r is Row => r !== null);
  const say = (row: Row, column: string, message: string) => problems.push({ row: row.row, column, message });
  for (const row of rows) if (row.type === "tax") readTax(row, plan, say);
  for (const row of rows) if (row.type === "category") readCategory(row, plan, say);
  const groupRows = new Map<string, Row>();
  for (const row of rows) if (row.type === "group") readGroup(row, plan, groupRows, say);
  for (const row of rows) if (row.type === "option") readOption(row, plan, ctx, say);
  for (const [name, row] of groupRows) checkGroupRules(plan.groups.find((g) => key(g.name) === name)!, row, say);
  const seenItems = new Set<string>();
  for (const row of rows) if (row.type === "item") readItem(row, plan, ctx, say, seenItems);
  problems.sort((a, b) => a.row - b.row);
  return { plan, problems };
}

function readHeader(header: CsvRecord, problems: ImportProblem[]): string[] {
  const columns = header.cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, "") : c).trim().toLowerCase());
  const known = new Set<string>(CSV_COLUMNS);
  const seen = new Set<string>();
  for (const column of columns) {
    if (!known.has(column)) {
      problems.push({ row: 1, column, message: `Unknown column "${column}". The columns are: ${CSV_COLUMNS.join(", ")}` });
    } else if (seen.has(column)) {
      problems.push({ row: 1, column, message: `The column "${column}" appears twice` });
    }
    seen.add(column);
  }
  for (const needed of ["type", "name"]) {
    if (!seen.has(needed)) problems.push({ row: 1, column: needed, message: `The header has no "${needed}" column` });
  }
  return columns;
}

function readRow(record: CsvRecord, columns: string[], problems: ImportProblem[]): Row | null {
  const extra = record.cells.slice(columns.length).filter((c) => c.trim() !== "");
  if (extra.length) {
    problems.push({ row: record.row, column: "", message: `This row has ${record.cells.length} values but the header has ${columns.length} columns` });
    return null;
  }
  const value = (column: string) => record.cells[columns.indexOf(column)] ?? "";
  const type = value("type").trim().toLowerCase();
  if (!(ROW_TYPES as readonly string[]).includes(type)) {
    problems.push({ row: record.row, column: "type", message: type ? `Unknown type "${type}": use one of ${ROW_TYPES.join(", ")}` : `The type is empty: use one of ${ROW_TYPES.join(", ")}` });
    return null;
  }
  return { row: record.row, type: type as RowType, get: (column) => unprotectText(value(column)).trim() };
}

type Say = (row: Row, column: string, message: string) => void;

function yesNo(row: Row, column: CsvColumn, fallback: boolean, say: Say): boolean {
  const raw = row.get(column).toLowerCase();
  if (raw === "") return fallback;
  if (["yes", "y", "true", "1"].includes(raw)) return true;
  if (["no", "n", "false", "0"].includes(raw)) return false;
  say(row, column, `Write yes or no (not "${row.get(column)}")`);
  return fallback;
}

function name(row: Row, label: string, say: Say, column: CsvColumn = "name"): string | null {
  const checked = checkName(row.get(column), label);
  if (checked.error) {
    say(row, column, checked.error);
    return null;
  }
  return checked.value;
}

function readTax(row: Row, plan: ImportPlan, say: Say) {
  const n = name(row, "Tax category name", say);
  const rate = parsePercent(row.get("rate"));
  if (!rate.ok) say(row, "rate", rate.message);
  if (n && plan.taxes.some((t) => key(t.name) === key(n))) return say(row, "name", `The tax category "${n}" is listed twice`);
  if (n && rate.ok) plan.taxes.push({ name: n, rateBps: rate.value });
}

function readCategory(row: Row, plan: ImportPlan, say: Say) {
  const n = name(row, "Category name", say);
  const active = yesNo(row, "active", true, say);
  if (n && plan.categories.some((c) => key(c.name) === key(n))) return say(row, "name", `The category "${n}" is listed twice`);
  if (n) plan.categories.push({ name: n, active });
}

function readGroup(row: Row, plan: ImportPlan, groupRows: Map<string, Row>, say: Say) {
  const n = name(row, "Group name", say);
  if (n?.includes(LIST_SEPARATOR)) say(row, "name", `A group name cannot contain "${LIST_SEPARATOR}" (items list their groups separated by it)`);
  const required = yesNo(row, "required", false, say);
  const minRaw = row.get("min") || (required ? "1" : "0");
  const min = checkInt(minRaw, "Minimum", 0, MAX_OPTIONS_PER_GROUP);
  if (min.error) say(row, "min", min.error);
  const max = checkInt(row.get("max") || String(Math.max(1, min.value || 0)), "Maximum", 1, MAX_OPTIONS_PER_GROUP);
  if (max.error) say(row, "max", max.error);
  if (!n) return;
  if (groupRows.has(key(n))) return say(row, "name", `The group "${n}" is listed twice`);
  groupRows.set(key(n), row);
  plan.groups.push({ name: n, required, minSelect: min.error ? 0 : min.value, maxSelect: max.error ? 1 : max.value, options: [] });
}

function readOption(row: Row, plan: ImportPlan, ctx: PlanContext, say: Say) {
  const groupName = row.get("group");
  const group = plan.groups.find((g) => key(g.name) === key(groupName));
  if (!group) say(row, "group", groupName ? `No group called "${groupName}" in this file: add a row of type group for it` : "Name the group this option belongs to");
  const n = name(row, "Option name", say);
  const price = parsePrice(row.get("price") || "0", ctx.currency, { signed: true });
  if (!price.ok) say(row, "price", price.message);
  const isDefault = yesNo(row, "default", false, say);
  const available = yesNo(row, "available", true, say);
  const stationId = findStation(row, "station", row.get("station"), ctx, say);
  if (!group || !n || !price.ok || stationId === undefined) return;
  if (group.options.some((o) => key(o.name) === key(n))) return say(row, "name", `"${group.name}" already has an option called "${n}"`);
  group.options.push({ name: n, priceDeltaCents: price.value, isDefault, stationId, available });
}

const RULE_COLUMNS: Record<string, CsvColumn> = { required: "required", minSelect: "min", maxSelect: "max", options: "name" };

function checkGroupRules(group: PlanGroup, row: Row, say: Say) {
  const errors = groupRuleErrors({
    required: group.required, minSelect: group.minSelect, maxSelect: group.maxSelect,
    optionCount: group.options.length, defaultCount: group.options.filter((o) => o.isDefault).length,
  });
  for (const [field, message] of Object.entries(errors)) say(row, RULE_COLUMNS[field] ?? "name", message);
}

/** A station by slug or name; null for none; undefined when it does not exist (already reported). */
function findStation(row: Row, column: CsvColumn, raw: string, ctx: PlanContext, say: Say): string | null | undefined {
  if (!raw) return null;
  const station = ctx.stations.find((s) => key(s.slug) === key(raw) || key(s.name) === key(raw));
  if (station) return station.id;
  say(row, column, `No station called "${raw}": stations are ${ctx.stations.map((s) => s.slug).join(", ") || "not set up yet"}`);
  return undefined;
}

function splitList(raw: string): string[] {
  return raw.split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean);
}

function readItem(row: Row, plan: ImportPlan, ctx: PlanContext, say: Say, seenItems: Set<string>) {
  const categoryName = row.get("category");
  const category = plan.categories.find((c) => key(c.name) === key(categoryName));
  if (!category) say(row, "category", categoryName ? `No category called "${categoryName}" in this file: add a row of type category for it` : "Name the item's category");
  const n = name(row, "Name", say);
  const price = parsePrice(row.get("price"), ctx.currency);
  if (!price.ok) say(row, "price", price.message);
  const description = checkText(row.get("description"), "Description", DESCRIPTION_MAX, true);
  if (description.error) say(row, "description", description.error);
  const kitchen = checkText(row.get("kitchen_name"), "Kitchen name", KITCHEN_NAME_MAX);
  if (kitchen.error) say(row, "kitchen_name", kitchen.error);
  const taxName = row.get("tax_category");
  const tax = taxName ? plan.taxes.find((t) => key(t.name) === key(taxName))?.name ?? ctx.taxNames.find((t) => key(t) === key(taxName)) : null;
  if (tax === undefined) say(row, "tax_category", `No tax category called "${taxName}": add a row of type tax for it, or leave it empty for the default rate`);
  const stationIds: string[] = [];
  for (const s of splitList(row.get("stations"))) {
    const id = findStation(row, "stations", s, ctx, say);
    if (id && !stationIds.includes(id)) stationIds.push(id);
  }
  const groups: string[] = [];
  for (const g of splitList(row.get("groups"))) {
    const group = plan.groups.find((x) => key(x.name) === key(g));
    if (!group) say(row, "groups", `No group called "${g}" in this file`);
    else if (groups.includes(group.name)) say(row, "groups", `The group "${g}" is listed twice for this item`);
    else groups.push(group.name);
  }
  const active = yesNo(row, "active", true, say);
  const available = yesNo(row, "available", true, say);
  if (!category || !n) return;
  const itemKey = `${key(category.name)}\u0000${key(n)}`;
  if (seenItems.has(itemKey)) return say(row, "name", `There is already an item called "${n}" in ${category.name} in this file`);
  seenItems.add(itemKey);
  plan.items.push({
    category: category.name, name: n, description: description.value, kitchenName: kitchen.value || null,
    priceCents: price.ok ? price.value : 0, taxCategory: tax ?? null, stationIds, groups, active, available,
  });
}
