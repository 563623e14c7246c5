/** "12 Mar, 14:05" in the restaurant's own time zone. */
export function localTime(date: Date | null, timeZone: string): string {
  if (!date) return "";
  return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(date);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function ago(date: Date | null, now = Date.now()): string {
  if (!date) return "never";
  const minutes = Math.floor((now - date.getTime()) / 60_000);
  if (minutes < 2) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
