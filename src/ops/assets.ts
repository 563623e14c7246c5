import { Elysia } from "elysia";
import { staticPlugin } from "@elysiajs/static";

// htmx and Alpine are served from node_modules so nobody edits a vendored copy by hand.
const vendor: Record<string, string> = {
  "htmx.min.js": "htmx.org/dist/htmx.min.js",
  "alpine-csp.min.js": "@alpinejs/csp/dist/cdn.min.js",
};

export function assetRoutes() {
  return new Elysia({ name: "assets" })
    .use(staticPlugin({ assets: "public", prefix: "/public", alwaysStatic: false, headers: { "cache-control": "public, max-age=300" } }))
    .get("/vendor/:file", ({ params, set }) => {
      const path = vendor[params.file];
      if (!path) {
        set.status = 404;
        return "Not found";
      }
      set.headers["content-type"] = "text/javascript; charset=utf-8";
      set.headers["cache-control"] = "public, max-age=86400";
      return Bun.file(Bun.resolveSync(path, import.meta.dir));
    });
}
