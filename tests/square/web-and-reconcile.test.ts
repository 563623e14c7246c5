import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { squareFixture, type SquareFixture } from "./setup";
import { run } from "../helpers/proc";
import { withSquareCsp, squareCspSources } from "../../src/square/web-payments";
import { securityHeaders } from "../../src/ops/security";
import { count } from "../payments/setup";

setDefaultTimeout(60_000);

describe("Web Payments (card not present) and reconciliation", () => {
  let f: SquareFixture;
  beforeAll(async () => { f = await squareFixture("sq-web"); }, 60_000);
  afterAll(() => f.close());

  const web = (orderId: string, json: unknown) => f.api(`/api/v1/orders/${orderId}/card-payments`, { json });

  it("charges a Web Payments token for the server-computed amount with a key from the tender and the verification token", async () => {
    const o = await f.place([f.rings()]);
    const res = await web(o.id, { sourceId: "cnon:card-nonce-ok", verificationToken: "verf:abc", amountCents: 1 });
    expect(res.status).toBe(201);
    const body = await res.json() as any;
    expect(body.payment).toMatchObject({ tender: "card", status: "completed", amountCents: o.totalCents });
    expect(body.card).toMatchObject({ brand: "VISA", last4: "1111" });
    const sent = f.fake.requests.filter((r) => r.path === "/v2/payments" && r.method === "POST").at(-1)!.body!;
    expect(sent).toMatchObject({ source_id: "cnon:card-nonce-ok", verification_token: "verf:abc", idempotency_key: `ros-web-${body.payment.id}`, amount_money: { amount: o.totalCents, currency: "USD" }, location_id: f.fake.locationId });
  });

  it("says a declined card plainly and records the failed tender; the check still owes it all", async () => {
    const o = await f.place([f.rings()]);
    f.fake.knobs.declineNext = "CARD_DECLINED";
    const res = await web(o.id, { sourceId: "cnon:card-nonce-declined" });
    expect(res.status).toBe(422);
    expect((await res.json() as any).message).toContain("CARD_DECLINED");
    const pay = await (await f.api(`/api/v1/orders/${o.id}/payments`)).json() as any;
    expect(pay.balanceDueCents).toBe(o.totalCents);
    expect(pay.payments[0].status).toBe("failed");
  });

  it("does not charge twice when the answer was lost: the retry finds Square's payment by our reference", async () => {
    const o = await f.place([f.rings()]);
    f.fake.knobs.dropAfter = { count: 1, path: "/v2/payments" };
    expect((await web(o.id, { sourceId: "cnon:first" })).status).toBe(502);
    const made = [...f.fake.payments.values()].length;
    const retry = await web(o.id, { sourceId: "cnon:second" });
    expect(retry.status).toBe(201);
    expect([...f.fake.payments.values()].length).toBe(made);
    expect((await retry.json() as any).payment.status).toBe("completed");
  });

  it("refuses a missing token naming the field, with nothing changed", async () => {
    const o = await f.place([f.rings()]);
    const before = await count(f.db.db, "payments");
    const res = await web(o.id, { sourceId: "" });
    expect(res.status).toBe(400);
    expect((await res.json() as any).field).toBe("sourceId");
    expect(await count(f.db.db, "payments")).toBe(before);
  });

  it("widens the CSP with exactly Square's hosts for the SDK, and only where asked", () => {
    const base = securityHeaders("n0nce", { nodeEnv: "test" })["content-security-policy"]!;
    expect(base).not.toContain("squarecdn");
    const sandbox = withSquareCsp(base, "sandbox");
    expect(sandbox).toContain("script-src 'self' 'nonce-n0nce' https://sandbox.web.squarecdn.com");
    expect(sandbox).toContain("frame-src 'self' https://sandbox.web.squarecdn.com");
    expect(sandbox).toContain("https://pci-connect.squareupsandbox.com");
    expect(sandbox).not.toContain("https://web.squarecdn.com ");
    expect(squareCspSources("production").script).toEqual(["https://web.squarecdn.com"]);
    expect(sandbox).toContain("frame-ancestors 'none'");
  });

  it("reconciles the day: matching tenders agree, and a payment only at Square is listed", async () => {
    const ok = await (await f.api(`/admin/square/reconcile`, { cookie: f.owner.cookie })).json() as any;
    expect(ok.differences.filter((d: any) => d.kind !== "unsettled")).toEqual([]);
    // A payment taken at Square outside this POS.
    const stray = [...f.fake.payments.values()][0]!;
    f.fake.payments.set("PAY_STRAY", { ...stray, id: "PAY_STRAY", reference_id: "elsewhere" });
    const diff = await (await f.api(`/admin/square/reconcile`, { cookie: f.owner.cookie })).json() as any;
    expect(diff.differences).toContainEqual(expect.objectContaining({ kind: "missing_here", squarePaymentId: "PAY_STRAY" }));
    const page = await f.page("/admin/square/reconcile", f.owner.cookie);
    expect(page.html).toContain("At Square, no card tender here");
  });

  it("reconciles from the CLI with the same comparison", async () => {
    const r = await run(["src/cli.ts", "square-reconcile", "--slug", "sq-web"], { DATABASE_URL: f.db.url!, SQUARE_BASE_URL: f.fake.url });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("Card reconciliation for sq-web");
    expect(r.stdout).toContain("DIFF missing_here");
  });

  it("keeps the Square settings to owners: a manager is refused", async () => {
    expect((await f.page("/admin/square", f.manager.cookie)).status).toBe(403);
    const res = await f.post("/admin/square", { environment: "production", locationId: "X", accessToken: "short" }, f.owner.cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Enter the Square location id");
  });
});
