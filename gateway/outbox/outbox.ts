// Durable store-and-forward in front of the outputs: one append-only log and one cursor per output. A metric is
// written once however many outputs there are; each output reads after its cursor, confirms what the output
// stored, and rows every output has confirmed are deleted.
//
// Backlog without starving live data: an output far behind (after an outage) is handed, in turn, a batch from
// the head (oldest first) and a batch of the newest rows. What it confirms out of order is kept as one persistent
// "live range" (liveFrom, liveTo] next to the cursor; when the head reaches it they merge. So an output's
// confirmed set is always (0, acked] ∪ (liveFrom, liveTo], the queue depth stays exact, and trimming (≤ the
// smallest cursor) never deletes a row some output has not confirmed. Layout and loss window: README.md.
import type { Metric } from '../core/metric.js';
import { MemoryStore } from './memory-store.js';
import { outboxOptions, type OutboxOptions } from './options.js';
import { SqliteStore } from './sqlite-store.js';
import type { CursorState, DeadLetter, OutboxStore } from './store.js';

export type { DeadLetter } from './store.js';

export interface OutboxBatch {
  /** The batch covers ids from < id ≤ lastId (rows a local-only output skips included). */
  from: number;
  /** Id of the last row the batch covers. */
  lastId: number;
  /** 'head': the oldest unconfirmed rows; 'live': the newest, confirmed out of order. */
  side: 'head' | 'live';
  metrics: Metric[];
}

/** What one bounds check dropped. */
export interface BoundsDrop {
  /** Which bound: rows beyond max_rows, or older than max_age_days. */
  bound: 'max_rows' | 'max_age_days';
  /** Rows deleted from the log. */
  rows: number;
  /** Age of the oldest dropped row when it was dropped (ms since accepted). */
  oldestAgeMs: number;
  /** Rows each output had not confirmed and now never will. */
  perOutput: Record<string, number>;
}

const DAY_MS = 86_400_000;

export class Outbox {
  private readonly store: OutboxStore;
  private readonly cursorMap = new Map<string, CursorState>();
  private readonly opts: OutboxOptions;
  private lastId: number;

  /** `file` is ignored when `options.durable` is false. */
  constructor(file: string, outputs: readonly string[], options: Partial<OutboxOptions> = {}, now = Date.now()) {
    this.opts = outboxOptions.parse(options);
    this.store = this.opts.durable ? new SqliteStore(file, this.opts.synchronous, now) : new MemoryStore();
    this.lastId = this.store.lastId();
    for (const c of this.store.cursors()) this.cursorMap.set(c.output, c);
    this.store.transaction(() => {
      for (const o of outputs) {
        if (this.cursorMap.has(o)) continue;
        // A new output starts at the current end of the log: it is not handed what was queued before it existed.
        const c: CursorState = { output: o, acked: this.lastId, liveFrom: 0, liveTo: 0, sentFrom: 0, sentTo: 0 };
        this.store.saveCursor(c);
        this.cursorMap.set(o, c);
      }
      // Cursors of outputs no longer configured would pin the log forever.
      for (const o of [...this.cursorMap.keys()]) {
        if (outputs.includes(o)) continue;
        this.store.deleteCursor(o);
        this.cursorMap.delete(o);
      }
      this.trim();
    });
  }

  get options(): Readonly<OutboxOptions> {
    return this.opts;
  }

  append(metrics: readonly Metric[], now = Date.now()): void {
    // Without a durable output nothing would ever confirm (and trim) the rows.
    if (metrics.length && this.cursorMap.size) this.lastId = this.store.append(metrics, now);
  }

