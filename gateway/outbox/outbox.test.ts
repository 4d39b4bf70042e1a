import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';
import { outboxOptions } from './options.js';
import type { Metric } from '../core/metric.js';

const metric = (i: number): Metric => ({ measurement: 'air', tags: { site: 's', node: 'n', part: 'p' }, fields: { pm25_ugm3: i }, time: 1_700_000_000_000 + i });
const values = (ms: Metric[]) => ms.map((m) => m.fields.pm25_ugm3!);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

const dirs: string[] = [];
const tmpFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'outbox-'));
  dirs.push(d);
  return join(d, 'outbox.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

// One contract suite, run on the SQLite store and on the in-memory queue (durable: false).
for (const durable of [true, false]) {
  describe(`Outbox contract (durable: ${durable})`, () => {
    const open = (outputs = ['influxdb'], opts = {}) => new Outbox(durable ? tmpFile() : '', outputs, { durable, ...opts });

    it('hands each output every metric once, in order, in batches', () => {
      const box = open(['influxdb', 'mqtt']);
      box.append(range(0, 5).map(metric));
      const a = box.read('influxdb', 3);
      expect(values(a.metrics)).toEqual([0, 1, 2]);
      box.ack('influxdb', a);
      expect(values(box.read('influxdb', 10).metrics)).toEqual([3, 4]);
      // The other output has its own cursor.
      expect(box.read('mqtt', 10).metrics).toHaveLength(5);
      expect(box.depth('influxdb')).toBe(2);
      expect(box.depth('mqtt')).toBe(5);
      box.close();
    });

    it('skips remote metrics for a local-only output but still covers their ids', () => {
      const box = open(['influxdb', 'mqtt']);
      box.append([metric(0), { ...metric(1), meta: { remote: true } }, metric(2)]);
      const local = box.read('mqtt', 10, true);
      expect(values(local.metrics)).toEqual([0, 2]);
      expect(box.read('influxdb', 10).metrics).toHaveLength(3);
      box.ack('mqtt', local);
      expect(box.depth('mqtt')).toBe(0);
      box.close();
    });

    it('writes long batches in order, and an unacknowledged batch is read again', () => {
      const box = open();
      const many = range(0, 256 * 3 + 5).map(metric);
      box.append(many);
      expect(box.depth('influxdb')).toBe(many.length);
      expect(box.read('influxdb', 1000).metrics).toEqual(many);
      expect(box.read('influxdb', 1000).metrics).toEqual(many);
      box.close();
    });

    it('reports the age of the oldest unconfirmed metric since it was accepted', () => {
      const box = open();
      box.append([metric(0)], 1_700_000_000_000);
      expect(box.oldestAgeMs('influxdb', 1_700_000_060_000)).toBe(60_000);
      box.ack('influxdb', box.read('influxdb', 1));
      expect(box.oldestAgeMs('influxdb', 1_700_000_060_000)).toBe(0);
      box.close();
    });

    it('interleaves: a live batch takes the newest rows, the head stops at them, and they merge', () => {
      const box = open();
      box.append(range(0, 20).map(metric));
      const live = box.read('influxdb', 5, false, 'live');
      expect(live.side).toBe('live');
      expect(values(live.metrics)).toEqual([15, 16, 17, 18, 19]);
      box.ack('influxdb', live);
      expect(box.liveRange('influxdb')).toEqual({ from: 15, to: 20 });
      expect(box.depth('influxdb')).toBe(15);
      box.append(range(20, 23).map(metric));
      // The next live batch continues right after the live range.
      const live2 = box.read('influxdb', 5, false, 'live');
      expect(values(live2.metrics)).toEqual([20, 21, 22]);
      box.ack('influxdb', live2);
      expect(box.depth('influxdb')).toBe(15);
      // The head is bounded by the live range: never hands out a confirmed row.
      const h1 = box.read('influxdb', 10);
      expect(values(h1.metrics)).toEqual(range(0, 10));
      box.ack('influxdb', h1);
      const h2 = box.read('influxdb', 10);
      expect(values(h2.metrics)).toEqual(range(10, 15));
      box.ack('influxdb', h2);
      // Merged: cursor jumps over the live range.
      expect(box.liveRange('influxdb')).toBeUndefined();
      expect(box.acked('influxdb')).toBe(23);
      expect(box.depth('influxdb')).toBe(0);
      expect(box.rows()).toBe(0);
      box.close();
    });

    it('a live read with the output not far behind is a plain head batch', () => {
      const box = open();
      box.append(range(0, 4).map(metric));
      const b = box.read('influxdb', 5, false, 'live');
      expect(b.side).toBe('head');
      expect(values(b.metrics)).toEqual([0, 1, 2, 3]);
      box.close();
    });

    it('never trims a row another output has not confirmed, even inside one output’s live range', () => {
      const box = open(['influxdb', 'mqtt']);
      box.append(range(0, 10).map(metric));
      box.ack('influxdb', box.read('influxdb', 3, false, 'live'));
      box.ack('influxdb', box.read('influxdb', 7));
      expect(box.depth('influxdb')).toBe(0);
      expect(box.rows()).toBe(10);
      box.ack('mqtt', box.read('mqtt', 4, false, 'live'));
      expect(values(box.read('mqtt', 10).metrics)).toEqual(range(0, 6));
      box.ack('mqtt', box.read('mqtt', 10));
      expect(box.rows()).toBe(0);
      box.close();
    });

    it('drops the oldest rows beyond max_rows, counting only what each output had not confirmed', () => {
      const box = open(['influxdb', 'mqtt'], { max_rows: 10 });
      box.append(range(0, 16).map(metric));
      // influxdb confirmed rows 3..5 (ids 4..5) out of order: a live range inside what will be dropped.
      box.ack('influxdb', { from: 3, lastId: 5 });
      expect(box.liveRange('influxdb')).toEqual({ from: 3, to: 5 });
      const drop = box.enforceBounds();
      expect(drop).toMatchObject({ bound: 'max_rows', rows: 6, perOutput: { influxdb: 4, mqtt: 6 } });
      expect(box.rows()).toBe(10);
      expect(box.liveRange('influxdb')).toBeUndefined();
      expect(values(box.read('influxdb', 100).metrics)).toEqual(range(6, 16));
      expect(box.depth('influxdb')).toBe(10);
      expect(box.depth('mqtt')).toBe(10);
      expect(box.enforceBounds()).toBeUndefined();
      box.close();
    });

    it('max_rows drop ending inside a live range merges the rest of it', () => {
      const box = open(['influxdb'], { max_rows: 10 });
      box.append(range(0, 16).map(metric));
      box.ack('influxdb', { from: 4, lastId: 9 });
      const drop = box.enforceBounds();
      // Ids 1..6 dropped; 5..6 were confirmed; the cursor goes on to the live range's end.
      expect(drop).toMatchObject({ rows: 6, perOutput: { influxdb: 4 } });
      expect(box.acked('influxdb')).toBe(9);
      expect(box.depth('influxdb')).toBe(7);
      expect(values(box.read('influxdb', 100).metrics)).toEqual(range(9, 16));
      box.close();
    });

    it('a batch in flight across a bounds drop is still confirmed exactly', () => {
      const box = open(['influxdb'], { max_rows: 10 });
      box.append(range(0, 14).map(metric));
      const head = box.read('influxdb', 3);
      const live = box.read('influxdb', 3, false, 'live');
      expect(box.enforceBounds()).toMatchObject({ rows: 4, perOutput: { influxdb: 4 } });
      box.ack('influxdb', head);
      expect(box.acked('influxdb')).toBe(4);
      box.ack('influxdb', live);
      expect(box.liveRange('influxdb')).toEqual({ from: 11, to: 14 });
      expect(box.depth('influxdb')).toBe(7);
      expect(values(box.read('influxdb', 100).metrics)).toEqual(range(4, 11));
      box.close();
    });

    it('drops rows accepted longer ago than max_age_days, oldest first', () => {
      const box = open(['influxdb'], { max_age_days: 1 });
      const t = 1_800_000_000_000;
      box.append(range(0, 5).map(metric), t);
      box.append(range(5, 8).map(metric), t + 3_600_000);
      box.append(range(8, 10).map(metric), t + 2 * 86_400_000);
      expect(box.enforceBounds(t + 86_400_000)).toBeUndefined();
      const drop = box.enforceBounds(t + 86_400_000 + 3_600_000 + 1);
      expect(drop).toMatchObject({ bound: 'max_age_days', rows: 8, perOutput: { influxdb: 8 }, oldestAgeMs: 86_400_000 + 3_600_000 + 1 });
      expect(values(box.read('influxdb', 100).metrics)).toEqual([8, 9]);
      box.close();
    });

    it('keeps dead letters with their reason, newest first, with a count per output', () => {
      const box = open(['influxdb', 'mqtt']);
      box.append(range(0, 3).map(metric));
      const b = box.read('influxdb', 3);
      box.ack('influxdb', b, [{ metric: b.metrics[1]!, reason: 'field type conflict' }], 1_800_000_000_000);
      box.deadLetter('mqtt', [{ metric: metric(9), reason: 'too large' }], 1_800_000_000_001);
      expect(box.depth('influxdb')).toBe(0);
      expect(box.deadLetterCount()).toBe(2);
      expect(box.deadLetterCount('influxdb')).toBe(1);
      expect(box.deadLetters('influxdb')).toEqual([{ id: 1, output: 'influxdb', at: 1_800_000_000_000, reason: 'field type conflict', metric: metric(1) }]);
      expect(box.deadLetters().map((l) => l.output)).toEqual(['mqtt', 'influxdb']);
      box.close();
    });

    it('counts rows handed out again that were never confirmed', () => {
      const box = open();
      box.append(range(0, 6).map(metric));
      const a = box.read('influxdb', 4);
      expect(box.markSent('influxdb', a)).toBe(0);
      // The write failed: the same batch goes again.
      expect(box.markSent('influxdb', box.read('influxdb', 4))).toBe(4);
      box.ack('influxdb', a);
      expect(box.markSent('influxdb', box.read('influxdb', 4))).toBe(0);
      box.close();
    });
  });
}

describe('Outbox on disk', () => {
  it('keeps what was not acknowledged across a reopen, and nothing that was', () => {
    const f = tmpFile();
    const box = new Outbox(f, ['influxdb']);
    box.append([0, 1, 2].map(metric));
    box.ack('influxdb', box.read('influxdb', 2));
    box.close();
    const again = new Outbox(f, ['influxdb']);
    expect(again.read('influxdb', 10).metrics).toEqual([metric(2)]);
    again.close();
  });

  it('delivers new metrics after the log was emptied (ids are never reused)', () => {
    const f = tmpFile();
    const box = new Outbox(f, ['influxdb']);
    box.append([metric(0), metric(1)]);
    box.ack('influxdb', box.read('influxdb', 10));
    box.append([metric(2)]);
    expect(box.read('influxdb', 10).metrics).toEqual([metric(2)]);
    box.ack('influxdb', box.read('influxdb', 10));
    box.close();
    const again = new Outbox(f, ['influxdb']);
    again.append([metric(3)]);
    expect(again.read('influxdb', 10).metrics).toEqual([metric(3)]);
    again.close();
  });

  it('a restart between a live ack and a head ack neither loses nor resends confirmed rows', () => {
    const f = tmpFile();
    const box = new Outbox(f, ['influxdb']);
    box.append(range(0, 20).map(metric));
    const head = box.read('influxdb', 5);
    box.ack('influxdb', head);
    const live = box.read('influxdb', 5, false, 'live');
    box.markSent('influxdb', live);
    box.ack('influxdb', live);
    // Handed out, not confirmed, when the gateway dies.
    const inFlight = box.read('influxdb', 5);
    box.markSent('influxdb', inFlight);
    box.close();

    const again = new Outbox(f, ['influxdb']);
    expect(again.acked('influxdb')).toBe(5);
    expect(again.liveRange('influxdb')).toEqual({ from: 15, to: 20 });
    expect(again.depth('influxdb')).toBe(10);
    const seen: number[] = [];
    let resent = 0;
    for (let side: 'head' | 'live' = 'head'; again.depth('influxdb') > 0; side = side === 'head' ? 'live' : 'head') {
      const b = again.read('influxdb', 5, false, side);
      resent += again.markSent('influxdb', b);
      seen.push(...values(b.metrics));
      again.ack('influxdb', b);
    }
    // Rows 15..19 were confirmed live before the restart: not sent again. The in-flight batch is, once; its resend is
    // not counted (the sent range is saved with acks only, not in a commit of its own).
    expect(seen).toEqual(range(5, 15));
    expect(resent).toBe(0);
    expect(again.liveRange('influxdb')).toBeUndefined();
    expect(again.rows()).toBe(0);
    again.close();
  });

  it('keeps dead letters across a reopen', () => {
    const f = tmpFile();
    const box = new Outbox(f, ['influxdb']);
    box.deadLetter('influxdb', [{ metric: metric(4), reason: 'bad' }], 5);
    box.close();
    const again = new Outbox(f, ['influxdb']);
    expect(again.deadLetters('influxdb', 10).map((l) => [l.reason, l.metric])).toEqual([['bad', metric(4)]]);
    again.close();
  });

  it('forgets the cursor of an output removed from the config', () => {
    const f = tmpFile();
    const box = new Outbox(f, ['influxdb', 'mqtt']);
    box.append([metric(1)]);
    box.close();
    const again = new Outbox(f, ['influxdb']);
    expect(() => again.depth('mqtt')).toThrow(/no cursor for output "mqtt"/);
    expect(again.depth('influxdb')).toBe(1);
    again.close();
  });

  it('migrates an outbox file from before the accepted-at column and the live range', () => {
    const f = tmpFile();
    const old = new Database(f);
    old.exec(`
      CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, remote INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE cursor (output TEXT PRIMARY KEY, acked INTEGER NOT NULL);
      INSERT INTO cursor VALUES ('influxdb', 1);
    `);
    const ins = old.prepare('INSERT INTO log (time, remote, body) VALUES (?, 0, ?)');
    for (const i of [0, 1, 2]) ins.run(metric(i).time, JSON.stringify(metric(i)));
    old.close();
    const migratedAt = 1_900_000_000_000;
    const box = new Outbox(f, ['influxdb'], { max_age_days: 1 }, migratedAt);
    expect(box.depth('influxdb')).toBe(2);
    expect(box.liveRange('influxdb')).toBeUndefined();
    // Queued rows count as accepted at the upgrade, so the age bound does not drop them at once.
    expect(box.oldestAgeMs('influxdb', migratedAt + 1000)).toBe(1000);
    expect(box.enforceBounds(migratedAt + 1000)).toBeUndefined();
    expect(box.read('influxdb', 10).metrics).toEqual([metric(1), metric(2)]);
    box.close();
  });

  it('appends with synchronous full (the default) and normal, and the options are strict', () => {
    expect(outboxOptions.parse({})).toEqual({ synchronous: 'full', max_rows: 5_000_000, max_age_days: 30, durable: true });
    expect(outboxOptions.safeParse({ maxRows: 3 }).success).toBe(false);
    for (const synchronous of ['full', 'normal'] as const) {
      const f = tmpFile();
      const box = new Outbox(f, ['influxdb'], { synchronous });
      box.append([metric(1)]);
      // A per-connection setting, not stored in the file: asked of the open connection (FULL = 2, NORMAL = 1).
      const conn = (box as unknown as { store: { db: Database.Database } }).store.db;
      expect(conn.pragma('synchronous', { simple: true })).toBe(synchronous === 'full' ? 2 : 1);
      box.close();
      const db = new Database(f, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect((db.prepare('SELECT count(*) AS n FROM log').get() as { n: number }).n).toBe(1);
      db.close();
    }
  });
});

describe('a commit that fails (disk full)', () => {
  it('moves no cursor: the batch and its dead letters are confirmed again later, nothing is lost', () => {
    const f = tmpFile();
    const box = new Outbox(f, ['influxdb']);
    box.append([0, 1, 2, 3, 4, 5].map(metric));
    const b = box.read('influxdb', 3);
    const store = (box as unknown as { store: { addDeadLetters: (...a: unknown[]) => void } }).store;
    const real = store.addDeadLetters.bind(store);
    store.addDeadLetters = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    expect(() => box.ack('influxdb', b, [{ metric: b.metrics[1]!, reason: 'field type conflict' }])).toThrow(/SQLITE_FULL/);
    store.addDeadLetters = real;
    expect(box.acked('influxdb')).toBe(0);
    expect(box.depth('influxdb')).toBe(6);
    // The drain hands the same rows out again and confirms them with their dead letter this time.
    const again = box.read('influxdb', 3);
    expect(again.metrics).toEqual(b.metrics);
    box.ack('influxdb', again, [{ metric: again.metrics[1]!, reason: 'field type conflict' }]);
    box.close();
    const reopened = new Outbox(f, ['influxdb']);
    expect(reopened.acked('influxdb')).toBe(3);
    expect(reopened.deadLetterCount()).toBe(1);
    reopened.close();
  });
});

describe('Outbox in memory (durable: false)', () => {
  it('stays exact through many appends and trims (compaction)', () => {
    const box = new Outbox('', ['influxdb'], { durable: false });
    let next = 0;
    for (let round = 0; round < 30; round++) {
      box.append(range(next, next + 500).map(metric));
      next += 500;
      const b = box.read('influxdb', 450);
      expect(b.metrics[0]!.fields.pm25_ugm3).toBe(round * 450);
      box.ack('influxdb', b);
    }
    expect(box.depth('influxdb')).toBe(30 * 50);
    expect(values(box.read('influxdb', 3).metrics)).toEqual([13_500, 13_501, 13_502]);
    box.close();
  });
});
