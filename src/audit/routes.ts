import { Elysia, t } from "elysia";
import type { AppContext } from "../context";
import { withTenant } from "../db/tenant";
import { authPlugin } from "../auth/plugin";
import { listAudit } from "./queries";
import { AUDIT_FILTERS, AuditPage } from "../../views/admin/audit/page";

const PAGE_SIZE = 50;

/** Admin: who did what, when, from which device. Read-only. */
export function auditRoutes(ctx: AppContext) {
  return new Elysia({ name: "audit-routes" })
    .use(authPlugin(ctx))
    .get("/admin/audit", async ({ nonce, principal, query }) => {
      const rid = principal.restaurant.id;
      const filter = AUDIT_FILTERS.find((f) => f.key === query.show) ?? AUDIT_FILTERS[0]!;
      const page = Math.min(Math.max(1, Number.parseInt(query.page ?? "1", 10) || 1), 1000);
      const rows = await withTenant(ctx.database.db, rid, (tx) => listAudit(tx, rid, { offset: (page - 1) * PAGE_SIZE, prefixes: filter.prefixes, limit: PAGE_SIZE + 1 }));
      const more = rows.length > PAGE_SIZE;
      const entries = rows.slice(0, PAGE_SIZE);
      return AuditPage({
        nonce, restaurantName: principal.restaurant.name, userName: principal.user?.name ?? "", timeZone: principal.restaurant.timeZone,
        entries, filter: filter.key, page, more,
      });
    }, { need: "audit.view", query: t.Object({ show: t.Optional(t.String({ maxLength: 20 })), page: t.Optional(t.String({ maxLength: 6 })) }) });
}
