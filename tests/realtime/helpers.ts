import pino from "pino";
import type { EventType } from "../../src/realtime/catalogue";
import type { Db } from "../../src/db/client";
import { restaurants } from "../../src/db/schema";
import { withSystem, withTenant } from "../../src/db/tenant";
import type { EventBus, EventRow } from "../../src/realtime/bus";
import { appendEvent } from "../../src/realtime/events";

export async function addRestaurant(db: Db, slug: string): Promise<string> {
  const [row] = await withSystem(db, (tx) => tx.insert(restaurants).values({ slug, name: slug }).returning({ id: restaurants.id }));
  return row!.id;
}

/** Appends one event the way a service does: in its own tenant transaction. */
export function append(db: Db, restaurantId: string, type = "test", data: Record<string, unknown> = {}): Promise<number> {
  return withTenant(db, restaurantId, (tx) => appendEvent(tx, restaurantId, type as EventType, data as never)); // the bus tests move made-up types
}

export async function appendMany(db: Db, restaurantId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await append(db, restaurantId, "test", { i });
}

export type Collector = { seqs: number[]; batches: EventRow[][]; closed: number; unsubscribe: () => void };

/** Subscribes and records everything delivered, so a test can compare it with what was appended. */
export function collect(bus: EventBus, restaurantId: string, afterSeq: number): Collector {
  const collector: Collector = { seqs: [], batches: [], closed: 0, unsubscribe: () => {} };
  collector.unsubscribe = bus.subscribe(
    restaurantId,
    afterSeq,
    (events) => {
      collector.batches.push(events);
      for (const event of events) collector.seqs.push(event.seq);
    },
    () => { collector.closed++; },
  );
  return collector;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(5);
  }
}

/** A real pino logger whose lines a test can read. */
export function memoryLog() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => { lines.push(JSON.parse(line)); } });
  return { log, lines, messages: () => lines.map((line) => line.msg) };
}

/** Reads a response body in the background so tests can wait for text to arrive or for the end. */
export function readStream(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let done = false;
  const finished = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
    } catch {
      // An aborted fetch rejects the read: for these tests that is an end like any other.
    }
    done = true;
  })();
  return {
    async until(condition: (text: string) => boolean, timeoutMs = 2_000): Promise<string> {
      await waitUntil(() => condition(text) || done, timeoutMs, "stream text");
      return text;
    },
    async ended(timeoutMs = 2_000): Promise<boolean> {
      return Promise.race([finished.then(() => true), Bun.sleep(timeoutMs).then(() => false)]);
    },
    isDone: () => done,
    cancel: () => reader.cancel(),
  };
}
