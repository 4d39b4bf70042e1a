// The in-memory OutboxStore (outbox `durable: false`): the same behaviour without the disk, for the benchmark's
// "outbox disabled" baseline and for tests. Everything in it is lost when the process ends.
import type { Metric } from '../core/metric.js';
import type { CursorState, DeadLetter, OutboxStore } from './store.js';

export class MemoryStore implements OutboxStore {
  /** rows[i] has id base + i + 1 − head; rows before `head` are trimmed and compacted away now and then. */
  private rows: { body: string; remote: boolean; accepted: number }[] = [];
  private head = 0;
  /** Id of rows[0]'s predecessor. */
  private base = 0;
  private last = 0;
  private readonly cursorMap = new Map<string, CursorState>();
  private letters: DeadLetter[] = [];
  private letterSeq = 0;

  lastId(): number {
    return this.last;
  }

  append(metrics: readonly Metric[], acceptedAt: number): number {
    // Stored as JSON text, as SQLite stores it: a caller changing its object later must not change the queue, and
    // the benchmark's "no disk" baseline pays the same serialisation as the disk.
    for (const m of metrics) this.rows.push({ body: JSON.stringify(m), remote: m.meta?.remote === true, accepted: acceptedAt });
    this.last += metrics.length;
    return this.last;
  }

  private index(id: number): number {
    return id - this.base - 1;
  }

  read(from: number, to: number, localOnly: boolean): Metric[] {
    const out: Metric[] = [];
    for (let id = Math.max(from + 1, this.base + this.head + 1); id <= to; id++) {
      const row = this.rows[this.index(id)];
      if (!row || (localOnly && row.remote)) continue;
      out.push(JSON.parse(row.body) as Metric);
    }
    return out;
  }

  acceptedAt(id: number): number | undefined {
    if (id <= this.base + this.head) return undefined;
    return this.rows[this.index(id)]?.accepted;
  }

  trim(upTo: number): void {
    const firstKept = Math.min(upTo, this.last) - this.base; // rows[firstKept] is the first row kept
    if (firstKept <= this.head) return;
    this.head = firstKept;
    if (this.head > 4096 && this.head * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  cursors(): CursorState[] {
    return [...this.cursorMap.values()].map((c) => ({ ...c }));
  }

  saveCursor(c: CursorState): void {
    this.cursorMap.set(c.output, { ...c });
  }

  deleteCursor(output: string): void {
    this.cursorMap.delete(output);
  }

  transaction<T>(fn: () => T): T {
    return fn();
  }

  addDeadLetters(rows: readonly Omit<DeadLetter, 'id'>[]): void {
    for (const r of rows) this.letters.push({ id: ++this.letterSeq, ...r, metric: JSON.parse(JSON.stringify(r.metric)) as Metric });
  }

  deadLetters(output: string | undefined, limit: number): DeadLetter[] {
    return this.letters.filter((l) => output === undefined || l.output === output).slice(-limit).reverse();
  }

  deadLetterCount(output?: string): number {
    return output === undefined ? this.letters.length : this.letters.filter((l) => l.output === output).length;
  }

  trimDeadLetters(before: number): number {
    const n = this.letters.length;
    this.letters = this.letters.filter((l) => l.at >= before);
    return n - this.letters.length;
  }

  close(): void {
    this.rows = [];
  }
}
