// Building an Intl.DateTimeFormat costs far more than using one, so one per (zone, style) is kept.
const formats = new Map<string, Intl.DateTimeFormat>();

/** "14:05", or "Sun 29 Nov 14:05" when the report spans several days, in the restaurant's time zone. */
export function clock(epochMs: number, timeZone: string, withDate: boolean): string {
  const key = `${timeZone}|${withDate}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", withDate
      ? { timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
      : { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formats.set(key, format);
  }
  return format.format(new Date(epochMs));
}
