/**
 * Whether the database can be reached, as one process sees it. Without this, a request during an outage
 * waits in postgres.js's queue for as long as reconnecting takes (measured: up to 18 s for a 3 s stop),
 * and then fails as a 500. With it, the first connection failure starts a probe; while the probe fails
 * the database is "down" and every transaction is refused at once (503 with Retry-After), and the probe
 * that succeeds puts it back "up" (within probeEveryMs of the database answering again).
 */
export type DbHealth = {
  isUp: () => boolean;
  /** A connection failed or closed: probe now (a single lost connection is not an outage). */
  suspect: () => void;
  /** Called on every change between up and down; returns the function that stops calling. */
  onChange: (fn: (up: boolean) => void) => () => void;
  close: () => void;
};

export type HealthOptions = {
  /** One cheap round trip, e.g. `select 1`; it rejects (or outlasts probeTimeoutMs) when the database is out of reach. */
  probe: () => Promise<unknown>;
  probeEveryMs?: number;
  probeTimeoutMs?: number;
  log?: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };
};

/** How long a request may wait for a connection before it is answered 503 (the pool is then saturated or the database out of reach). */
export const ACQUIRE_TIMEOUT_MS = 3_000;
/** The Retry-After a refused request gets, in seconds: about how long a probe cycle and a reconnect take. */
export const RETRY_AFTER_SECONDS = 2;

/** The database cannot be reached (or did not hand out a connection in time): a 503, never a 500. */
export class DatabaseUnavailable extends Error {
  constructor(message = "The database cannot be reached") {
    super(message);
    this.name = "DatabaseUnavailable";
  }
}

// postgres.js's own connection errors, the socket's, and Postgres's "go away" codes: class 08
// (connection exception), 57P01-57P03 (shutting down, crashed, starting up) and 53300 (too many connections).
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "57P01", "57P02", "57P03", "53300",
]);

/** True for "the database is not there" failures, looking through Drizzle's wrapper; false for query errors. */
export function isConnectionFailure(error: unknown): boolean {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e instanceof DatabaseUnavailable) return true;
    if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** For the embedded database: in-process, it is there as long as the process is. */
export const alwaysUp: DbHealth = { isUp: () => true, suspect: () => {}, onChange: () => () => {}, close: () => {} };

export function createHealth(options: HealthOptions): DbHealth {
  const every = options.probeEveryMs ?? 250;
  const timeout = options.probeTimeoutMs ?? 1_000;
  const listeners = new Set<(up: boolean) => void>();
  let up = true;
  let downSince = 0;
  let probing = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function set(next: boolean): void {
    if (next === up) return;
    up = next;
    if (!up) {
      downSince = performance.now();
      options.log?.warn({}, "database unreachable: requests are answered 503 until it is back");
    } else {
      options.log?.info({ downMs: Math.round(performance.now() - downSince) }, "database reachable again");
    }
    for (const fn of listeners) {
      try {
        fn(up);
      } catch {
        // A listener's failure must not stop the others from hearing about the change.
      }
    }
  }

  async function probeOnce(): Promise<boolean> {
    let deadline: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        options.probe(),
        new Promise((_, reject) => {
          deadline = setTimeout(() => reject(new DatabaseUnavailable("probe timed out")), timeout);
          deadline.unref?.();
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(deadline);
    }
  }

  // Probes until one succeeds: the first failure marks the database down, the first success up again.
  async function probeLoop(): Promise<void> {
    if (probing || closed) return;
    probing = true;
    try {
      while (!closed) {
        const ok = await probeOnce();
        if (closed) return;
        set(ok);
        if (ok) return;
        await new Promise<void>((resolve) => {
          timer = setTimeout(resolve, every);
          // Probing alone must not keep a process (a CLI command, a test) alive.
          timer.unref?.();
        });
      }
    } finally {
      probing = false;
      timer = null;
    }
  }

  return {
    isUp: () => up,
    suspect: () => { void probeLoop(); },
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      listeners.clear();
    },
  };
}
