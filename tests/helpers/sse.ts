export type SseMessage = { id?: string; event?: string; data: string };

/** One SSE message from the text between two blank lines (comments skipped; null when it holds none). */
export function parseSseBlock(block: string): SseMessage | null {
  const msg: SseMessage = { data: "" };
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "id") msg.id = value;
    else if (field === "event") msg.event = value;
  }
  if (!data.length && !msg.event) return null;
  msg.data = data.join("\n");
  return msg;
}

/** Reads an SSE Response body message by message, like a browser's EventSource would. */
export function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const messages: SseMessage[] = [];
  let done = false;
  const pump = (async () => {
    while (true) {
      const { value, done: finished } = await reader.read();
      if (finished) { done = true; return; }
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const msg = parseSseBlock(block);
        if (msg) messages.push(msg);
      }
    }
  })().catch(() => { done = true; });
  return {
    messages,
    get done() { return done; },
    /** Waits for a message matching the predicate (that arrives after `from`), or fails after timeoutMs. */
    async next(predicate: (m: SseMessage) => boolean = () => true, timeoutMs = 5000, from = 0) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const found = messages.slice(from).find(predicate);
        if (found) return found;
        if (done) break;
        await Bun.sleep(10);
      }
      throw new Error(`no matching SSE message within ${timeoutMs} ms (got ${messages.length}: ${messages.map((m) => m.event).join(",")})`);
    },
    async waitClosed(timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!done && Date.now() < until) await Bun.sleep(10);
      return done;
    },
    cancel: () => reader.cancel().catch(() => {}),
    pump,
  };
}
