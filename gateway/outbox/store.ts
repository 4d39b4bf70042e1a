// What the outbox keeps, behind one small interface with two implementations: SQLite on disk (the real one) and
// an in-memory queue (benchmarks and tests). The cursor and live-range logic lives once, in outbox.ts; a store
// only keeps rows and cursors. Row ids are contiguous: rows are only ever removed from the head.
import type { Metric } from '../core/metric.js';

/** One output's position: (0, acked] and (liveFrom, liveTo] are confirmed; sentFrom/sentTo: last batch handed out. */
export interface CursorState {
  output: string;
  acked: number;
  /** liveFrom === liveTo: no live range. */
  liveFrom: number;
  liveTo: number;
  sentFrom: number;
  sentTo: number;
}

export interface DeadLetter {
  id: number;
  output: string;
  /** When it was refused, ms since the epoch. */
  at: number;
  reason: string;
  metric: Metric;
}

export interface OutboxStore {
  /** Highest id ever handed out (survives trimming the log empty). */
  lastId(): number;
  /** Appends in one commit; returns the id of the last row. */
  append(metrics: readonly Metric[], acceptedAt: number): number;
  /** Rows with from < id ≤ to, in id order; remote rows skipped when `localOnly`. */
  read(from: number, to: number, localOnly: boolean): Metric[];
  /** When row `id` was accepted (ms), or undefined when it is gone. */
  acceptedAt(id: number): number | undefined;
  /** Deletes every row with id ≤ upTo. */
  trim(upTo: number): void;
  cursors(): CursorState[];
  saveCursor(c: CursorState): void;
  deleteCursor(output: string): void;
  /** Runs `fn` as one commit. */
  transaction<T>(fn: () => T): T;
  addDeadLetters(rows: readonly Omit<DeadLetter, 'id'>[]): void;
  deadLetters(output: string | undefined, limit: number): DeadLetter[];
  deadLetterCount(output?: string): number;
  /** Forgets dead letters refused before `before` (ms); returns how many. */
  trimDeadLetters(before: number): number;
  close(): void;
}
