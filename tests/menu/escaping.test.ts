import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { menuWorld, byName, type MenuWorld } from "./setup";
import { req } from "../helpers/app";

const SCRIPT = `<script>alert("x")</script>`;
const IMG = `<img src=x onerror=alert(1)>`;

describe("menu admin: HTML typed into any text field is shown as text everywhere", () => {
  let w: MenuWorld;
  const pages: string[] = [];
  beforeAll(async () => {
    w = await menuWorld();
    await w.post("/admin/menu/categories", w.manager, { name: `Cat ${SCRIPT}` });
    await w.post("/admin/menu/taxes", w.manager, { name: `Tax ${IMG}`, rate: "5" });
    await w.post("/admin/menu/groups", w.manager, { name: `Group ${SCRIPT}`, minSelect: "0", maxSelect: "1", options: `Opt ${IMG}\nPlain` });
    const d = byName(await w.data());
    const category = (await w.data()).categories.find((c) => c.name.startsWith("Cat "))!;
    const tax = (await w.data()).taxCategories.find((t) => t.name.startsWith("Tax "))!;
    const group = (await w.data()).groups.find((g) => g.name.startsWith("Group "))!;
    const res = await w.post("/admin/menu/items", w.manager, {
      categoryId: category.id, name: `Item ${SCRIPT}`, description: `Desc ${IMG}\nline two`, kitchenName: `K ${IMG}`.slice(0, 40), price: "1",
      taxCategoryId: tax.id, stationIds: d.station("grill").id,
    });
    const itemPath = res.headers.get("location")!.split("?")[0]!;
    await w.post(`${itemPath}/groups`, w.manager, { groupId: group.id });
    for (const path of ["/admin/menu", "/admin/menu/groups", `/admin/menu/groups/${group.id}`, "/admin/menu/taxes", itemPath]) {
      pages.push(await (await w.get(path, w.manager)).text());
    }
    // A refused form shows the typed value back: that must be escaped too.
    pages.push(await (await w.post("/admin/menu/items", w.manager, { categoryId: category.id, name: `Item ${SCRIPT}`, price: `${IMG}` })).text());
    const option = (await w.data()).options.find((o) => o.name.startsWith("Opt "))!;
    pages.push(await (await w.app.handle(req(`/menu/options/${option.id}/availability`, { method: "POST", headers: { cookie: w.manager, "hx-request": "true" }, form: { available: "false" } }))).text());
  });
  afterAll(() => w.close());

  it("stores the text as typed", async () => {
    const d = await w.data();
    expect(d.items.some((i) => i.name === `Item ${SCRIPT}`)).toBe(true);
  });

  it("never puts a live <script> or <img onerror> of the user's into a page (as parsed by an HTML parser)", async () => {
    expect(pages).toHaveLength(7);
    for (const html of pages) {
      const found = await parse(html);
      expect(found.inlineScripts).toEqual([]);
      expect(found.images).toBe(0);
      expect(found.handlers).toEqual([]);
    }
  });

  it("shows it as text instead: escaped in element text, quoted in attributes", async () => {
    const all = pages.join("\n");
    expect(all).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(all).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // Item page: the browser reads the name input's value and the description back as the typed text.
    const item = await parse(pages[4]!);
    expect(item.values.get("name")).toBe(`Item ${SCRIPT}`);
    expect(pages[4]).toContain("Desc &lt;img src=x onerror=alert(1)&gt;");
  });

  it("keeps it as plain data in the menu API and the CSV export", async () => {
    const api = await w.app.handle(req("/api/v1/menu", { headers: { authorization: `Bearer ${w.home.apiKey}` } }));
    expect(api.headers.get("content-type")).toBe("application/json");
    expect(JSON.stringify(await api.json())).toContain(JSON.stringify(`Item ${SCRIPT}`).slice(1, -1));
    const csv = await (await w.get("/admin/menu/export.csv", w.manager)).text();
    expect(csv).toContain(`"Item <script>alert(""x"")</script>"`);
  });
});

/** What a browser would build from the page: inline scripts, images, inline handlers, input values. */
async function parse(html: string) {
  const found = { inlineScripts: [] as string[], images: 0, handlers: [] as string[], values: new Map<string, string>() };
  let inScript = false;
  const rewriter = new HTMLRewriter()
    .on("script", {
      element(el) {
        inScript = !el.getAttribute("src");
        el.onEndTag(() => { inScript = false; });
      },
      text(t) { if (inScript && t.text.trim()) found.inlineScripts.push(t.text); },
    })
    .on("img", { element() { found.images++; } })
    .on("*", {
      element(el) {
        for (const [name] of el.attributes) if (/^on/i.test(name)) found.handlers.push(`${el.tagName} ${name}`);
        if (el.tagName === "input" && el.getAttribute("name") && el.getAttribute("type") === "text") {
          found.values.set(el.getAttribute("name")!, decode(el.getAttribute("value") ?? ""));
        }
      },
    });
  await rewriter.transform(new Response(html)).text();
  return found;
}

// HTMLRewriter hands attribute values over as written in the source.
function decode(value: string): string {
  return value.replaceAll("&#34;", '"').replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}
