import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../src/db/client";
import { withSystem } from "../../src/db/tenant";
import { placeOrder } from "../../src/orders/service";
import { seedDemo } from "../../src/restaurants/demo";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { demoMenu } from "../helpers/menu";
import { sessionCookieFor } from "../helpers/session";
import { sseReader } from "../helpers/sse";

/**
 * Issue 18 point 22: GET /api/v1/orders and the expo and board snapshots stopped at 200 orders with no
 * paging, so a busy night showed an incomplete pass. 230 open orders here: more than any old cap.
 */
const OPEN_ORDERS = 230;

type Page = { orders: { id: string; status: string; number: number }[]; nextCursor: string | null };

describe("a busy night: more open orders than one page", () => {
  let db: TestDatabase;
  let test: ReturnType<typeof makeTestApp>;
  let rid: string;
  let key: string;
  let otherKey: string;
  let cookie: string;
  let stationId: string;
  let placeOne: () => Promise<string>;

  const api = (path: string, bearer = key) => test.app.handle(req(path, { headers: { authorization: `Bearer ${bearer}` } }));
  const page = async (path: string, bearer = key) => (await (await api(path, bearer)).json()) as Page;
  const html = async (path: string) => (await test.app.handle(req(path, { headers: { cookie } }))).text();
  const count = (text: string, needle: string) => text.split(needle).length - 1;
  /** Every order of the restaurant, newest first, as the database has them. */
  const allIds = async () => rowsOf<{ id: string }>(await withSystem(db.db, (tx) =>
    tx.execute(sql`select id from orders where restaurant_id = ${rid} order by created_at desc, id desc`))).map((r) => r.id);

  /** Walks the API page by page from the start; returns every id seen, in order, and the number of pages. */
  async function walk(query: string) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(`/api/v1/orders?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Page;
      ids.push(...body.orders.map((o) => o.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    return { ids, pages };
  }

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    test = makeTestApp(db);
    const demo = await seedDemo(db.db, testConfig().pinPepper, "paging");
    rid = demo.restaurant.id;
    key = demo.apiKey;
    otherKey = (await seedDemo(db.db, testConfig().pinPepper, "paging-other")).apiKey;
    cookie = (await sessionCookieFor(db.db, rid, "manager")).cookie;
    const m = await demoMenu(db.db, rid);
    const burger = { menuItemId: m.item("Classic Burger").id, quantity: 1, modifierOptionIds: [m.option("Classic Burger", "Medium"), m.option("Classic Burger", "Fries")] };
    placeOne = async () => (await placeOrder(db.db, rid, { type: "takeout", table: null, guests: null, note: null, items: [burger], fire: true, idempotencyKey: null },
      { actor: "manager", userId: null, deviceId: null }, null)).order.id;
    const first = await placeOrder(db.db, rid, { type: "takeout", table: null, guests: null, note: null, items: [burger], fire: true, idempotencyKey: null },
      { actor: "manager", userId: null, deviceId: null }, null);
    stationId = first.order.lines[0]!.stations[0]!.stationId;
    for (let i = 1; i < OPEN_ORDERS; i++) await placeOne();
  }, 60_000);
  afterAll(async () => {
    await test.close();
    await db.drop();
  });

  it("pages every order exactly once, newest first, until nextCursor is null", async () => {
    const { ids, pages } = await walk("limit=100");
    expect(pages).toBe(3);
    expect(ids).toEqual(await allIds());
  });

  it("answers without paging parameters as before: the newest 50, plus the cursor to the rest", async () => {
    const body = await page("/api/v1/orders");
    expect(Object.keys(body).sort()).toEqual(["nextCursor", "orders"]);
    expect(body.orders).toHaveLength(50);
    expect(body.orders.map((o) => o.id)).toEqual((await allIds()).slice(0, 50));
    expect(typeof body.nextCursor).toBe("string");
    // Opaque: nothing in it a client could mistake for an id or an offset to edit.
    expect(body.nextCursor).not.toContain(body.orders[49]!.id);
  });

  it("gives a null nextCursor on a page that holds the last order", async () => {
    const body = await page(`/api/v1/orders?limit=200&status=sent`);
    expect(body.nextCursor).not.toBeNull();
    const rest = await page(`/api/v1/orders?limit=200&status=sent&cursor=${body.nextCursor}`);
    expect(rest.orders.length).toBe(OPEN_ORDERS - 200);
    expect(rest.nextCursor).toBeNull();
  });

  it("keeps its place when orders are placed between pages: none twice, none skipped", async () => {
    const before = await allIds();
    const first = await page("/api/v1/orders?limit=60");
    const added = [await placeOne(), await placeOne()];
    const ids = first.orders.map((o) => o.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await page(`/api/v1/orders?limit=60&cursor=${cursor}`);
      ids.push(...next.orders.map((o) => o.id));
      cursor = next.nextCursor;
    }
    expect(ids).toEqual(before);
    expect(ids.some((id) => added.includes(id))).toBe(false);
  });

  it("pages a status filter the same way", async () => {
    const { ids } = await walk("status=sent,preparing,ready&limit=70");
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe((await allIds()).length);
  });

  it("refuses a cursor it did not give out with 400 naming cursor", async () => {
    const forged = [
      "", "abc", "not base64!", Buffer.from("o1:not-a-uuid").toString("base64url"),
      Buffer.from(`o2:${crypto.randomUUID()}`).toString("base64url"), Buffer.from(`o1:${crypto.randomUUID()}`).toString("base64url"),
    ];
    for (const cursor of forged) {
      const res = await api(`/api/v1/orders?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      const problem = await res.json();
      expect(problem.field).toBe("cursor");
      expect(problem.message).toContain("cursor");
    }
  });

  it("refuses another restaurant's cursor instead of paging through its orders", async () => {
    const mine = await page("/api/v1/orders?limit=5");
    const res = await api(`/api/v1/orders?cursor=${mine.nextCursor}`, otherKey);
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe("cursor");
    const theirs = await page("/api/v1/orders?limit=200", otherKey);
    expect(theirs.orders).toEqual([]);
    expect(theirs.nextCursor).toBeNull();
  });

  it("refuses a page size outside 1 to 200 with 400 naming limit", async () => {
    for (const limit of ["0", "201", "-5", "2.5", "many"]) {
      const res = await api(`/api/v1/orders?limit=${limit}`);
      expect(res.status).toBe(400);
      expect((await res.json()).field).toBe("limit");
    }
    expect((await page("/api/v1/orders?limit=200")).orders).toHaveLength(200);
  });

  it("shows every open order on expo, the board, the POS open orders list and the KDS, however many", async () => {
    const open = (await allIds()).length;
    expect(open).toBeGreaterThan(200);
    expect(count(await html("/expo"), 'class="expo-card')).toBe(open);
    const board = await html("/board");
    expect(count(board, "<li>")).toBe(open);
    const pos = await html("/pos/orders");
    expect(count(pos, 'class="order-card card"')).toBe(open);
    // The POS order screen's link counts them all too.
    expect((await html("/pos")).includes(`Open orders (${open})`)).toBe(true);
    expect(count(await html(`/kds/${stationId}`), 'id="ticket-')).toBe(open);
  });

  it("sends every open order in the expo and board live snapshots", async () => {
    const open = (await allIds()).length;
    for (const [path, needle] of [["/expo/stream", 'class="expo-card'], ["/board/stream", "<li>"]] as const) {
      const controller = new AbortController();
      const res = await test.app.handle(req(path, { headers: { cookie }, signal: controller.signal }));
      const stream = sseReader(res);
      const snapshot = await stream.next((m) => m.event === "swap");
      expect(count(snapshot.data, needle)).toBe(open);
      controller.abort();
    }
  });
});
