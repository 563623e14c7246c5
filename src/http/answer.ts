import type { Context } from "elysia";

/**
 * How a handler answers, the same way for every feature: htmx requests get fragments (and refusals that
 * swap nothing, see src/app.ts), plain form posts get a 303 to the page to show next.
 */
export const isHtmx = (request: Request) => request.headers.get("hx-request") === "true";

/** A 303 See Other to `location`: after a plain form post, the browser loads the page afresh. */
export function seeOther(set: Context["set"], location: string): "" {
  set.status = 303;
  set.headers.location = location;
  return "";
}
