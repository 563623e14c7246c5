/**
 * A lean SSE client on a raw TCP socket, for holding thousands of streams from one process: Bun's
 * fetch caps requests in flight per process, and a socket costs a few kilobytes where a fetch costs more.
 * Speaks just enough HTTP/1.1: one GET, response head, chunked or plain body, then SSE messages.
 */
import { parseSseBlock, type SseMessage } from "../tests/helpers/sse";

export type { SseMessage };

export type SseSocket = {
  /** Resolves with the response status once the head has arrived. */
  opened: Promise<number>;
  /** Resolves when the server ends the stream or the socket closes. */
  closed: Promise<void>;
  isClosed: () => boolean;
  close: () => void;
};

const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

export function openSse(port: number, path: string, headers: Record<string, string>, onMessage: (m: SseMessage) => void): SseSocket {
  let pending = Buffer.alloc(0);
  let head: { status: number; chunked: boolean } | null = null;
  /** Bytes left in the current chunk; -1 when a size line is due next. */
  let chunkLeft = -1;
  let text = "";
  const decoder = new TextDecoder();
  let resolveOpened!: (status: number) => void;
  let rejectOpened!: (error: Error) => void;
  let resolveClosed!: () => void;
  let closed = false;
  let socket: { end: () => void } | null = null;
  const opened = new Promise<number>((resolve, reject) => { resolveOpened = resolve; rejectOpened = reject; });
  const closedPromise = new Promise<void>((resolve) => { resolveClosed = resolve; });
  // A caller that never awaits `opened` must not see an unhandled rejection when the socket fails.
  opened.catch(() => {});

  const finish = () => {
    if (closed) return;
    closed = true;
    rejectOpened(new Error("closed before the response head"));
    resolveClosed();
  };

  const body = (bytes: Buffer) => {
    text += decoder.decode(bytes, { stream: true });
    let cut: number;
    while ((cut = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      const message = parseSseBlock(block);
      if (message) onMessage(message);
    }
  };

  const consume = () => {
    if (!head) {
      const end = pending.indexOf(HEAD_END);
      if (end < 0) return;
      const lines = pending.subarray(0, end).toString("latin1").split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
      head = { status, chunked: lines.some((l) => /^transfer-encoding:\s*chunked/i.test(l)) };
      pending = pending.subarray(end + 4);
      resolveOpened(status);
    }
    if (!head.chunked) {
      body(pending);
      pending = Buffer.alloc(0);
      return;
    }
    for (;;) {
      if (chunkLeft < 0) {
        const eol = pending.indexOf(CRLF);
        if (eol < 0) return;
        chunkLeft = parseInt(pending.subarray(0, eol).toString("latin1"), 16);
        pending = pending.subarray(eol + 2);
        if (chunkLeft === 0) {
          socket?.end();
          return;
        }
      }
      if (pending.length < chunkLeft + 2) return;
      body(pending.subarray(0, chunkLeft));
      pending = pending.subarray(chunkLeft + 2);
      chunkLeft = -1;
    }
  };

  const request = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Accept: text/event-stream", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
  Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      open(s) { socket = s; s.write(request); },
      data(_s, chunk) {
        pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
        consume();
      },
      close: finish,
      error: finish,
      connectError: finish,
      end: finish,
    },
  }).catch(finish);

  return {
    opened,
    closed: closedPromise,
    isClosed: () => closed,
    close: () => { socket?.end(); finish(); },
  };
}
