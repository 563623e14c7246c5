import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTestApp, req, testConfig } from "../helpers/app";
import { demoMenu } from "../helpers/menu";
import { seedDemo } from "../../src/restaurants/demo";
import { apiClient, atPos } from "../payments/setup";
import { startFakeSquare, signSquare, type FakeSquare } from "../helpers/fake-square";

export const SIGNATURE_KEY = "whsec-test-signature-key-123";

/**
 * A restaurant whose owner connected Square (pointed at the local fake through SQUARE_BASE_URL, so the
 * real SDK speaks to it), a paired Terminal, a server signed on at a POS, and order helpers.
 */
export async function squareFixture(slug: string, opts: { connect?: boolean; pair?: boolean; fakeWebSdk?: boolean } = {}) {
  const fake = startFakeSquare();
  const db: TestDatabase = await openTestDatabase("postgres");
  const made = makeTestApp(db, {
    squareBaseUrl: fake.url, squareApplicationId: "sandbox-sq0idb-test-app",
    ...(opts.fakeWebSdk ? { squareWebSdkUrl: `${fake.url}/v1/square.js` } : {}),
  });
  const app = made.app;
  const demo = await seedDemo(db.db, testConfig().pinPepper, slug);
  const rid = demo.restaurant.id;
  const api = apiClient(app, { key: demo.apiKey });
  const m = await demoMenu(db.db, rid);
  const owner = await atPos(db.db, rid, "owner");
  const server = await atPos(db.db, rid, "server", owner.device);
  const manager = await atPos(db.db, rid, "manager", owner.device);
  const managerPin = demo.pins.find((p) => p.role === "manager")!.pin;
  const notificationUrl = `https://pos.example.test/square/webhooks/${rid}`;

  const post = (path: string, form: Record<string, string>, cookie = server.cookie) => app.handle(req(path, { form, headers: { cookie } }));
  const postJson = (path: string, json: unknown, cookie = server.cookie) => app.handle(req(path, { json, headers: { cookie, accept: "application/json" } }));
  const page = async (path: string, cookie = server.cookie) => {
    const res = await app.handle(req(path, { headers: { cookie } }));
    return { status: res.status, html: await res.text() };
  };
  const place = async (items: Record<string, unknown>[]) => (await (await api("/api/v1/orders", { json: { type: "dine_in", table: "7", items }, cookie: server.cookie })).json()) as { id: string; number: number; totalCents: number; subtotalCents: number; items: { id: string }[] };
  const rings = (seat: number | null = null) => ({ menuItemId: m.item("Onion Rings").id, quantity: 1, seat });
  const order = async (id: string) => (await (await api(`/api/v1/orders/${id}`)).json()) as any;

  /** Sends a webhook the way Square does: signed over the registered URL plus the raw body. */
  const webhook = (body: string, signature: string | null = signSquare(notificationUrl, body, SIGNATURE_KEY)) =>
    app.handle(new Request(`http://localhost/square/webhooks/${rid}`, { method: "POST", body, headers: { "content-type": "application/json", ...(signature === null ? {} : { "x-square-hmacsha256-signature": signature }) } }));

  let deviceId: string | null = null;
  if (opts.connect !== false) {
    const res = await post("/admin/square", { environment: "sandbox", accessToken: "EAAAl-sandbox-token-abcdefghijklmnop", locationId: fake.locationId, signatureKey: SIGNATURE_KEY, notificationUrl }, owner.cookie);
    if (res.status !== 303) throw new Error(`connect failed ${res.status} ${await res.text()}`);
    if (opts.pair !== false) {
      await post("/admin/square/pair", {}, owner.cookie);
      const code = [...fake.codes.values()].at(-1)!;
      deviceId = fake.pair(code.id);
      await post("/admin/square/pair/check", {}, owner.cookie);
    }
  }
  return {
    fake, db, app, rid, demo, api, m, owner, server, manager, managerPin, notificationUrl, deviceId, post, postJson, page, place, rings, order, webhook,
    close: async () => { await made.close(); fake.stop(); await db.drop(); },
  };
}

export type SquareFixture = Awaited<ReturnType<typeof squareFixture>>;