  /**
   * The next batch of at most `limit` ids for `output` (fewer metrics when `localOnly` skips remote ones).
   * 'head': the oldest unconfirmed rows, up to the live range. 'live': the rows right after the live range, or
   * the newest `limit` rows when there is none yet (a plain head batch when that is where they start).
   */
  read(output: string, limit: number, localOnly = false, side: 'head' | 'live' = 'head'): OutboxBatch {
    const c = this.cursor(output);
    const live = c.liveTo > c.liveFrom;
    let from: number;
    let to: number;
    if (side === 'live' && live) {
      from = c.liveTo;
      to = Math.min(from + limit, this.lastId);
    } else if (side === 'live' && this.lastId - limit > c.acked) {
      from = this.lastId - limit;
      to = this.lastId;
    } else {
      from = c.acked;
      to = Math.min(from + limit, live ? c.liveFrom : this.lastId);
      side = 'head';
    }
    return { from, lastId: to, side, metrics: to > from ? this.store.read(from, to, localOnly) : [] };
  }

  /**
   * Records that `batch` is being handed to `output`. Returns how many of its ids were handed out before and not
   * confirmed: rows about to be sent a second time (a statistic). Kept in memory and saved with the next ack, not
   * committed on its own: a commit (an fsync with synchronous=full) per batch only to count resends costs more than
   * it tells; a resend of the batch in flight at a crash goes uncounted.
   */
  markSent(output: string, batch: Pick<OutboxBatch, 'from' | 'lastId'>): number {
    const c = this.cursor(output);
    const resent = Math.max(0, Math.min(batch.lastId, c.sentTo) - Math.max(batch.from, c.sentFrom));
    c.sentFrom = batch.from;
    c.sentTo = batch.lastId;
    return resent;
  }

  /**
   * `output` stored the batch. `deadLetters`: metrics of it the output refused for good, kept in the same commit
   * (a crash cannot leave them both acked and unrecorded). When the commit fails (disk full) nothing moves: the
   * cursor in memory stays where the file has it, so the batch is confirmed again later, dead letters included.
   */
  ack(output: string, batch: Pick<OutboxBatch, 'from' | 'lastId'>, deadLetters: readonly { metric: Metric; reason: string }[] = [], now = Date.now()): void {
    const c = this.cursor(output);
    const { from, lastId } = batch;
    if (lastId <= from) return;
    const before = c.acked;
    this.atomically([c], () => {
      this.confirm(c, from, lastId);
      this.deadLetter(output, deadLetters, now);
      this.store.saveCursor(c);
      if (c.acked > before) this.trim();
    });
  }

  /** Id of the last row `output` confirmed in order. */
  acked(output: string): number {
    return this.cursor(output).acked;
  }

  /** The rows `output` confirmed ahead of its cursor, or undefined. */
  liveRange(output: string): { from: number; to: number } | undefined {
    const c = this.cursor(output);
    return c.liveTo > c.liveFrom ? { from: c.liveFrom, to: c.liveTo } : undefined;
  }

  /** Ids not yet confirmed by `output`; O(1), called on every commit. */
  depth(output: string): number {
    const c = this.cursor(output);
    return this.lastId - c.acked - (c.liveTo - c.liveFrom);
  }

  /** Rows held (confirmed by some outputs, not all). */
  rows(): number {
    return this.lastId - this.head();
  }

  /** Age in ms (since it was accepted) of the oldest row not yet confirmed by `output`, or 0. */
  oldestAgeMs(output: string, now = Date.now()): number {
    const c = this.cursor(output);
    if (c.acked >= this.lastId) return 0;
    const at = this.store.acceptedAt(c.acked + 1);
    return at === undefined ? 0 : Math.max(0, now - at);
  }

  /** Metrics `output` refused for good, kept with the reason instead of being resent. */
  deadLetter(output: string, letters: readonly { metric: Metric; reason: string }[], now = Date.now()): void {
    if (letters.length) this.store.addDeadLetters(letters.map((l) => ({ output, at: now, reason: l.reason, metric: l.metric })));
  }

  /** The newest dead letters first (of one output, or all). */
  deadLetters(output?: string, limit = 100): DeadLetter[] {
    return this.store.deadLetters(output, limit);
  }

  deadLetterCount(output?: string): number {
    return this.store.deadLetterCount(output);
  }

