import { Elysia } from "elysia";
import type { AppContext } from "../context";
import { authPlugin } from "../auth/plugin";
import type { Principal, Restaurant, Device } from "../auth/service";
import { getMeta } from "../http/request-context";
import { withTenant } from "../db/tenant";
import { loadPosMenu } from "../menu/service";
import { openScreenStream } from "../realtime/screen-stream";
import { isEvent, orderIdOf } from "../realtime/catalogue";
import type { EventRow } from "../realtime/bus";
import { countGuestOrder, countGuestRead } from "./limits";
import { checkoutAtKiosk, findGuestOrderByToken, GuestRefusal, loadGuestMenu, loadGuestOrder, orderAtTable, placeKey, resolveKiosk, resolveTable, type GuestPlace } from "./service";
import * as q from "./queries";
import { kioskCardSdk } from "./card";
import { withSquareCsp } from "../square/web-payments";
import { GuestMenuPage, AvailabilityFlag, AvailabilityFlags } from "../../views/guest/menu";
import { GuestNotice } from "../../views/guest/shell";
import { GuestOrderPage, GuestOrderStatusCard } from "../../views/guest/order";

/**
 * What guests reach: a kiosk's menu, a table's menu (from its QR code), checkout, and the live page of
 * their own order. Nothing here takes a staff principal: a kiosk is known by its device cookie, a table
 * by its token, an order by its own token; every route counts in the guests' rate-limit buckets.
 */
