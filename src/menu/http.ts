import type { Context } from "elysia";
import type { Principal } from "../auth/service";
import { HttpError } from "../http/errors";
import type { Flash, FormState } from "../../views/admin/menu/form-state";
import type { Frame } from "../../views/admin/menu/page";
import { InvalidInput } from "./validate";

/** Request plumbing shared by the menu routes: no rules here, those live in the services. */

export type Set = Context["set"];
export type Body = Record<string, unknown>;

import { isHtmx } from "../http/answer";
export { isHtmx };

/** Who edits the menu: the one actor shape every service records (src/http/actor.ts). */
export { actorOf } from "../http/actor";

export const frameOf = (p: Principal, nonce: string): Frame => ({ nonce, restaurantName: p.restaurant.name, userName: p.user?.name ?? p.device?.name ?? "" });

export function formBody(body: unknown): Body {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Body) : {};
}

/** What a flash code in ?done= says. Codes, not text, so a link cannot put words in our mouth. */
const DONE: Record<string, string> = {
  "category-created": "Category added.",
  "category-saved": "Category saved.",
  "category-deleted": "Category deleted.",
  moved: "Order changed.",
  "item-created": "Item created. Add its modifier groups below.",
  "item-saved": "Item saved.",
  "item-deleted": "Item deleted.",
  "group-attached": "Modifier group added to the item.",
  "group-removed": "Modifier group removed from the item.",
  "group-created": "Modifier group created. Set defaults and stations for its options below.",
  "group-saved": "Modifier group saved.",
  "group-deleted": "Modifier group deleted.",
  "option-created": "Option added.",
  "option-saved": "Option saved.",
  "option-deleted": "Option deleted.",
  "pricing-saved": "Pricing saved.",
  "tax-created": "Tax category added.",
  "tax-saved": "Tax category saved.",
  "tax-deleted": "Tax category deleted.",
  "availability-saved": "Availability changed.",
};

export function flashFor(code: unknown): Flash | null {
  const text = typeof code === "string" ? DONE[code] : undefined;
  return text ? { kind: "ok", text } : null;
}

export function withDone(path: string, code: string): string {
  return `${path}${path.includes("?") ? "&" : "?"}done=${code}`;
}

export function html(set: Set, status: number, page: unknown): string {
  set.status = status;
  set.headers["content-type"] = "text/html; charset=utf-8";
  return page as string;
}

/** After a change: plain forms follow a redirect (POST/redirect/GET); htmx is told where to go. */
export function navigate(request: Request, set: Set, location: string): string {
  if (isHtmx(request)) {
    set.headers["hx-redirect"] = location;
    set.status = 200;
    return "";
  }
  set.status = 303;
  set.headers.location = location;
  return "";
}

export type Render = (state: FormState | null, flash: Flash | null) => Promise<unknown>;

/**
 * Runs one admin change and answers the way the form expects:
 * - success: a plain form is redirected to `page` with a flash; htmx gets the page re-rendered (it
 *   swaps the region it asked for), or is sent to `navigateTo` when the change opens another page;
 * - refusal: the page again with the typed values, each message next to its field, and the 4xx status.
 */
export async function answer(
  c: { request: Request; set: Set; body: unknown },
  o: { formKey: string; page: string; done: string; render: Render; run: () => Promise<string | void>; navigateTo?: boolean },
): Promise<string> {
  try {
    const next = (await o.run()) ?? o.page;
    if (o.navigateTo || !isHtmx(c.request)) return navigate(c.request, c.set, withDone(next, o.done));
    return html(c.set, 200, await o.render(null, flashFor(o.done)));
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    const state: FormState | null = error instanceof InvalidInput ? { key: o.formKey, values: formBody(c.body), errors: error.fields } : null;
    const flash: Flash = { kind: "error", text: error instanceof InvalidInput ? "Not saved: please correct the highlighted field." : error.message };
    let page: unknown;
    try {
      page = await o.render(state, flash);
    } catch {
      throw error; // the page itself is gone (say, the item was deleted meanwhile): show the plain error
    }
    return html(c.set, error.status, page);
  }
}
