// The gateway pipeline: inputs push metrics, processors transform them, aggregators window them, and every
// metric accepted is appended to the durable outbox (grouped into one commit every few milliseconds) from which
// each durable output drains at its own pace: oldest first, interleaved with the newest rows while it is far
// behind, with a backoff chosen by the kind of failure (influxdb-mqtt.md §3). Non-durable outputs (the in-memory
// latest store) are fed directly. gateway/outbox/README.md describes the loss window, bounds and dead letters.
import type { Logger } from 'pino';
import type { Metric } from './metric.js';
import type { Aggregator, Input, Output, Processor, Sink } from './plugin.js';
import type { GatewayHealth, OutputHealth } from './health.js';
import { Stats } from './stats.js';
import { Outbox, type OutboxBatch } from '../outbox/outbox.js';
import type { OutboxOptions } from '../outbox/options.js';

export interface OutputSlot {
  output: Output;
  /** Durable outputs drain from the outbox; others get every metric as it is accepted. */
  durable: boolean;
  batchSize: number;
  flushIntervalMs: number;
}

export interface PipelineOptions {
  log: Logger;
  outboxFile: string;
  /** `outbox:` from the station file (parsed outboxOptions); defaults when absent. */
  outbox?: Partial<OutboxOptions>;
  inputs?: Input[];
  processors?: Processor[];
  aggregators?: Aggregator[];
  outputs: OutputSlot[];
  /** How long accepted metrics may wait before their group commit (ms). */
  commitIntervalMs?: number;
  /** Extra wait before an aggregator window is closed, for late data (ms). */
  aggregatorTickMs?: number;
  /** How often the backlog bounds (max_rows, max_age_days) are checked (ms). */
  boundsCheckMs?: number;
  now?: () => number;
  /** Uniform [0, 1) for the backoff jitter (tests pin it). */
  random?: () => number;
}

/** An error an output throws to say what kind of failure it was (influxdb-mqtt.md §3). */
export interface ClassifiedError extends Error {
  kind?: 'retry' | 'config' | 'partial';
  info?: {
    /** For 'partial': how many points the server refused (when it did not say which). */
    dropped?: number;
    /** For 'partial': which points of the batch passed to write() were refused, and why; the rest are stored. */
    rejected?: { index: number; reason: string }[];
    /** For 'retry': how long the server asked us to wait (Retry-After). */
    retryAfterMs?: number;
  };
}

/** A batch size of rows behind beyond which an output's drain interleaves backlog and live batches. */
const BEHIND_BATCHES = 2;

