import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Metric } from './metric.js';
import type { Output } from './plugin.js';
import { backoffMs, Pipeline, type ClassifiedError, type PipelineOptions } from './pipeline.js';

const T0 = 1_800_000_000_000;
const metric = (i: number): Metric => ({ measurement: 'air', tags: { site: 's', node: 'n', part: 'p' }, fields: { pm25_ugm3: i }, time: T0 + i });
const classified = (kind: ClassifiedError['kind'], message: string, info?: ClassifiedError['info']): ClassifiedError =>
  Object.assign(new Error(message), { kind, ...(info ? { info } : {}) });

/** An output that stores what it is given, or fails with whatever `failWith` returns for the batch. */
class FakeOutput implements Output {
  readonly name = 'influxdb';
  readonly batches: number[][] = [];
  stored: number[] = [];
  failWith: ((batch: Metric[]) => ClassifiedError | undefined) | undefined;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async write(batch: Metric[]): Promise<void> {
    const values = batch.map((m) => m.fields.pm25_ugm3!);
    this.batches.push(values);
    const err = this.failWith?.(batch);
    if (err) throw err;
    this.stored.push(...values);
  }
}

interface Logged {
  level: number;
  msg: string;
  [k: string]: unknown;
}

describe('Pipeline', () => {
  let dir: string;
  let logs: Logged[];
  let now: number;
  let pipeline: Pipeline | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate'] });
    dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
    logs = [];
    now = T0;
  });
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  function make(out: FakeOutput, extra: Partial<PipelineOptions> = {}): Pipeline {
    const log = pino({ level: 'debug' }, { write: (s: string) => logs.push(JSON.parse(s) as Logged) });
    pipeline = new Pipeline({
      log,
      outboxFile: join(dir, 'outbox.sqlite'),
      outputs: [{ output: out, durable: true, batchSize: 5, flushIntervalMs: 100 }],
      now: () => now,
      random: () => 0,
      ...extra,
    });
    return pipeline;
  }
  const errors = () => logs.filter((l) => l.level === 50);

  it('flush() is true once the pushed metrics are committed, and the output gets them once', async () => {
    const out = new FakeOutput();
    const p = make(out);
    await p.start();
    for (let i = 0; i < 3; i++) p.push(metric(i));
    expect(p.depth('influxdb')).toBe(0);
    expect(p.flush()).toBe(true);
    expect(p.depth('influxdb')).toBe(3);
    await vi.advanceTimersByTimeAsync(150);
    expect(out.stored).toEqual([0, 1, 2]);
    expect(p.health().outputs[0]).toMatchObject({ output: 'influxdb', durable: true, queued: 0, written: 3, state: 'ok', last_success_ms: T0 });
  });

  it('moves points refused in a partial write to the dead-letter table and never resends the batch', async () => {
    const out = new FakeOutput();
    out.failWith = (batch) =>
      batch.length === 5
        ? classified('partial', 'partial write: field type conflict dropped=2', {
            dropped: 2,
            rejected: [
              { index: 1, reason: 'field type conflict' },
              { index: 3, reason: 'invalid number' },
            ],
          })
        : undefined;
    const p = make(out);
    await p.start();
    for (let i = 0; i < 5; i++) p.push(metric(i));
    p.flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(out.batches).toEqual([[0, 1, 2, 3, 4]]);
    expect(p.depth('influxdb')).toBe(0);
    expect(p.deadLetters('influxdb').map((l) => [l.metric.fields.pm25_ugm3, l.reason])).toEqual([
      [3, 'invalid number'],
      [1, 'field type conflict'],
    ]);
    expect(p.health().outputs[0]).toMatchObject({ written: 3, dead_lettered: 2, state: 'ok' });
    expect(p.stats.toJSON()).toMatchObject({ written: { influxdb: 3 }, dead_lettered: { influxdb: 2 } });
    const logged = errors().filter((l) => l.dead_lettered === 2);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.reasons).toEqual(['field type conflict', 'invalid number']);
  });

  it('after a failed write sends exactly the same batch again, even when more rows arrived meanwhile', async () => {
    const out = new FakeOutput();
    let failing = true;
    out.failWith = () => (failing ? classified('retry', 'ECONNRESET') : undefined);
    const p = make(out);
    await p.start();
    for (let i = 0; i < 3; i++) p.push(metric(i));
    p.flush();
    await vi.advanceTimersByTimeAsync(150);
    expect(out.batches).toEqual([[0, 1, 2]]);
    // Two more rows queue up during the backoff; the retry must not grow the batch (an output waiting on its
    // unacknowledged sends recognises the same batch, not a bigger one).
    for (let i = 3; i < 5; i++) p.push(metric(i));
    p.flush();
    failing = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(out.batches.slice(0, 3)).toEqual([[0, 1, 2], [0, 1, 2], [3, 4]]);
    expect(out.stored).toEqual([0, 1, 2, 3, 4]);
  });

  it('survives an output that rejects with something that is not an Error', async () => {
    const out = new FakeOutput();
    let calls = 0;
    out.write = async () => {
      calls++;
      if (calls === 1) throw null;
    };
    const p = make(out);
    await p.start();
    p.push(metric(1));
    p.flush();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(2);
    expect(p.health().outputs[0]).toMatchObject({ queued: 0, errors: 1, state: 'ok' });
  });

  it('backs off slowly on a config error, logs the state change once, and recovers', async () => {
    const out = new FakeOutput();
    let failing = true;
    out.failWith = () => (failing ? classified('config', 'HTTP 401: authorization failed') : undefined);
    const p = make(out);
    await p.start();
    p.push(metric(1));
    p.flush();
    await vi.advanceTimersByTimeAsync(150);
    expect(out.batches).toHaveLength(1);
    expect(p.health().outputs[0]).toMatchObject({ state: 'config', queued: 1, errors: 1, last_error: 'HTTP 401: authorization failed' });
    // Slow retry: nothing in the next 29 s, the second attempt at 30 s (random pinned to 0 = the floor).
    await vi.advanceTimersByTimeAsync(29_000);
    expect(out.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(out.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(out.batches.length).toBeGreaterThan(3);
    expect(errors().filter((l) => l.kind === 'config')).toHaveLength(1);
    failing = false;
    await vi.advanceTimersByTimeAsync(300_000);
    expect(out.stored).toEqual([1]);
    expect(p.health().outputs[0]).toMatchObject({ state: 'ok', queued: 0, written: 1 });
    expect(logs.some((l) => l.msg.startsWith('output recovered'))).toBe(true);
    // Each retry resent the same row, and each resend is counted.
    expect(p.stats.resent.get('influxdb')).toBe(out.batches.length - 1);
  });

  it('retries a transient failure fast, honouring a longer Retry-After', async () => {
    const out = new FakeOutput();
    let failures = 2;
    out.failWith = () => (failures-- > 0 ? classified('retry', 'HTTP 429', { retryAfterMs: 10_000 }) : undefined);
    const p = make(out);
    await p.start();
    p.push(metric(7));
    p.flush();
    await vi.advanceTimersByTimeAsync(150);
    expect(p.health().outputs[0]!.state).toBe('retrying');
    await vi.advanceTimersByTimeAsync(9_000);
    expect(out.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(out.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(out.stored).toEqual([7]);
    expect(errors().filter((l) => l.kind === 'retry')).toHaveLength(1);
  });

  it('drains a backlog oldest first while interleaving the newest rows, each row once', async () => {
    const out = new FakeOutput();
    let down = true;
    out.failWith = () => (down ? classified('retry', 'ECONNREFUSED') : undefined);
    const p = make(out);
    await p.start();
    for (let i = 0; i < 30; i++) p.push(metric(i));
    p.flush();
    await vi.advanceTimersByTimeAsync(150);
    out.batches.length = 0;
    down = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(out.batches.slice(0, 4)).toEqual([
      [0, 1, 2, 3, 4],
      [25, 26, 27, 28, 29],
      [5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14],
    ]);
    expect([...out.stored].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(p.depth('influxdb')).toBe(0);
  });

  it('keeps live data flowing while a backlog drains', async () => {
    const out = new FakeOutput();
    const p = make(out);
    await p.start();
    // 40 rows queued while the output was away, then live rows keep coming.
    out.failWith = () => classified('retry', 'down');
    for (let i = 0; i < 40; i++) p.push(metric(i));
    p.flush();
    await vi.advanceTimersByTimeAsync(150);
    out.failWith = undefined;
    out.batches.length = 0;
    let next = 1000;
    // Each batch written, two more live rows arrive.
    const write = out.write.bind(out);
    out.write = async (b) => {
      await write(b);
      for (let k = 0; k < 2 && next < 1010; k++) p.push(metric(next++));
      p.flush();
    };
    await vi.advanceTimersByTimeAsync(60_000);
    const liveAt = out.batches.findIndex((b) => b.includes(1000));
    const lastBacklog = out.batches.findIndex((b) => b.includes(4));
    expect(liveAt).toBeGreaterThan(-1);
    expect(liveAt).toBeLessThan(out.batches.findIndex((b) => b.includes(20)));
    expect(lastBacklog).toBe(0);
    expect(out.stored).toHaveLength(50);
    expect(new Set(out.stored).size).toBe(50);
    expect(p.depth('influxdb')).toBe(0);
  });

  it('drops the oldest beyond max_rows loudly, counted per output and in health', async () => {
    const out = new FakeOutput();
    out.failWith = () => classified('retry', 'ECONNREFUSED');
    const p = make(out, { outbox: { max_rows: 10 } });
    await p.start();
    for (let i = 0; i < 25; i++) p.push(metric(i));
    p.flush();
    now += 7_200_000;
    p.checkBounds();
    expect(p.stats.dropped.get('influxdb')).toBe(15);
    expect(p.health().outputs[0]).toMatchObject({ dropped: 15, queued: 10, oldest_age_s: 7200 });
    const logged = errors().find((l) => l.bound === 'max_rows');
    expect(logged).toMatchObject({ dropped: 15, oldest_dropped_age_h: 2 });
    expect(logged!.msg).toMatch(/raise outbox\.max_rows/);
    out.failWith = undefined;
    await vi.advanceTimersByTimeAsync(60_000);
    expect([...out.stored].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 15 + i));
  });

  it('reports health: accepted, rejected by reason, outbox writable', async () => {
    const out = new FakeOutput();
    const p = make(out);
    await p.start();
    p.push(metric(1));
    p.reject('mqtt', 'payload is not JSON', 'not_json');
    p.reject('mqtt', 'bad', 'schema');
    p.reject('mqtt', 'bad again', 'schema');
    expect(p.flush()).toBe(true);
    expect(p.health()).toMatchObject({ accepted: 1, rejected: { not_json: 1, schema: 2 }, outbox_writable: true });
    expect(Object.keys(p.stats.toJSON())).toEqual(
      expect.arrayContaining(['accepted', 'rejected', 'rejected_by_reason', 'written', 'dropped', 'errors', 'last_error']),
    );
  });
});

describe('backoffMs', () => {
  it('grows exponentially within its bounds by kind, with full jitter above the floor', () => {
    expect([1, 2, 3, 8, 20].map((a) => backoffMs('retry', a, 1))).toEqual([500, 1000, 2000, 60_000, 60_000]);
    expect(backoffMs('retry', 5, 0)).toBe(500);
    expect(backoffMs('retry', 5, 0.5)).toBe(4000);
    expect([1, 2, 3, 4, 9].map((a) => backoffMs('config', a, 1))).toEqual([30_000, 60_000, 120_000, 240_000, 300_000]);
    expect(backoffMs('config', 1, 0)).toBe(30_000);
  });

  it('honours a longer Retry-After, capped at the slow-retry ceiling', () => {
    expect(backoffMs('retry', 1, 0, 5000)).toBe(5000);
    expect(backoffMs('retry', 1, 0, 100)).toBe(500);
    expect(backoffMs('retry', 1, 0, 3_600_000)).toBe(300_000);
  });
});
