// How long to wait before opening a part again after its link was lost or an open failed: exponential, capped,
// with jitter so that parts (and nodes) that failed together — a USB hub losing power, a satellite rebooting —
// do not all knock again in the same instant. Reset once readings flow again.

export interface BackoffOptions {
  /** First delay. Default 1000 ms. */
  initialMs?: number;
  /** No delay is longer than this. Default 60 000 ms. */
  maxMs?: number;
  /** Each delay is drawn from nominal × [1 − jitter, 1 + jitter] (then capped at maxMs). Default 0.2. */
  jitter?: number;
  /** Uniform in [0, 1); injected by tests. Default Math.random. */
  random?: () => number;
}

/** The reopen schedule of the node runtime: 1 s, 2 s, 4 s, … 32 s, then 60 s, each ±20 % and never above 60 s. */
export const REOPEN_BACKOFF = { initialMs: 1000, maxMs: 60_000, jitter: 0.2 } as const;

export class Backoff {
  /** Delays handed out since the last reset (consecutive failures). */
  attempts = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? REOPEN_BACKOFF.initialMs;
    this.maxMs = options.maxMs ?? REOPEN_BACKOFF.maxMs;
    this.jitter = options.jitter ?? REOPEN_BACKOFF.jitter;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs > 0 && this.maxMs >= this.initialMs)) throw new TypeError(`backoff needs 0 < initialMs ≤ maxMs; got ${this.initialMs}, ${this.maxMs}`);
    if (!(this.jitter >= 0 && this.jitter < 1)) throw new TypeError(`backoff jitter must be in [0, 1); got ${this.jitter}`);
  }

  /** The nominal (unjittered) delay of the next attempt. */
  get nominalMs(): number {
    // 2 ** attempts overflows to Infinity long after the cap, so Math.min keeps it finite.
    return Math.min(this.maxMs, this.initialMs * 2 ** this.attempts);
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const factor = 1 - this.jitter + 2 * this.jitter * this.random();
    const ms = Math.min(this.maxMs, Math.round(this.nominalMs * factor));
    this.attempts++;
    return ms;
  }

  reset(): void {
    this.attempts = 0;
  }
}
