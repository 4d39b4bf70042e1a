import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';
import type { Metric } from '../core/metric.js';

const metric = (i: number): Metric => ({ measurement: 'air', tags: { site: 's', node: 'n', part: 'p' }, fields: { pm25_ugm3: i }, time: 1_700_000_000_000 + i });

describe('Outbox', () => {
  const dirs: string[] = [];
  const file = () => {
    const d = mkdtempSync(join(tmpdir(), 'outbox-'));
    dirs.push(d);
    return join(d, 'outbox.sqlite');
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('hands each output every metric once, in order, in batches', () => {
    const box = new Outbox(file(), ['influxdb', 'mqtt']);
    box.append([0, 1, 2, 3, 4].map(metric));
    const a = box.read('influxdb', 3);
    expect(a.metrics.map((m) => m.fields.pm25_ugm3)).toEqual([0, 1, 2]);
    box.ack('influxdb', a.lastId);
    expect(box.read('influxdb', 10).metrics.map((m) => m.fields.pm25_ugm3)).toEqual([3, 4]);
    // The other output has its own cursor.
    expect(box.read('mqtt', 10).metrics).toHaveLength(5);
    expect(box.depth('influxdb')).toBe(2);
    expect(box.depth('mqtt')).toBe(5);
    box.close();
  });

  it('keeps what was not acknowledged across a reopen, and nothing that was', () => {
    const f = file();
    const box = new Outbox(f, ['influxdb']);
    box.append([0, 1, 2].map(metric));
    box.ack('influxdb', box.read('influxdb', 2).lastId);
    box.close();
    const again = new Outbox(f, ['influxdb']);
    expect(again.read('influxdb', 10).metrics).toEqual([metric(2)]);
    again.close();
  });

  it('delivers new metrics after the log was emptied (ids are never reused)', () => {
    const f = file();
    const box = new Outbox(f, ['influxdb']);
    box.append([metric(0), metric(1)]);
    box.ack('influxdb', box.read('influxdb', 10).lastId);
    box.append([metric(2)]);
    expect(box.read('influxdb', 10).metrics).toEqual([metric(2)]);
    box.ack('influxdb', box.read('influxdb', 10).lastId);
    box.close();
    const again = new Outbox(f, ['influxdb']);
    again.append([metric(3)]);
    expect(again.read('influxdb', 10).metrics).toEqual([metric(3)]);
    again.close();
  });

  it('skips remote metrics for a local-only output but still covers their ids', () => {
    const box = new Outbox(':memory:', ['influxdb', 'mqtt']);
    const remote = { ...metric(1), meta: { remote: true } };
    box.append([metric(0), remote, metric(2)]);
    const local = box.read('mqtt', 10, true);
    expect(local.metrics.map((m) => m.fields.pm25_ugm3)).toEqual([0, 2]);
    expect(box.read('influxdb', 10).metrics).toHaveLength(3);
    box.ack('mqtt', local.lastId);
    expect(box.depth('mqtt')).toBe(0);
    box.close();
  });

  it('writes long batches through the multi-row insert in order', () => {
    const box = new Outbox(':memory:', ['influxdb']);
    const many = Array.from({ length: 64 * 3 + 5 }, (_, i) => metric(i));
    box.append(many);
    expect(box.depth('influxdb')).toBe(many.length);
    expect(box.read('influxdb', 1000).metrics).toEqual(many);
    box.close();
  });

  it('an unread batch is read again (a failed write loses nothing)', () => {
    const box = new Outbox(file(), ['influxdb']);
    box.append([metric(7)]);
    expect(box.read('influxdb', 10).metrics).toEqual([metric(7)]);
    expect(box.read('influxdb', 10).metrics).toEqual([metric(7)]);
    box.close();
  });

  it('reports the age of the oldest unconfirmed metric', () => {
    const box = new Outbox(':memory:', ['influxdb']);
    box.append([metric(0)]);
    expect(box.oldestAgeMs('influxdb', 1_700_000_060_000)).toBe(60_000);
    box.ack('influxdb', box.read('influxdb', 1).lastId);
    expect(box.oldestAgeMs('influxdb', 1_700_000_060_000)).toBe(0);
    box.close();
  });

  it('forgets the cursor of an output removed from the config', () => {
    const f = file();
    const box = new Outbox(f, ['influxdb', 'mqtt']);
    box.append([metric(1)]);
    box.close();
    const again = new Outbox(f, ['influxdb']);
    expect(() => again.depth('mqtt')).toThrow(/no cursor for output "mqtt"/);
    expect(again.depth('influxdb')).toBe(1);
    again.close();
  });
});
