import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createBus, type EventBus } from "../../src/realtime/bus";
import {
  createSseResponse, encodeSse, parseLastEventId, planResume, SSE_MAX_QUEUED_BYTES, sseComment, type SendSse, type SseOptions,
} from "../../src/realtime/sse";
import { openTestDatabase, type TestDatabase } from "../helpers/db";
import { addRestaurant, appendMany, memoryLog, readStream } from "./helpers";

type Parsed = { id: string; event: string; data: string; retry: number | null };

/** The browser's side of text/event-stream (WHATWG HTML "event stream interpretation"), to read back what we write. */
function parseEventStream(text: string): Parsed[] {
  const dispatched: Parsed[] = [];
  let data: string[] = [];
  let event = "";
  let id = "";
  let retry: number | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (data.length > 0) dispatched.push({ id, event: event || "message", data: data.join("\n"), retry });
      data = [];
      event = "";
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) id = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }
  return dispatched;
}

describe("encodeSse", () => {
  it("writes one data line per line, whatever the line ending", () => {
    const text = encodeSse({ data: "one\ntwo\r\nthree\rfour" });
    expect(text).toBe("data: one\ndata: two\ndata: three\ndata: four\n\n");
    expect(parseEventStream(text)).toEqual([{ id: "", event: "message", data: "one\ntwo\nthree\nfour", retry: null }]);
  });

  it("keeps HTML fragments with blank lines and leading spaces intact", () => {
    const fragment = '<li id="ticket-7">\n\n  <b>2x Burger</b>\n</li>\n';
    const [parsed] = parseEventStream(encodeSse({ event: "ticket", data: fragment }));
    expect(parsed!.data).toBe(fragment);
  });

  it("writes id, event and retry lines, and ends with a blank line", () => {
    const text = encodeSse({ id: 42, event: "order.sent", data: "{}", retry: 5000 });
    expect(text).toBe("event: order.sent\nid: 42\nretry: 5000\ndata: {}\n\n");
    expect(parseEventStream(text)).toEqual([{ id: "42", event: "order.sent", data: "{}", retry: 5000 }]);
  });

  it("cannot be tricked into writing extra fields through data", () => {
    const parsed = parseEventStream(encodeSse({ id: 1, data: "x\n\nid: 999\nevent: evil\ndata: injected" }));
    expect(parsed).toHaveLength(1);
    expect(parsed[0]!.id).toBe("1");
    expect(parsed[0]!.event).toBe("message");
  });

  it("refuses an id or event that would break out of its line, and a bad retry", () => {
    expect(() => encodeSse({ id: "1\nevent: evil", data: "x" })).toThrow(TypeError);
    expect(() => encodeSse({ id: "1\0", data: "x" })).toThrow(TypeError);
    expect(() => encodeSse({ event: "a\rb", data: "x" })).toThrow(TypeError);
    expect(() => encodeSse({ data: "x", retry: -1 })).toThrow(RangeError);
    expect(() => encodeSse({ data: "x", retry: 1.5 })).toThrow(RangeError);
  });

  it("writes comments that browsers ignore, one line at a time", () => {
    expect(sseComment("ping")).toBe(": ping\n\n");
    expect(sseComment("a\nb")).toBe(": a\n: b\n\n");
    expect(parseEventStream(sseComment("a\ndata: sneaky"))).toEqual([]);
  });
});

describe("parseLastEventId", () => {
  it("returns the seq to resume after", () => {
    expect(parseLastEventId("0", 10)).toBe(0);
    expect(parseLastEventId("7", 10)).toBe(7);
    expect(parseLastEventId("10", 10)).toBe(10);
  });

  it("says missing when there is none", () => {
    expect(parseLastEventId(null, 10)).toBe("missing");
    expect(parseLastEventId(undefined, 10)).toBe("missing");
    expect(parseLastEventId("", 10)).toBe("missing");
  });

  it("treats garbage, negative and huge values as unknown", () => {
    for (const value of ["abc", "1.5", "1e3", " 5", "5 ", "+5", "-1", "0x10", "١٢", "9007199254740993", "99999999999999999999"]) {
      expect(parseLastEventId(value, 10)).toBe("unknown");
    }
  });

  it("treats a seq from the future (another restaurant, a reset database) as future", () => {
    expect(parseLastEventId("11", 10)).toBe("future");
    expect(parseLastEventId("5", 0)).toBe("future");
  });
});

