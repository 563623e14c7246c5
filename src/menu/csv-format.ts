/**
 * The menu CSV: one file, one row per thing, its kind in the `type` column. Each kind uses some
 * columns and leaves the others empty. Lists inside a cell (an item's stations or groups) are
 * separated by "|". Names are the keys: an item names its category and its groups, an option its group.
 */
export const CSV_COLUMNS = [
  "type", "name", "category", "group", "description", "kitchen_name", "price", "tax_category", "rate",
  "stations", "groups", "station", "required", "min", "max", "default", "active", "available",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const ROW_TYPES = ["tax", "category", "group", "option", "item"] as const;
export type RowType = (typeof ROW_TYPES)[number];

/** Which columns each kind of row reads; the rest must be empty or are ignored. */
export const COLUMNS_BY_TYPE: Record<RowType, CsvColumn[]> = {
  tax: ["name", "rate"],
  category: ["name", "active"],
  group: ["name", "required", "min", "max"],
  option: ["group", "name", "price", "default", "station", "available"],
  item: ["category", "name", "description", "kitchen_name", "price", "tax_category", "stations", "groups", "active", "available"],
};

export const LIST_SEPARATOR = "|";
export const MAX_IMPORT_ROWS = 5_000;
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
