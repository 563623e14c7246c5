import { describe, expect, it } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";
import { EVENT_TYPES } from "../../src/realtime/catalogue";

const ROOT = join(import.meta.dir, "../..");

async function sources(): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const dir of ["src", "views"]) {
    for await (const path of new Glob("**/*.{ts,tsx}").scan(join(ROOT, dir))) {
      out.push({ path: `${dir}/${path}`, text: await Bun.file(join(ROOT, dir, path)).text() });
    }
  }
  return out;
}

/** Files that append events, and the catalogue names written in them: what the server can emit. */
function emitted(files: { path: string; text: string }[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    if (f.path.endsWith("realtime/catalogue.ts") || !/appendEvent\(|applyOrderChange\(/.test(f.text)) continue;
    for (const name of EVENT_TYPES) if (f.text.includes(`"${name}"`)) names.add(name);
  }
  // Constants named for an event (AVAILABILITY_EVENT = "menu.availability") are emitted where they are used.
  for (const f of files) for (const m of f.text.matchAll(/export const [A-Z_]+_EVENT = "([a-z_.]+)"/g)) names.add(m[1]!);
  return names;
}

describe("the event catalogue", () => {
  it("lists only events some service emits", async () => {
    const out = emitted(await sources());
    expect(EVENT_TYPES.filter((name) => !out.has(name))).toEqual([]);
  });

  it("has no screen listening for an event nobody emits", async () => {
    const files = await sources();
    const out = emitted(files);
    const listened = files.flatMap((f) => [...f.text.matchAll(/isEvent\([^,]+,\s*"([^"]+)"\)/g)].map((m) => ({ name: m[1]!, where: f.path })));
    expect(listened.length).toBeGreaterThan(0);
    expect(listened.filter((l) => !out.has(l.name))).toEqual([]);
  });
});