export function guestRoutes(ctx: AppContext) {
  const ipOf = (request: Request) => getMeta(request)?.ip ?? null;
  /** openScreenStream wants a principal only for the restaurant and what may revoke the stream. */
  const streamHolder = (restaurant: Restaurant, device: Device | null): Principal =>
    ({ restaurant, actor: "guest", user: null, device, sessionId: null, sessionKind: null, via: "device" });

  const menuPage = async (nonce: string, place: GuestPlace, request: Request, headers?: Record<string, unknown>) => {
    await countGuestRead(ctx, ipOf(request), placeKey(place));
    const page = await loadGuestMenu(ctx, place);
    // Square's SDK (and its hosts in the CSP) on the kiosk's menu page only, and only when card is on offer.
    const card = place.kind === "kiosk" ? await kioskCardSdk(ctx, place.restaurant.id) : null;
    if (card && headers) {
      let csp = withSquareCsp(String(headers["content-security-policy"] ?? ""), card.environment);
      const origin = new URL(card.sdkUrl).origin;
      if (!csp.includes(origin)) csp = csp.replace(/script-src ([^;]*)/, `script-src $1 ${origin}`);
      headers["content-security-policy"] = csp;
    }
    const base = place.kind === "kiosk" ? "/guest/kiosk" : `/guest/t/${place.table.token}`;
    return GuestMenuPage({
      nonce, mode: place.kind, restaurantName: place.restaurant.name, currency: place.restaurant.currency, menu: page.menu,
      pageToken: page.pageToken, seq: page.seq, checkoutUrl: place.kind === "kiosk" ? `${base}/checkout` : `${base}/order`,
      streamUrl: `${base}/stream`, tableLabel: place.kind === "table" ? place.table.label : undefined, cardAvailable: !!card, card,
    });
  };

  /** A guest's refusal page (the QR code is dead, the table closed, the screen not a kiosk). */
  const notice = (nonce: string, error: unknown, set: { status?: number | string }) => {
    if (!(error instanceof GuestRefusal)) throw error;
    set.status = error.status;
    return GuestNotice({ nonce, title: error.title, message: error.message });
  };

  /** Live 86: one flag per item or option that changed; the whole set when the page is behind. */
  const menuStream = (request: Request, place: GuestPlace) => openScreenStream(ctx, {
    request, principal: streamHolder(place.restaurant, place.kind === "kiosk" ? place.device : null),
    key: "guest-menu", scope: "", since: new URL(request.url).searchParams.get("since"),
    render: async (_rid: string, _scope: string, events: EventRow[]) => {
      const flags = events.filter((e) => isEvent(e, "menu.availability")).map((e) => {
        const data = e.data as { kind: "item" | "option"; id: string; available: boolean };
        return AvailabilityFlag(data) as string;
      });
      return flags.length ? flags.join("") : null;
    },
    snapshot: async () => {
      const rid = place.restaurant.id;
      const menu = await withTenant(ctx.database.db, rid, (tx) => loadPosMenu(tx, rid, place.restaurant.taxRateBps));
      return AvailabilityFlags({ menu }) as string;
    },
  });

  const checkout = async (request: Request, place: GuestPlace, body: unknown, set: { status?: number | string }) => {
    await countGuestOrder(ctx, ipOf(request), placeKey(place));
    const result = place.kind === "kiosk" ? await checkoutAtKiosk(ctx, place, body, ipOf(request)) : await orderAtTable(ctx, place, body, ipOf(request));
    set.status = result.replayed ? 200 : 201;
    return { number: result.number, url: `/guest/order/${result.token}`, replayed: result.replayed };
  };

  return new Elysia({ name: "guest-routes" })
    .use(authPlugin(ctx))
    .get("/guest/kiosk", async ({ nonce, resolveAuth, request, set }) => {
      try {
        return await menuPage(nonce, await resolveKiosk(ctx, (await resolveAuth()).device), request, set.headers as Record<string, unknown>);
      } catch (error) { return notice(nonce, error, set); }
    }, { need: "public" })
    .get("/guest/kiosk/stream", async ({ resolveAuth, request }) => {
      const place = await resolveKiosk(ctx, (await resolveAuth()).device);
      await countGuestRead(ctx, ipOf(request), placeKey(place));
      return menuStream(request, place);
    }, { need: "public" })
    .post("/guest/kiosk/checkout", async ({ resolveAuth, request, body, set }) =>
      checkout(request, await resolveKiosk(ctx, (await resolveAuth()).device), body, set), { need: "public" })
    .get("/guest/t/:token", async ({ nonce, params, request, set }) => {
      try {
        return await menuPage(nonce, await resolveTable(ctx, params.token), request);
      } catch (error) { return notice(nonce, error, set); }
    }, { need: "public" })
    .get("/guest/t/:token/stream", async ({ params, request }) => {
      const place = await resolveTable(ctx, params.token);
      await countGuestRead(ctx, ipOf(request), placeKey(place));
      return menuStream(request, place);
    }, { need: "public" })
    .post("/guest/t/:token/order", async ({ params, request, body, set }) => checkout(request, await resolveTable(ctx, params.token), body, set), { need: "public" })
    .get("/guest/order/:token", async ({ nonce, params, request }) => {
      await countGuestRead(ctx, ipOf(request), `order:${params.token.slice(0, 12)}`);
      const guest = await findGuestOrderByToken(ctx, params.token);
      const view = await loadGuestOrder(ctx, guest);
      return GuestOrderPage({
        nonce, guest, order: view.order, status: view.status, currency: view.restaurant.currency, restaurantName: view.restaurant.name,
        streamUrl: `/guest/order/${params.token}/stream`, seq: view.seq, backUrl: await backUrl(guest),
      });
    }, { need: "public" })
    .get("/guest/order/:token/stream", async ({ params, request }) => {
      await countGuestRead(ctx, ipOf(request), `order:${params.token.slice(0, 12)}`);
      const guest = await findGuestOrderByToken(ctx, params.token);
      const view = await loadGuestOrder(ctx, guest);
      const card = async () => {
        const fresh = await withTenant(ctx.database.db, guest.restaurantId, (tx) => q.findGuestOrder(tx, guest.restaurantId, guest.id));
        const now = await loadGuestOrder(ctx, fresh ?? guest);
        return GuestOrderStatusCard({ guest: now.guest, order: now.order, status: now.status, currency: view.restaurant.currency }) as string;
      };
      // Only this order's events wake the page: a guest sees exactly one order, and nothing of the rest.
      return openScreenStream(ctx, {
        request, principal: streamHolder(view.restaurant, null), key: `guest-order:${guest.id}`, scope: guest.orderId,
        since: new URL(request.url).searchParams.get("since"),
        render: async (_rid, orderId, events) => (events.some((e) => orderIdOf(e) === orderId) ? card() : null),
        snapshot: card,
      });
    }, { need: "public" });

  /** Where "order more" / "start again" leads: the kiosk's menu, or the table's menu while its code is live. */
  async function backUrl(guest: q.GuestOrder): Promise<string | null> {
    if (guest.source === "kiosk") return "/guest/kiosk";
    if (!guest.tableId) return null;
    const table = await withTenant(ctx.database.db, guest.restaurantId, (tx) => q.findTable(tx, guest.restaurantId, guest.tableId!));
    return table?.open ? `/guest/t/${table.token}` : null;
  }
}
