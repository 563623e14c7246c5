import { testConfig } from "./app";
import { freePort, ROOT } from "./proc";
import { waitUntil } from "./redis";

export type ServerProcess = {
  name: string; port: number; base: string; proc: ReturnType<typeof Bun.spawn>;
  /** Every line the process wrote to stdout and stderr, as written (pino JSON lines). */
  lines: string[];
  stop: (signal?: NodeJS.Signals) => Promise<number>;
};

/**
 * `bun src/server.ts` as an operator starts it, on a free loopback port, with its output captured
 * line by line. Resolves once /readyz answers 200.
 */
const NO_REQUEST_LIMITS = Object.fromEntries(["KEY_READS", "KEY_WRITES", "KEY_HEAVY", "IP_READS", "IP_WRITES", "IP_HEAVY"].map((n) => [`RATE_LIMIT_${n}`, "0"]));

export async function startServer(name: string, env: Record<string, string>, cmd: string[] = ["bun", "src/server.ts"], cwd = ROOT): Promise<ServerProcess> {
  const config = testConfig();
  const port = await freePort();
  const proc = Bun.spawn(cmd, {
    cwd,
    env: {
      ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", PORT: String(port), HOST: "127.0.0.1", DB_POOL_SIZE: "5",
      SESSION_SECRET: config.sessionSecret, PIN_PEPPER: config.pinPepper, SEED_DEMO: "0", PGAPPNAME: name,
      // Request rate limits are off unless a test sets them (as in-process tests: tests/helpers/app.ts).
      ...NO_REQUEST_LIMITS, ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  for (const stream of [proc.stdout, proc.stderr] as ReadableStream<Uint8Array>[]) {
    void (async () => {
      const decoder = new TextDecoder();
      let rest = "";
      const reader = stream.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        const parts = (rest + decoder.decode(chunk.value, { stream: true })).split("\n");
        rest = parts.pop()!;
        lines.push(...parts);
      }
      if (rest) lines.push(rest);
    })().catch(() => {});
  }
  const base = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    name, port, base, proc, lines,
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      const code = await Promise.race([proc.exited, Bun.sleep(10_000).then(() => -1)]);
      if (code === -1) proc.kill("SIGKILL");
      return proc.exited;
    },
  };
  try {
    await waitUntil(async () => {
      if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode} while starting:\n${lines.join("\n")}`);
      return fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    }, 30_000);
  } catch (error) {
    proc.kill("SIGKILL");
    throw error;
  }
  return server;
}

/** The JSON log lines a process wrote, parsed (other lines skipped). */
export function jsonLines(server: Pick<ServerProcess, "lines">): Record<string, unknown>[] {
  return server.lines.flatMap((line) => { try { return [JSON.parse(line)]; } catch { return []; } });
}
