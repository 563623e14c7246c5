import { Elysia, t } from "elysia";
import { renderSVG } from "uqr";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import { asRefusal, fieldErrors } from "../auth/refusal";
import type { Principal } from "../auth/service";
import { actorOf } from "../http/actor";
import { openScreenStream } from "../realtime/screen-stream";
import { orderIdOf } from "../realtime/catalogue";
import { getPayableOrder } from "../payments/service";
import { withTenant } from "../db/tenant";
import { addTable, confirmRound, declineRound, guestSettings, listTables, loadDesk, releaseAfterPayment, rotateTable, saveSettings, setTableOpen } from "./service";
import * as q from "./queries";
import { TablesPage } from "../../views/guest/tables";
import { DeskCard, DeskPage } from "../../views/guest/desk";

const FLASHES: Record<string, string> = {
  added: "Table added. Print its QR code below.",
  rotated: "New code made: the old QR code of that table no longer works. Print the new one.",
  opened: "Guest ordering is open at that table.",
  closed: "Guest ordering is closed at that table: its code shows a notice.",
  settings: "Rules saved.",
};

/**
 * Staff around guest ordering: managers' tables and QR codes (/admin/tables), and the guest desk
 * (/guest-desk) where a cashier sends a paid kiosk order to the kitchen and a server confirms a
 * table's round. Staff pages stay outside /guest/, so they count in the staff's own rate limits.
 */
export function guestStaffRoutes(ctx: AppContext) {
  const tablesPage = async (nonce: string, principal: Principal, origin: string, extra: { flash?: string; errors?: Record<string, string>; label?: string } = {}) => {
    const rid = principal.restaurant.id;
    const [tables, settings] = await Promise.all([listTables(ctx, rid), guestSettings(ctx, rid)]);
    const withQr = tables.map((table) => {
      const url = `${origin}/guest/t/${table.token}`;
      // Drawn on the server as SVG and sent as an image: no client script, nothing inline to run.
      const qr = `data:image/svg+xml;base64,${Buffer.from(renderSVG(url, { ecc: "M", border: 2 })).toString("base64")}`;
      return { ...table, url, qr };
    });
    return TablesPage({ nonce, restaurantName: principal.restaurant.name, userName: principal.user?.name ?? "", tables: withQr, settings, ...extra });
  };
  const who = (principal: Principal, ip: string | null) => ({ userId: principal.user?.id ?? null, ip });
  const origin = (request: Request) => new URL(request.url).origin;

  const deskPage = async (nonce: string, principal: Principal, flash?: string) => {
    const rid = principal.restaurant.id;
    const [entries, seq] = await Promise.all([loadDesk(ctx, rid), ctx.bus.currentSeq(rid)]);
    return DeskPage({ nonce, restaurantName: principal.restaurant.name, entries, currency: principal.restaurant.currency, seq, flash });
  };
  const deskAction = (fn: typeof confirmRound) => async ({ principal, params, nonce, set, redirect, clientIp }: { principal: Principal; params: { id: string }; nonce: string; set: { status?: number | string; headers: Record<string, string | number> }; redirect: (url: string, status: 303) => Response; clientIp: string | null }) => {
    try {
      await fn(ctx, { restaurantId: principal.restaurant.id, who: actorOf(principal, clientIp) }, params.id);
    } catch (error) {
      const e = asRefusal(error, set);
      return deskPage(nonce, principal, e.message);
    }
    return redirect("/guest-desk", 303);
  };

  return new Elysia({ name: "guest-staff-routes" })
    .use(authPlugin(ctx))
    .get("/admin/tables", ({ nonce, principal, request, query }) => tablesPage(nonce, principal, origin(request), { flash: FLASHES[query.done ?? ""] }),
      { need: "guest.tables", query: t.Object({ done: t.Optional(t.String({ maxLength: 20 })) }) })
    .post("/admin/tables", async ({ nonce, principal, request, body, set, redirect, clientIp }) => {
      try {
        await addTable(ctx, principal.restaurant.id, body.label, who(principal, clientIp));
      } catch (error) {
        const e = asRefusal(error, set);
        return tablesPage(nonce, principal, origin(request), { errors: fieldErrors(e), label: body.label.slice(0, 20) });
      }
      return redirect("/admin/tables?done=added", 303);
    }, { need: "guest.tables", body: t.Object({ label: t.String({ maxLength: 200 }) }) })
    .post("/admin/tables/:id/rotate", async ({ principal, params, redirect, clientIp }) => {
      await rotateTable(ctx, principal.restaurant.id, params.id, who(principal, clientIp));
      return redirect("/admin/tables?done=rotated", 303);
    }, { need: "guest.tables" })
    .post("/admin/tables/:id/open", async ({ principal, params, body, redirect, clientIp }) => {
      const open = body.open === "true";
      await setTableOpen(ctx, principal.restaurant.id, params.id, open, who(principal, clientIp));
      return redirect(`/admin/tables?done=${open ? "opened" : "closed"}`, 303);
    }, { need: "guest.tables", body: t.Object({ open: t.Union([t.Literal("true"), t.Literal("false")]) }) })
    .post("/admin/tables/settings", async ({ principal, body, redirect, clientIp }) => {
      await saveSettings(ctx, principal.restaurant.id, { fireBeforePayment: body.fireBeforePayment === "on", confirmTableRounds: body.confirmTableRounds === "on" }, who(principal, clientIp));
      return redirect("/admin/tables?done=settings", 303);
    }, { need: "guest.tables", body: t.Object({ fireBeforePayment: t.Optional(t.String({ maxLength: 5 })), confirmTableRounds: t.Optional(t.String({ maxLength: 5 })) }) })
    .get("/guest-desk", ({ nonce, principal }) => deskPage(nonce, principal), { need: "guest.desk" })
    .get("/guest-desk/stream", ({ principal, request, query }) => openScreenStream(ctx, {
      request, principal, key: "guest-desk", scope: "", since: query.since ?? null,
      // Any change to an order that is a guest's redraws that card, or takes it off the desk once done.
      render: async (rid, _scope, events) => {
        const touched = [...new Set(events.map(orderIdOf).filter((id): id is string => !!id))];
        const rows = await withTenant(ctx.database.db, rid, (tx) => q.guestOrdersOf(tx, rid, touched));
        const parts = await Promise.all(rows.map(async (guest) => {
          if (guest.state !== "awaiting_payment" && guest.state !== "awaiting_confirmation") return `<li id="desk-${guest.id}" data-remove></li>`;
          return DeskCard({ entry: { guest, order: await getPayableOrder(ctx.database.db, rid, guest.orderId) }, currency: principal.restaurant.currency }) as string;
        }));
        return parts.join("") || null;
      },
      snapshot: async () => {
        const entries = await loadDesk(ctx, principal.restaurant.id);
        return entries.map((entry) => DeskCard({ entry, currency: principal.restaurant.currency }) as string).join("");
      },
    }), { need: "guest.desk", query: t.Object({ since: t.Optional(t.String({ maxLength: 30 })) }) })
    .post("/guest-desk/:id/confirm", deskAction(confirmRound), { need: "guest.desk" })
    .post("/guest-desk/:id/decline", deskAction(declineRound), { need: "guest.desk" })
    .post("/guest-desk/:id/release", deskAction(releaseAfterPayment), { need: "guest.desk" });
}
