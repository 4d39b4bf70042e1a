// The four small pipeline interfaces (Telegraf's Input/Processor/Aggregator/Output). Options are parsed by the
// plugin's own zod schema before construction; constructors do no I/O; connections open in start().
import type { Logger } from 'pino';
import type { Metric } from './metric.js';

/** Where inputs and aggregators hand metrics on; the pipeline implements it. */
export interface Sink {
  push(metric: Metric): void;
  /**
   * A payload was refused at a boundary: counted and logged with what, where and the reason. `code` is a short
   * snake_case category for the counters (`not_json`, `schema`, `too_large`, `topic`, `mismatch`, …).
   */
  reject(where: string, reason: string, code?: string): void;
  /**
   * Commits everything pushed so far to the outbox on disk, now. Returns false when the disk refused it (the
   * metrics stay pending in memory): an input must then not acknowledge them upstream.
   */
  flush(): boolean;
}

export interface Input {
  readonly name: string;
  start(sink: Sink): Promise<void>;
  stop(): Promise<void>;
}

export interface Processor {
  readonly name: string;
  /** Returns the metrics to pass on (none drops, several fan out). */
  apply(metric: Metric): Metric[];
}

export interface Aggregator {
  readonly name: string;
  add(metric: Metric): void;
  /** Emits what is complete up to `now` (ms) and forgets it. */
  push(now: number, sink: Sink): void;
}

export interface Output {
  readonly name: string;
  /** Forwards only this station's own data (metrics from remote nodes are not handed to it). */
  readonly localOnly?: boolean;
  start(): Promise<void>;
  /** Resolves once the whole batch is stored; rejects (with a classified error) to keep it for retry. */
  write(batch: Metric[]): Promise<void>;
  stop(): Promise<void>;
}

export interface PluginContext {
  log: Logger;
  /** Directory for the plugin's own durable state. */
  dataDir: string;
}
