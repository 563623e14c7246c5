import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { badRequest, HttpError } from "../http/errors";
import { wantsJson } from "../http/request-context";
import { withTenant } from "../db/tenant";
import * as q from "./admin-queries";
import { setItemAvailability, setOptionAvailability } from "./service";
import { createMenuCache } from "./cache";
import { decodeUpload, exportMenuCsv, importMenuCsv, ImportRefused } from "./csv-service";
import { MAX_IMPORT_BYTES } from "./csv-format";
import { adminMenuRoutes } from "./admin-routes";
import { actorOf, formBody, frameOf, html, isHtmx, navigate, withDone } from "./http";
import { oneValue } from "./validate";
import { AvailabilityError, AvailabilityToggle } from "../../views/menu/availability-toggle";
import { CsvPage } from "../../views/admin/menu/csv";

const ID = t.Object({ id: t.String() });

/** Only a path on this site may be a destination after an 86 from a plain form (no open redirect). */
function safeBack(raw: unknown, fallback: string): string {
  const value = oneValue(raw);
  return /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : fallback;
}

function parseAvailable(body: Record<string, unknown>): boolean {
  const raw = oneValue(body.available).trim().toLowerCase();
  if (raw === "true" || raw === "1" || raw === "yes") return true;
  if (raw === "false" || raw === "0" || raw === "no") return false;
  if (typeof body.available === "boolean") return body.available;
  throw badRequest("Say whether it is available: available=true or available=false", "available");
}

/**
 * The menu feature: the admin screens, 86 from any screen, CSV import/export and the integration
 * API, whose cache listens for menu events on the process's realtime bus.
 */
export function menuRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const cache = createMenuCache(db, ctx.bus);

  /** 86 from the admin table, the POS or the kitchen: the fragment for htmx, JSON for scripts, a redirect for plain forms. */
  async function availability(kind: "item" | "option", c: { principal: Parameters<typeof actorOf>[0]; params: { id: string }; body: unknown; request: Request; set: Parameters<typeof html>[0] }) {
    const body = formBody(c.body);
    const rid = c.principal.restaurant.id;
    try {
      const available = parseAvailable(body);
      if (kind === "item") await setItemAvailability(db, rid, c.params.id, available, actorOf(c.principal));
      else await setOptionAvailability(db, rid, c.params.id, available, actorOf(c.principal));
      if (wantsJson(c.request)) return { id: c.params.id, kind, available };
      if (!isHtmx(c.request)) return navigate(c.request, c.set, withDone(safeBack(body.back, "/admin/menu"), "availability-saved"));
      const name = await withTenant(db, rid, async (tx) => (kind === "item" ? await q.findItem(tx, rid, c.params.id) : await q.findOption(tx, rid, c.params.id))?.name ?? "");
      const back = typeof body.back === "string" ? safeBack(body.back, "") || undefined : undefined;
      return html(c.set, 200, AvailabilityToggle({ kind, id: c.params.id, name, available, back }));
    } catch (error) {
      // htmx swaps this response in place of the button: a short message reads better there than an error page.
      if (!(error instanceof HttpError) || !isHtmx(c.request) || wantsJson(c.request)) throw error;
      return html(c.set, error.status, AvailabilityError({ message: error.message }));
    }
  }

  return new Elysia({ name: "menu" })
    .use(authPlugin(ctx))
    .use(adminMenuRoutes(ctx))
    .post("/menu/items/:id/availability", (c) => availability("item", c), { need: "menu.availability", params: ID })
    .post("/menu/options/:id/availability", (c) => availability("option", c), { need: "menu.availability", params: ID })
    .get("/admin/menu/csv", ({ principal, nonce, set }) => html(set, 200, CsvPage({ frame: frameOf(principal, nonce) })), { need: "menu.edit" })
    .get("/admin/menu/export.csv", async ({ principal, set }) => {
      set.headers["content-type"] = "text/csv; charset=utf-8";
      set.headers["content-disposition"] = `attachment; filename="menu-${principal.restaurant.slug}.csv"`;
      set.headers["cache-control"] = "no-store";
      return exportMenuCsv(db, principal.restaurant.id);
    }, { need: "menu.edit" })
    .post("/admin/menu/import", async ({ principal, nonce, set, body, request }) => {
      const frame = frameOf(principal, nonce);
      try {
        const { file, tooLarge } = formBody(body);
        if (typeof tooLarge === "number") decodeUpload(new Uint8Array(0), tooLarge);
        if (!(file instanceof Blob) || file.size === 0) {
          throw new ImportRefused([{ row: 0, column: "", message: "Choose a CSV file to import" }], 400);
        }
        const summary = await importMenuCsv(db, principal.restaurant.id, actorOf(principal), new Uint8Array(await file.arrayBuffer()));
        return html(set, 200, CsvPage({ frame, summary }));
      } catch (error) {
        if (!(error instanceof ImportRefused)) throw error;
        if (wantsJson(request)) throw error;
        return html(set, error.status, CsvPage({ frame, problems: error.problems }));
      }
    }, {
      need: "menu.edit",
      // An oversized upload is refused from its declared length, before the body is read into memory:
      // the parse hook runs ahead of the body parser and hands the handler a marker instead of the file.
      parse: ({ request }) => {
        const length = Number(request.headers.get("content-length") ?? 0);
        return length > MAX_IMPORT_BYTES + 64 * 1024 ? { tooLarge: length } : undefined;
      },
    })
    .get("/api/v1/menu", async ({ principal, set, request }) => {
      const menu = await cache.get(principal.restaurant.id);
      set.headers.etag = menu.etag;
      set.headers["cache-control"] = "private, no-cache";
      if (request.headers.get("if-none-match") === menu.etag) {
        set.status = 304;
        return "";
      }
      set.headers["content-type"] = "application/json";
      return menu.body;
    }, { need: "menu.view" });
}
