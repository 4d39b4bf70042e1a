// The gateway pipeline: inputs push metrics, processors transform them, aggregators window them, and every
// metric accepted is appended to the durable outbox (grouped into one commit every few milliseconds) from which
// each durable output drains at its own pace. Non-durable outputs (the in-memory latest store) are fed directly.
import type { Logger } from 'pino';
import type { Metric } from './metric.js';
import type { Aggregator, Input, Output, Processor, Sink } from './plugin.js';
import { Stats } from './stats.js';
import { Outbox } from '../outbox/outbox.js';

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
  inputs?: Input[];
  processors?: Processor[];
  aggregators?: Aggregator[];
  outputs: OutputSlot[];
  /** How long accepted metrics may wait before their group commit (ms). */
  commitIntervalMs?: number;
  /** Extra wait before an aggregator window is closed, for late data (ms). */
  aggregatorTickMs?: number;
  now?: () => number;
}

/** An error an output throws to say what kind of failure it was (influxdb-mqtt.md §3). */
export interface ClassifiedError extends Error {
  kind?: 'retry' | 'config' | 'partial';
  /** For 'partial': how many points the server refused. */
  info?: { dropped?: number };
}

export class Pipeline implements Sink {
  readonly stats = new Stats();
  private readonly log: Logger;
  private readonly outbox: Outbox;
  private pending: Metric[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private aggTimer: NodeJS.Timeout | undefined;
  private readonly durableWaiters: (() => void)[] = [];
  private readonly drains: Drain[] = [];
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly opts: PipelineOptions) {
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    const durable = opts.outputs.filter((o) => o.durable).map((o) => o.output.name);
    this.outbox = new Outbox(opts.outboxFile, durable);
    for (const slot of opts.outputs) if (slot.durable) this.drains.push(new Drain(slot, this.outbox, this.stats, this.log));
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
    for (const d of this.drains) d.start();
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
    this.commit();
    await Promise.all(this.drains.map((d) => d.stop()));
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

  /** Closes every aggregator window complete at `now` (exposed for tests and shutdown). */
  tickAggregators(now = this.now()): void {
    for (const a of this.opts.aggregators ?? []) a.push(now, this);
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
      this.outbox.append(batch);
    } catch (e) {
      // The disk is full or gone: say so plainly; the metrics stay pending and the next commit retries.
      this.pending = batch.concat(this.pending);
      this.stats.bump(this.stats.errors, 'outbox');
      this.log.error({ err: e }, `cannot write the outbox ${this.opts.outboxFile}: check free disk space and permissions`);
      this.commitTimer = setTimeout(() => this.commit(), 1000);
      this.commitTimer.unref();
      return;
    }
    for (const slot of this.opts.outputs) {
      if (slot.durable) continue;
      slot.output.write(batch).catch((e: unknown) => this.noteOutputError(slot.output.name, e));
    }
    for (const d of this.drains) d.notify();
    for (const w of this.durableWaiters.splice(0)) w();
  }

  private noteOutputError(name: string, e: unknown): void {
    this.stats.bump(this.stats.errors, name);
    this.stats.lastError.set(name, (e as Error).message);
    this.log.error({ output: name, err: (e as Error).message }, 'output failed; data is kept in the outbox');
  }
}

/** Moves one output's share of the outbox: batches by size or interval, retries with backoff and jitter. */
class Drain {
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly slot: OutputSlot,
    private readonly outbox: Outbox,
    private readonly stats: Stats,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  notify(): void {
    if (this.wake && this.outbox.depth(this.slot.output.name) >= this.slot.batchSize) this.wake();
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
    const { output, flushIntervalMs } = this.slot;
    let backoff = 0;
    // One last pass after stop() so a graceful shutdown sends what it can; the rest stays in the outbox.
    for (let last = false; ; ) {
      let next: 'more' | 'idle';
      try {
        next = await this.step();
        backoff = 0;
      } catch (e) {
        const err = e as ClassifiedError;
        this.stats.bump(this.stats.errors, output.name);
        this.stats.lastError.set(output.name, err.message);
        backoff = Math.min(60_000, backoff ? backoff * 2 : 500);
        const wait = backoff / 2 + Math.random() * (backoff / 2);
        this.log.error(
          { output: output.name, kind: err.kind ?? 'retry', err: err.message, retry_in_ms: Math.round(wait) },
          'output write failed; data kept in the outbox, will retry',
        );
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

  /** Sends the next batch and confirms it; 'more' when a full batch is already waiting. Throws to back off. */
  private async step(): Promise<'more' | 'idle'> {
    const { output, batchSize } = this.slot;
    const batch = this.outbox.read(output.name, batchSize, output.localOnly);
    if (batch.lastId === this.outbox.acked(output.name)) return 'idle';
    // An empty batch over a non-empty window: every row was remote data a local-only output skips.
    if (batch.metrics.length) {
      try {
        await output.write(batch.metrics);
        this.stats.bump(this.stats.written, output.name, batch.metrics.length);
      } catch (e) {
        const err = e as ClassifiedError;
        if (err.kind !== 'partial') throw e;
        // The server stored the valid points; resending would only repeat the refusal.
        const dropped = err.info?.dropped ?? 0;
        this.stats.bump(this.stats.written, output.name, batch.metrics.length - dropped);
        this.stats.bump(this.stats.dropped, output.name, dropped);
        this.log.error({ output: output.name, reason: err.message, dropped }, 'points refused by the output and dropped');
      }
    }
    this.outbox.ack(output.name, batch.lastId);
    return this.outbox.depth(output.name) >= batchSize ? 'more' : 'idle';
  }
}
