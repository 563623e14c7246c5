import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, ROOT } from "../helpers/proc";
import { waitUntil } from "../helpers/redis";

setDefaultTimeout(240_000);

/**
 * No container engine runs here, so this test plays one: it reads the Dockerfile and carries out its
 * instructions in order, each stage in a clean directory standing for the image's /app, the host
 * standing for the base image. RUN runs the command (apt-get installs are checked with dpkg instead:
 * the host's packages play the base image's), COPY copies from the repo or an earlier stage, USER bun
 * becomes the unprivileged user nobody, and CMD starts the server with a volume-like DATA_DIR. Then the
 * HEALTHCHECK command must pass, and the server must be ready with its migrations applied.
 */
type Stage = { name: string; dir: string; workdir: string; env: Record<string, string>; user: string | null };

const NON_ROOT = "nobody";
// setpriv execs in place (unlike runuser, which forks): the pid we hold is the server's own.
const AS_NON_ROOT = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];

function instructions(text: string): { op: string; arg: string }[] {
  return text.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    .map((l) => { const [op, ...rest] = l.split(/\s+/); return { op: op!.toUpperCase(), arg: rest.join(" ") }; });
}

describe("the Dockerfile, carried out step by step", () => {
  const root = mkdtempSync(join(tmpdir(), "ros-docker-"));
  chmodSync(root, 0o755);
  let server: ReturnType<typeof Bun.spawn> | null = null;
  afterAll(async () => {
    server?.kill("SIGKILL");
    await server?.exited;
    rmSync(root, { recursive: true, force: true });
  });

  it("installs with the frozen lockfile and no dev dependencies, runs as a non-root user, migrates, serves, and passes its HEALTHCHECK", async () => {
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    const args: Record<string, string> = {};
    const stages: Stage[] = [];
    let stage: Stage | null = null;
    let health: string | null = null;
    let cmd: string[] | null = null;
    const log: string[] = [];
    const mapPath = (s: Stage, value: string) => value.replaceAll("/app", s.dir).replaceAll("bun:bun", `${NON_ROOT}:nogroup`);
    const sub = (value: string) => value.replace(/\$\{(\w+)\}/g, (_, k: string) => args[k] ?? "");

    for (const { op, arg } of instructions(dockerfile)) {
      if (op === "ARG") { const [k, v = ""] = arg.split("="); args[k!] = v; continue; }
      if (op === "FROM") {
        const [image, , name] = sub(arg).split(/\s+/);
        expect(image).toMatch(/^oven\/bun:\d+\.\d+\.\d+(-[a-z]+)?$/); // pinned to an exact Bun version
        const dir = join(root, `stage-${name ?? stages.length}`);
        mkdirSync(dir, { recursive: true });
        chmodSync(dir, 0o755);
        stage = { name: name ?? String(stages.length), dir, workdir: dir, env: {}, user: null };
        stages.push(stage);
        log.push(`FROM ${image}`);
        continue;
      }
      if (!stage) throw new Error(`${op} before FROM`);
      const s = stage;
      switch (op) {
        case "WORKDIR": s.workdir = mapPath(s, arg); mkdirSync(s.workdir, { recursive: true }); break;
        case "ENV": for (const [, k, v] of arg.matchAll(/(\w+)=(\S+)/g)) s.env[k!] = mapPath(s, v!); break;
        case "USER": expect(arg).not.toBe("root"); s.user = NON_ROOT; break;
        case "COPY": {
          const parts = arg.split(/\s+/);
          const from = parts[0]!.startsWith("--from=") ? stages.find((x) => x.name === parts.shift()!.slice(7)) : null;
          const dest = parts.pop()!;
          for (const src of parts) {
            const source = from ? mapPath(from, src) : join(ROOT, src);
            const target = dest.endsWith("/") ? join(s.workdir, dest) : join(s.workdir, dest);
            const copy = Bun.spawnSync(["cp", "-a", source, target]);
            if (copy.exitCode !== 0) throw new Error(`COPY ${src} failed: ${copy.stderr.toString()}`);
          }
          break;
        }
        case "RUN": {
          if (arg.includes("apt-get install")) {
            // The host plays the base image: its packages must already be what the image installs.
            const pkgs = arg.split("apt-get install")[1]!.split("&&")[0]!.split(/\s+/).filter((p) => p && !p.startsWith("-"));
            for (const pkg of pkgs) expect({ pkg, installed: Bun.spawnSync(["dpkg", "-s", pkg]).exitCode === 0 }).toEqual({ pkg, installed: true });
            log.push(`RUN apt-get (checked: ${pkgs.join(" ")})`);
            break;
          }
          const command = mapPath(s, arg);
          const run = Bun.spawnSync(s.user ? [...AS_NON_ROOT, "sh", "-c", command] : ["sh", "-c", command],
            { cwd: s.workdir, env: { ...process.env, ...s.env }, stdout: "pipe", stderr: "pipe" });
          if (run.exitCode !== 0) throw new Error(`RUN ${arg} failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
          log.push(`RUN ${arg}`);
          break;
        }
        case "HEALTHCHECK": health = arg.split(/\bCMD\s+/)[1]!; break;
        case "CMD": cmd = JSON.parse(arg); break;
        case "VOLUME": case "EXPOSE": break;
        default: throw new Error(`the test does not know the Dockerfile instruction ${op}`);
      }
    }
    const final = stages[stages.length - 1]!;
    expect(stages.length).toBeGreaterThanOrEqual(2); // multi-stage
    expect(final.user).toBe(NON_ROOT);
    expect(health).toBeTruthy();
    expect(cmd).toBeTruthy();

    // No dev dependencies in the runtime stage, and the production ones are there.
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    // A dev dependency may be there only because a production package depends on it (as @elysiajs/html
    // does on @kitajs/ts-html-plugin, and Elysia's peers on @types/bun); pulled in by nothing, it must be absent.
    const pulledIn = new Set<string>();
    for (const file of new Bun.Glob("**/package.json").scanSync({ cwd: join(final.dir, "node_modules") })) {
      try {
        const meta = JSON.parse(readFileSync(join(final.dir, "node_modules", file), "utf8"));
        for (const dep of Object.keys({ ...meta.dependencies, ...meta.peerDependencies })) pulledIn.add(dep);
      } catch {}
    }
    const devOnly = Object.keys(pkg.devDependencies).filter((d) => !pulledIn.has(d));
    expect(devOnly).toContain("drizzle-kit");
    for (const dev of devOnly) expect({ dev, present: existsSync(join(final.dir, "node_modules", dev)) }).toEqual({ dev, present: false });
    for (const dep of Object.keys(pkg.dependencies)) expect({ dep, present: existsSync(join(final.dir, "node_modules", dep)) }).toEqual({ dep, present: true });
    expect(existsSync(join(final.dir, "tests"))).toBe(false);
    expect(statSync(final.env.DATA_DIR!).uid).toBe(65534);

    // docker run -e SESSION_SECRET=... -e PIN_PEPPER=... -v data:/app/data restaurant-os
    const port = await freePort();
    const env = {
      PATH: process.env.PATH!, HOME: final.dir, ...final.env, PORT: String(port),
      SESSION_SECRET: "docker-test-session-secret-0123456789abcdef", PIN_PEPPER: "docker-test-pin-pepper-0123456789abcdef", LOG_LEVEL: "warn",
    };
    server = Bun.spawn([...AS_NON_ROOT, ...cmd!], { cwd: final.workdir, env, stdout: "pipe", stderr: "pipe" });
    const output: string[] = [];
    void new Response(server.stdout as ReadableStream).text().then((t) => output.push(t));
    void new Response(server.stderr as ReadableStream).text().then((t) => output.push(t));
    await waitUntil(async () => {
      if (server!.exitCode !== null) throw new Error(`the server exited with ${server!.exitCode}: ${output.join("\n")}`);
      return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    }, 90_000);

    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    expect(ready.checks).toEqual({ database: "ok", migrations: "ok" });
    // The server runs as the unprivileged user, and its database files are in the volume.
    expect(/Uid:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1]).toBe("65534");
    expect(existsSync(join(final.env.DATA_DIR!, "PG_VERSION"))).toBe(true);

    const check = Bun.spawnSync([...AS_NON_ROOT, "sh", "-c", health!], { cwd: final.workdir, env, stdout: "pipe", stderr: "pipe" });
    expect({ healthcheck: check.exitCode, stderr: check.stderr.toString() }).toEqual({ healthcheck: 0, stderr: "" });
    console.log(log.join("\n"));
  });
});