export class Pipeline implements Sink {
  readonly stats = new Stats();
  private readonly log: Logger;
  private readonly outbox: Outbox;
  private pending: Metric[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private aggTimer: NodeJS.Timeout | undefined;
  private boundsTimer: NodeJS.Timeout | undefined;
  private readonly durableWaiters: (() => void)[] = [];
  private readonly drains = new Map<string, Drain>();
  private closed = false;
  private outboxWritable = true;
  private readonly now: () => number;

  constructor(private readonly opts: PipelineOptions) {
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    const durable = opts.outputs.filter((o) => o.durable).map((o) => o.output.name);
    this.outbox = new Outbox(opts.outboxFile, durable, opts.outbox ?? {}, this.now());
    for (const slot of opts.outputs) {
      if (slot.durable) this.drains.set(slot.output.name, new Drain(slot, this.outbox, this.stats, this.log, this.now, opts.random ?? Math.random));
    }
  }

  async start(): Promise<void> {
    for (const slot of this.opts.outputs) {
      try {
        await slot.output.start();
      } catch (e) {
        // A dead database at start-up is not fatal: the outbox keeps data and the drain retries.
        this.noteOutputError(slot.output.name, e);
      }
    }
    this.checkBounds();
    this.boundsTimer = setInterval(() => this.checkBounds(), this.opts.boundsCheckMs ?? 5000);
    this.boundsTimer.unref();
    for (const d of this.drains.values()) d.start();
    if (this.opts.aggregators?.length) {
      this.aggTimer = setInterval(() => this.tickAggregators(), this.opts.aggregatorTickMs ?? 1000);
      this.aggTimer.unref();
    }
    for (const input of this.opts.inputs ?? []) await input.start(this);
  }

  /** Safe after a failed or partial start(): stops what runs, commits what is pending, closes the outbox. */
  async stop(): Promise<void> {
    if (this.closed) return;
    for (const input of this.opts.inputs ?? []) await input.stop().catch((e: unknown) => this.log.warn({ err: e }, 'input stop failed'));
    clearInterval(this.aggTimer);
    clearInterval(this.boundsTimer);
    this.commit();
    await Promise.all([...this.drains.values()].map((d) => d.stop()));
    for (const slot of this.opts.outputs) await slot.output.stop().catch(() => undefined);
    clearTimeout(this.commitTimer);
    this.closed = true;
    this.outbox.close();
    if (this.pending.length) this.log.error({ lost: this.pending.length }, 'stopped with metrics the outbox could not store (disk full?)');
  }

  push(metric: Metric): void {
    let batch = [metric];
    for (const p of this.opts.processors ?? []) batch = batch.flatMap((m) => p.apply(m));
    for (const m of batch) {
      this.stats.accepted++;
      for (const a of this.opts.aggregators ?? []) a.add(m);
      this.pending.push(m);
    }
    this.scheduleCommit();
  }

  reject(where: string, reason: string, code = 'invalid'): void {
    this.stats.bump(this.stats.rejected, where);
    this.stats.bump(this.stats.rejectedByReason, code);
    this.log.warn({ where, reason, code }, 'rejected input');
  }

  flush(): boolean {
    this.commit();
    return this.pending.length === 0;
  }

  /** Resolves once every metric pushed so far is in the outbox on disk. */
  durable(): Promise<void> {
    if (!this.pending.length) return Promise.resolve();
    return new Promise((resolve) => this.durableWaiters.push(resolve));
  }

  depth(output: string): number {
    return this.outbox.depth(output);
  }

  /** Metrics `output` refused for good, newest first (the dead-letter table). */
  deadLetters(output?: string, limit = 100) {
    return this.outbox.deadLetters(output, limit);
  }

  /** The pipeline's part of GatewayHealth (gateway/core/health.ts). */
  health(): Pick<GatewayHealth, 'accepted' | 'rejected' | 'outbox_writable' | 'outputs'> {
    const now = this.now();
    const outputs = this.opts.outputs.map((slot): OutputHealth => {
      const name = slot.output.name;
      const drain = this.drains.get(name);
      const lastError = this.stats.lastError.get(name);
      return {
        output: name,
        durable: slot.durable,
        queued: drain ? this.outbox.depth(name) : 0,
        oldest_age_s: drain && !this.closed ? Math.round(this.outbox.oldestAgeMs(name, now) / 1000) : 0,
        written: this.stats.written.get(name) ?? 0,
        dead_lettered: this.stats.deadLettered.get(name) ?? 0,
        dropped: this.stats.dropped.get(name) ?? 0,
        errors: this.stats.errors.get(name) ?? 0,
        last_success_ms: this.stats.lastSuccess.get(name) ?? null,
        ...(lastError !== undefined ? { last_error: lastError } : {}),
        state: drain?.state ?? 'ok',
      };
    });
    return {
      accepted: this.stats.accepted,
      rejected: Object.fromEntries(this.stats.rejectedByReason),
      outbox_writable: this.outboxWritable,
      outputs,
    };
  }

  /** Closes every aggregator window complete at `now` (exposed for tests and shutdown). */
  tickAggregators(now = this.now()): void {
    for (const a of this.opts.aggregators ?? []) a.push(now, this);
  }

  /** Drops the oldest rows beyond the backlog bounds, loudly (exposed for tests; runs every few seconds). */
  checkBounds(): void {
    if (this.closed) return;
    let drop;
    try {
      drop = this.outbox.enforceBounds(this.now());
    } catch (e) {
      this.log.error({ err: (e as Error).message }, `cannot check the outbox bounds in ${this.opts.outboxFile}`);
      return;
    }
    if (!drop) return;
    for (const [output, n] of Object.entries(drop.perOutput)) this.stats.bump(this.stats.dropped, output, n);
    const { max_rows, max_age_days } = this.outbox.options;
    this.log.error(
      { dropped: drop.rows, per_output: drop.perOutput, bound: drop.bound, oldest_dropped_age_h: Number((drop.oldestAgeMs / 3_600_000).toFixed(1)), max_rows, max_age_days },
      `outbox over its ${drop.bound} bound: dropped the ${drop.rows} oldest unsent metrics (the oldest accepted ${formatAge(drop.oldestAgeMs)} ago). ` +
        `Fix the output that is not confirming (see last_error in /healthz) or raise outbox.${drop.bound} in the station file.`,
    );
  }

  private scheduleCommit(): void {
    if (this.pending.length >= 5000) return this.commit();
    if (this.commitTimer) return;
    this.commitTimer = setTimeout(() => this.commit(), this.opts.commitIntervalMs ?? 5);
  }

  private commit(): void {
    if (this.closed) return;
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    try {
      this.outbox.append(batch, this.now());
      this.outboxWritable = true;
    } catch (e) {
      // The disk is full or gone: say so plainly; the metrics stay pending and the next commit retries.
      this.pending = batch.concat(this.pending);
      this.outboxWritable = false;
      this.stats.bump(this.stats.errors, 'outbox');
      this.log.error({ err: e }, `cannot write the outbox ${this.opts.outboxFile}: check free disk space and permissions`);
      this.commitTimer = setTimeout(() => this.commit(), 1000);
      this.commitTimer.unref();
      return;
    }
    for (const slot of this.opts.outputs) {
      if (slot.durable) continue;
      const name = slot.output.name;
      slot.output.write(batch).then(
        () => {
          this.stats.bump(this.stats.written, name, batch.length);
          this.stats.lastSuccess.set(name, this.now());
        },
        (e: unknown) => this.noteOutputError(name, e),
      );
    }
    for (const d of this.drains.values()) d.notify();
    for (const w of this.durableWaiters.splice(0)) w();
  }

  private noteOutputError(name: string, e: unknown): void {
    this.stats.bump(this.stats.errors, name);
    this.stats.lastError.set(name, (e as Error).message);
    this.log.error({ output: name, err: (e as Error).message }, 'output failed; data is kept in the outbox');
  }
}

function formatAge(ms: number): string {
  if (ms >= 2 * 86_400_000) return `${(ms / 86_400_000).toFixed(1)} days`;
  if (ms >= 2 * 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 1000)} s`;
}

/** Backoff bounds per failure kind (ms): transient failures retry fast, a setup a person must fix slowly. */
export const BACKOFF = {
  retry: { min: 500, max: 60_000 },
  config: { min: 30_000, max: 300_000 },
} as const;

/**
 * The wait before attempt `attempt` (1 = first retry): exponential from min, capped at max, with full jitter
 * (uniformly random below the cap, never under min), and never shorter than what the server asked for.
 */
export function backoffMs(kind: 'retry' | 'config', attempt: number, random: number, retryAfterMs?: number): number {
  const { min, max } = BACKOFF[kind];
  const cap = Math.min(max, min * 2 ** Math.max(0, attempt - 1));
  const wait = Math.max(min, Math.round(random * cap));
  // A server's Retry-After is honoured up to the slow-retry ceiling, so a silly value cannot park the output.
  return retryAfterMs !== undefined && retryAfterMs > wait ? Math.min(retryAfterMs, BACKOFF.config.max) : wait;
}

/** Moves one output's share of the outbox: batches by size or interval, retries with a backoff by kind. */
class Drain {
  state: OutputHealth['state'] = 'ok';
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Failed attempts in the current state. */
  private attempts = 0;
  private failingSince = 0;
  /** While far behind: which side the next batch comes from. */
  private nextSide: 'head' | 'live' = 'head';
  /**
   * The batch whose write failed: the next attempt sends exactly it again, not a fresh read (which may have grown
   * or switched side). An output that keeps unacknowledged sends alive across attempts (MQTT.js resends them
   * itself on reconnect) recognises it and waits for them instead of publishing the rows a second time.
   */
  private retry: OutboxBatch | undefined;

  constructor(
    private readonly slot: OutputSlot,
    private readonly outbox: Outbox,
    private readonly stats: Stats,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly random: () => number,
  ) {}

  start(): void {
    // run() handles its own errors; this only keeps a bug in it from becoming an unhandled rejection (a crash).
    this.loop = this.run().catch((e: unknown) => this.log.error({ output: this.slot.output.name, err: String(e) }, 'output drain stopped by an unexpected error'));
  }

  notify(): void {
    if (this.wake && this.state === 'ok' && this.outbox.depth(this.slot.output.name) >= this.slot.batchSize) this.wake();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    const { flushIntervalMs } = this.slot;
    // One last pass after stop() so a graceful shutdown sends what it can; the rest stays in the outbox.
    for (let last = false; ; ) {
      let next: 'more' | 'idle';
      try {
        next = await this.step();
        this.succeeded();
      } catch (e) {
        const wait = this.failed(e instanceof Error ? (e as ClassifiedError) : Object.assign(new Error(String(e)), { kind: 'retry' as const }));
        if (this.stopping) return;
        await this.sleep(wait);
        continue;
      }
      if (next === 'more' && !this.stopping) continue;
      if (last) return;
      if (this.stopping) {
        last = true;
        continue;
      }
      await this.sleep(flushIntervalMs);
    }
  }

  private succeeded(): void {
    if (this.state === 'ok') return;
    this.log.warn(
      { output: this.slot.output.name, was: this.state, failed_for_s: Math.round((this.now() - this.failingSince) / 1000) },
      'output recovered; draining what the outbox kept',
    );
    this.state = 'ok';
    this.attempts = 0;
  }

  /** Counts and logs a failed write; returns how long to wait. State changes are logged at error level, repeats at debug. */
  private failed(err: ClassifiedError): number {
    const name = this.slot.output.name;
    const kind = err.kind === 'config' ? 'config' : 'retry';
    const state = kind === 'config' ? 'config' : 'retrying';
    this.stats.bump(this.stats.errors, name);
    this.stats.lastError.set(name, err.message);
    const changed = state !== this.state;
    if (this.state === 'ok') this.failingSince = this.now();
    if (changed) this.attempts = 0;
    this.state = state;
    this.attempts++;
    const wait = backoffMs(kind, this.attempts, this.random(), err.info?.retryAfterMs);
    const fields = { output: name, kind, err: err.message, attempt: this.attempts, retry_in_ms: wait, queued: this.outbox.depth(name) };
    if (!changed) this.log.debug(fields, 'output write failed again');
    else if (kind === 'config') this.log.error(fields, 'output refuses our writes (credentials, permissions or database): a person must fix the setup; data is kept in the outbox and retried slowly');
    else this.log.error(fields, 'output write failed; data is kept in the outbox and retried with backoff');
    return wait;
  }

  /** Sends the next batch and confirms it; 'more' when more is already waiting. Throws to back off. */
  private async step(): Promise<'more' | 'idle'> {
    const { output, batchSize } = this.slot;
    const name = output.name;
    if (this.outbox.depth(name) === 0) return 'idle';
    // Far behind (a backlog after an outage): alternate the oldest rows with the newest so live data keeps flowing.
    const split = this.outbox.liveRange(name) !== undefined || this.outbox.depth(name) > BEHIND_BATCHES * batchSize;
    let batch = this.retry ?? this.outbox.read(name, batchSize, output.localOnly, split ? this.nextSide : 'head');
    this.retry = undefined;
    if (batch.lastId <= batch.from && batch.side === 'live') batch = this.outbox.read(name, batchSize, output.localOnly, 'head');
    if (batch.lastId <= batch.from) return 'idle';
    let letters: { metric: Metric; reason: string }[] = [];
    // An empty batch over a non-empty window: every row was remote data a local-only output skips.
    if (batch.metrics.length) {
      const resent = this.outbox.markSent(name, batch);
      if (resent) this.stats.bump(this.stats.resent, name, resent);
      try {
        await output.write(batch.metrics);
        this.stats.bump(this.stats.written, name, batch.metrics.length);
      } catch (e) {
        const err = e as ClassifiedError;
        if (err?.kind !== 'partial') {
          this.retry = batch;
          throw e;
        }
        letters = this.refused(batch, err);
      }
      this.stats.lastSuccess.set(name, this.now());
    }
    this.outbox.ack(name, batch, letters, this.now());
    if (split) this.nextSide = batch.side === 'head' ? 'live' : 'head';
    const depth = this.outbox.depth(name);
    return depth >= batchSize || (depth > 0 && this.outbox.liveRange(name) !== undefined) ? 'more' : 'idle';
  }

  /**
   * A partial write: the server stored the valid points and refused the rest for good. The refused ones go to
   * the dead-letter table with their reason; resending the batch would only repeat the refusal.
   */
  private refused(batch: OutboxBatch, err: ClassifiedError): { metric: Metric; reason: string }[] {
    const name = this.slot.output.name;
    const n = batch.metrics.length;
    const byIndex = new Map<number, string>();
    for (const r of Array.isArray(err.info?.rejected) ? err.info.rejected : []) {
      if (Number.isInteger(r?.index) && r.index >= 0 && r.index < n) byIndex.set(r.index, String(r.reason ?? err.message));
    }
    const letters = [...byIndex].sort((a, b) => a[0] - b[0]).map(([i, reason]) => ({ metric: batch.metrics[i]!, reason }));
    // Without indices the server only said how many: they are counted, but cannot be kept.
    const refusedCount = letters.length || Math.min(n, Math.max(0, err.info?.dropped ?? 0));
    this.stats.bump(this.stats.written, name, n - refusedCount);
    this.stats.bump(this.stats.deadLettered, name, refusedCount);
    this.log.error(
      { output: name, dead_lettered: refusedCount, of: n, reasons: [...new Set(letters.map((l) => l.reason))].slice(0, 5), err: err.message },
      letters.length
        ? 'output refused some metrics for good; they are in the outbox dead-letter table, the rest of the batch is stored'
        : 'output refused some metrics for good without saying which; counted as dead-lettered, the rest of the batch is stored',
    );
    return letters;
  }
}
