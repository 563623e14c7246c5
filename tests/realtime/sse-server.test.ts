import { describe, expect, it } from "bun:test";
import { createSseResponse } from "../../src/realtime/sse";
import { readStream, waitUntil } from "./helpers";

describe("createSseResponse behind a real Bun server", () => {
  it("notices a browser that goes away", async () => {
    let cleaned = 0;
    const server = Bun.serve({ port: 0, fetch: (request) => createSseResponse({ request, start: () => () => { cleaned++; } }) });
    try {
      const client = new AbortController();
      const response = await fetch(server.url, { signal: client.signal });
      const reader = response.body!.getReader();
      await reader.read();
      client.abort();
      await waitUntil(() => cleaned === 1, 3_000, "the server to see the abort");
    } finally {
      server.stop(true);
    }
  });

  it("keeps a quiet stream open past the server's idle timeout thanks to heartbeats, which a stream without them does not survive", async () => {
    // Bun sweeps idle sockets every 4 s, so idleTimeout 5 drops a silent stream after about 8 s.
    const server = Bun.serve({
      port: 0,
      idleTimeout: 5,
      fetch: (request) => createSseResponse({ request, heartbeatMs: new URL(request.url).searchParams.has("quiet") ? 60_000 : 1_000, start: () => {} }),
    });
    const clients = new AbortController();
    try {
      const beating = readStream(await fetch(server.url, { signal: clients.signal }));
      const quiet = readStream(await fetch(new URL("?quiet", server.url), { signal: clients.signal }));
      expect(await quiet.ended(12_000)).toBe(true);
      expect(beating.isDone()).toBe(false);
      expect(await beating.until((text) => text.includes(": ping"))).toContain(": ping\n\n");
    } finally {
      clients.abort();
      server.stop(true);
    }
  }, 15_000);
});
