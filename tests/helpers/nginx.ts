import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, ROOT } from "./proc";
import { waitUntil } from "./redis";

export const NGINX = process.env.NGINX_BIN ?? "/usr/sbin/nginx";

/**
 * The repo's deploy/nginx.conf with only what must differ on a test machine rewritten: the listen
 * address, the upstream ports, log paths, and one worker. Everything that matters for the servers
 * (headers, buffering, timeouts, retries) is the file as shipped.
 */
export function testNginxConfig(listenPort: number, upstreamPorts: number[], prefix: string, opts: { proxyBind?: string } = {}): string {
  let conf = readFileSync(join(ROOT, "deploy/nginx.conf"), "utf8");
  const upstreams = upstreamPorts.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join("\n        ");
  conf = conf.replace(/(upstream restaurant_os \{\n)(\s*#.*\n)?(\s*server 127\.0\.0\.1:\d+ .*\n)+/, (_m, head: string, comment = "") => `${head}${comment}        ${upstreams}\n`);
  conf = conf.replace("listen 80;", `listen 127.0.0.1:${listenPort};`);
  conf = conf.replace(/access_log [^;]+;/, `access_log ${join(prefix, "access.log")};`);
  conf = conf.replace(/error_log [^;]+;/, `error_log ${join(prefix, "error.log")} warn;`);
  conf = conf.replace("worker_processes auto;", "worker_processes 1;");
  // Connect to the servers from another loopback address, so the proxy and the test's client differ.
  if (opts.proxyBind) conf = conf.replace("proxy_http_version 1.1;", `proxy_http_version 1.1;\n    proxy_bind ${opts.proxyBind};`);
  if (!conf.includes(`listen 127.0.0.1:${listenPort};`) || upstreamPorts.some((p) => !conf.includes(`127.0.0.1:${p} `))) {
    throw new Error("deploy/nginx.conf no longer has the shape this test rewrites (listen 80; upstream restaurant_os servers)");
  }
  return conf;
}

/** nginx in the foreground (a child process, not a daemon) with its own prefix, on a free port. */
export async function startNginx(upstreamPorts: number[], opts: { proxyBind?: string } = {}) {
  const prefix = mkdtempSync(join(tmpdir(), "ros-nginx-"));
  mkdirSync(join(prefix, "logs"), { recursive: true });
  const port = await freePort();
  const confPath = join(prefix, "nginx.conf");
  writeFileSync(confPath, testNginxConfig(port, upstreamPorts, prefix, opts));
  const args = ["-p", prefix, "-c", confPath, "-e", join(prefix, "error.log"), "-g", `daemon off; pid ${join(prefix, "nginx.pid")};`];
  const check = Bun.spawnSync([NGINX, "-t", ...args], { stderr: "pipe" });
  if (check.exitCode !== 0) throw new Error(`nginx -t failed: ${check.stderr.toString()}`);
  const proc = Bun.spawn([NGINX, ...args], { stdout: "ignore", stderr: "pipe" });
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(async () => {
    if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}: ${readLog(prefix)}`);
    return fetch(`${base}/healthz`).then((r) => r.ok, () => false);
  }, 10_000);
  return {
    base, port, prefix,
    errorLog: () => readLog(prefix),
    stop: async () => {
      proc.kill("SIGQUIT");
      const code = await Promise.race([proc.exited, Bun.sleep(5000).then(() => -1)]);
      if (code === -1) proc.kill("SIGKILL");
      await proc.exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function readLog(prefix: string): string {
  try { return readFileSync(join(prefix, "error.log"), "utf8"); } catch { return ""; }
}