describe("planResume on pglite", () => {
  let db: TestDatabase;
  let bus: EventBus;
  let a: string;

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    bus = createBus({ database: db, log: memoryLog().log, pollMs: 60_000 });
    a = await addRestaurant(db.db, "a");
    await appendMany(db.db, a, 5);
  });
  afterAll(async () => {
    await bus.close();
    await db.drop();
  });

  it("replays what the client missed", async () => {
    const plan = await planResume(bus, a, "3", 10);
    expect(plan.kind).toBe("replay");
    if (plan.kind !== "replay") return;
    expect(plan.events.map((e) => e.seq)).toEqual([4, 5]);
    expect(plan.afterSeq).toBe(5);
  });

  it("resumes an up-to-date client with nothing to replay", async () => {
    expect(await planResume(bus, a, "5", 10)).toEqual({ kind: "replay", events: [], afterSeq: 5 });
  });

  it("refreshes a client too far behind, a new one, a garbage one and one from the future", async () => {
    expect(await planResume(bus, a, "1", 2)).toEqual({ kind: "refresh", reason: "too-far-behind", afterSeq: 5 });
    expect(await planResume(bus, a, null, 10)).toEqual({ kind: "refresh", reason: "missing", afterSeq: 5 });
    expect(await planResume(bus, a, "x", 10)).toEqual({ kind: "refresh", reason: "unknown", afterSeq: 5 });
    expect(await planResume(bus, a, "6", 10)).toEqual({ kind: "refresh", reason: "future", afterSeq: 5 });
  });

  it("ends the stream when the bus closes", async () => {
    const other = createBus({ database: db, log: memoryLog().log, pollMs: 60_000 });
    let unsubscribed = 0;
    const response = createSseResponse({
      request: new Request("http://localhost/events"),
      start: (send, end) => {
        const unsubscribe = other.subscribe(a, 5, (events) => { for (const e of events) send({ id: e.seq, data: e.type }); }, end);
        return () => { unsubscribed++; unsubscribe(); };
      },
    });
    const stream = readStream(response);
    await stream.until((text) => text.includes("retry:"));
    await other.close();
    expect(await stream.ended()).toBe(true);
    expect(unsubscribed).toBe(1);
  });

  it("streams events from the bus with their seq as id", async () => {
    const response = createSseResponse({
      request: new Request("http://localhost/events"),
      start: (send, end) => bus.subscribe(a, 5, (events) => { for (const e of events) send({ id: e.seq, event: e.type, data: JSON.stringify(e.data) }); }, end),
    });
    const stream = readStream(response);
    await appendMany(db.db, a, 2);
    const text = await stream.until((t) => t.includes("id: 7"));
    expect(parseEventStream(text).map((e) => [e.id, e.event, e.data])).toEqual([["6", "test", '{"i":0}'], ["7", "test", '{"i":1}']]);
    await stream.cancel();
  });
});

describe("createSseResponse", () => {
  function open(overrides: Partial<SseOptions> = {}) {
    const controller = new AbortController();
    const calls = { cleanup: 0, send: null as SendSse | null, end: null as (() => void) | null };
    const response = createSseResponse({
      request: new Request("http://localhost/events", { signal: controller.signal }),
      heartbeatMs: 40,
      start: (send, end) => {
        calls.send = send;
        calls.end = end;
        return () => { calls.cleanup++; };
      },
      ...overrides,
    });
    return { response, abort: () => controller.abort(), calls, stream: readStream(response) };
  }

  it("answers with event-stream headers that keep proxies from buffering", () => {
    const { response, abort } = open();
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    abort();
  });

  it("sends retry first, then events, then a ping every heartbeatMs", async () => {
    const { stream, calls, abort } = open({ retryMs: 2500 });
    calls.send!({ id: 1, data: "hello" });
    const text = await stream.until((t) => t.split(": ping\n\n").length >= 4, 2_000);
    expect(text.startsWith("retry: 2500\n\nid: 1\ndata: hello\n\n: ping\n\n: ping\n\n")).toBe(true);
    abort();
  });

  it("stops on client abort: stream ends, cleanup runs once, later sends are dropped", async () => {
    const { stream, calls, abort } = open();
    await stream.until((t) => t.includes("retry:"));
    abort();
    expect(await stream.ended()).toBe(true);
    expect(calls.cleanup).toBe(1);
    expect(calls.send!({ data: "too late" })).toBe(false);
    calls.end!();
    expect(calls.cleanup).toBe(1);
  });

  it("stops on its own signal (server shutdown)", async () => {
    const shutdown = new AbortController();
    const { stream, calls } = open({ signal: shutdown.signal });
    await stream.until((t) => t.includes("retry:"));
    shutdown.abort();
    expect(await stream.ended()).toBe(true);
    expect(calls.cleanup).toBe(1);
  });

  it("never opens for a request already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    let started = 0;
    const response = createSseResponse({ request: new Request("http://localhost/", { signal: controller.signal }), start: () => { started++; } });
    expect(await response.text()).toBe("");
    expect(started).toBe(0);
  });

  it("survives a consumer that cancels, without throwing into the closed stream", async () => {
    const { stream, calls } = open();
    await stream.until((t) => t.includes("retry:"));
    await stream.cancel();
    expect(calls.cleanup).toBe(1);
    expect(calls.send!({ data: "after cancel" })).toBe(false);
    await Bun.sleep(100);
  });

  it("runs cleanup when start ends the stream before returning it", async () => {
    let cleaned = 0;
    const response = createSseResponse({ request: new Request("http://localhost/"), start: (_send, end) => { end(); return () => { cleaned++; }; } });
    expect(await response.text()).toBe("retry: 3000\n\n");
    expect(cleaned).toBe(1);
  });

  it("lets an error in start reach the route", () => {
    expect(() => createSseResponse({ request: new Request("http://localhost/"), start: () => { throw new Error("no such station"); } })).toThrow("no such station");
  });

  it("cuts off a client that stops reading instead of queueing without bound", async () => {
    const { calls, stream } = open({ heartbeatMs: 60_000 });
    const chunk = "x".repeat(10_000);
    let sent = 0;
    while (calls.send!({ data: chunk }) && sent < 1_000) sent++;
    expect(sent * chunk.length).toBeGreaterThan(SSE_MAX_QUEUED_BYTES - chunk.length);
    expect(sent * chunk.length).toBeLessThan(SSE_MAX_QUEUED_BYTES + 2 * chunk.length);
    expect(calls.cleanup).toBe(1);
    await stream.cancel();
  });
});
