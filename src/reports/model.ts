import type { Period } from "./period";
import type { Cell, ReportTable } from "./tables";

export type ReportKind = "sales" | "items" | "kitchen" | "staff" | "end-of-day";
export const REPORT_KINDS: { kind: ReportKind; label: string }[] = [
  { kind: "sales", label: "Sales" }, { kind: "items", label: "Item mix" }, { kind: "kitchen", label: "Kitchen" },
  { kind: "staff", label: "Staff" }, { kind: "end-of-day", label: "End of day" },
];

/** A bar chart's data; views/reports/chart.tsx draws it as SVG on the server. */
export type Chart = {
  key: string; title: string; description: string; xLabel: string; yLabel: string;
  unit: "money" | "count" | "minutes"; bars: { label: string; value: number }[];
};

/** A headline figure with the same weekdays a week before. */
export type Figure = { label: string; value: Cell; before: Cell };

/** A part of a report; `pending` marks a section whose data does not exist yet (payments), said plainly. */
export type Section = { key: string; title: string; figures?: Figure[]; charts?: Chart[]; tables: ReportTable[]; pending?: string };

export type Report = {
  kind: ReportKind; period: Period; compare: Period; currency: string; timeZone: string; dayStartsAtHour: number; sections: Section[];
};

/** The restaurant settings a report needs. */
export type ReportRestaurant = {
  id: string; name: string; timeZone: string; currency: string; dayStartsAtHour: number; ageThresholds: [number, number, number];
};