  /**
   * Drops the oldest rows beyond max_rows or accepted longer than max_age_days ago, advancing every cursor
   * behind them; dead letters older than max_age_days go too. Returns what was dropped, or undefined.
   * Cheap when nothing is to drop (a few point lookups); the pipeline calls it every few seconds.
   */
  enforceBounds(now = Date.now()): BoundsDrop | undefined {
    const cutoff = now - this.opts.max_age_days * DAY_MS;
    this.store.trimDeadLetters(cutoff);
    const head = this.head();
    let cut = head;
    let bound: BoundsDrop['bound'] = 'max_rows';
    if (this.lastId - head > this.opts.max_rows) cut = this.lastId - this.opts.max_rows;
    const aged = this.lastAcceptedBefore(cutoff, head);
    if (aged > cut) {
      cut = aged;
      bound = 'max_age_days';
    }
    if (cut <= head) return undefined;
    const oldest = this.store.acceptedAt(head + 1);
    const perOutput: Record<string, number> = {};
    this.atomically([...this.cursorMap.values()], () => {
      for (const c of this.cursorMap.values()) {
        if (c.acked >= cut) continue;
        // Unconfirmed among (acked, cut]: all of it but what the live range already confirmed.
        const confirmedAhead = c.liveTo > c.liveFrom ? Math.max(0, Math.min(c.liveTo, cut) - c.liveFrom) : 0;
        perOutput[c.output] = cut - c.acked - confirmedAhead;
        this.confirm(c, c.acked, cut);
        this.store.saveCursor(c);
      }
      this.trim();
    });
    return { bound, rows: cut - head, oldestAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest), perOutput };
  }

  close(): void {
    this.store.close();
  }

  /** Runs `fn` in one transaction; if it throws, the cursors it may have moved get their committed state back. */
  private atomically(cursors: readonly CursorState[], fn: () => void): void {
    const saved = cursors.map((c) => ({ ...c }));
    try {
      this.store.transaction(fn);
    } catch (e) {
      cursors.forEach((c, i) => Object.assign(c, saved[i]));
      throw e;
    }
  }

  private cursor(output: string): CursorState {
    const c = this.cursorMap.get(output);
    if (!c) throw new Error(`outbox has no cursor for output "${output}"`);
    return c;
  }

  /** Adds (from, to] to the confirmed set (0, acked] ∪ (liveFrom, liveTo]. */
  private confirm(c: CursorState, from: number, to: number): void {
    const live = c.liveTo > c.liveFrom;
    if (from <= c.acked) {
      c.acked = Math.max(c.acked, to);
    } else if (!live) {
      c.liveFrom = from;
      c.liveTo = to;
    } else if (from <= c.liveTo && to >= c.liveFrom) {
      c.liveFrom = Math.min(c.liveFrom, from);
      c.liveTo = Math.max(c.liveTo, to);
    }
    // else: a second gap the single live range cannot hold; forgetting it only means those rows are sent again.
    if (c.liveTo > c.liveFrom && c.liveFrom <= c.acked) {
      // The head reached the live range: they merge.
      c.acked = Math.max(c.acked, c.liveTo);
      c.liveFrom = c.liveTo = 0;
    }
  }

  /** Smallest cursor: every row up to it is confirmed by every output. */
  private head(): number {
    let min = this.lastId;
    for (const c of this.cursorMap.values()) min = Math.min(min, c.acked);
    return min;
  }

  private trim(): void {
    this.store.trim(this.head());
  }

  /**
   * Largest id in (head, lastId] accepted before `cutoff`, or head. Rows are accepted in id order, so a binary
   * search over point lookups finds it without an index (a clock stepped back only makes the bound a bit late).
   */
  private lastAcceptedBefore(cutoff: number, head: number): number {
    const first = this.store.acceptedAt(head + 1);
    if (first === undefined || first >= cutoff) return head;
    let lo = head + 1; // accepted before cutoff
    let hi = this.lastId;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const at = this.store.acceptedAt(mid);
      if (at !== undefined && at < cutoff) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
