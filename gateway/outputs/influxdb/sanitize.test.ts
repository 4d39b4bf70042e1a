import { describe, expect, it } from 'vitest';
import type { Metric } from '../../core/metric.js';
import { emptyCounts, IntegerField, isSafeKey, sanitizeTagValue, toPoint } from './sanitize.js';

describe('sanitizeTagValue', () => {
  it('keeps ordinary names, commas, equals signs, quotes and non-ASCII as they are', () => {
    // Round-trip OK with node-influx 5.12 → InfluxDB 1.6.7 (influxdb-mqtt.md §5).
    for (const v of ['Rue de la Paix, 12', 'Straße ü', 'a,b', 'k=v', '"quoted"', 'Main St 🚗', 'x\\y']) {
      expect(sanitizeTagValue(v)).toBe(v);
    }
  });

  it('replaces CR and LF (line-protocol injection) with a space', () => {
    expect(sanitizeTagValue('north\nair v=1')).toBe('north air v=1');
    expect(sanitizeTagValue('a\r\nb')).toBe('a b');
    expect(sanitizeTagValue('tab\there')).toBe('tab here');
  });

  it('strips trailing backslashes (400 invalid tag format) and backslashes before , = and space', () => {
    expect(sanitizeTagValue('C:\\path\\')).toBe('C:\\path');
    expect(sanitizeTagValue('end\\\\\\')).toBe('end');
    expect(sanitizeTagValue('a\\ b')).toBe('a b');
    expect(sanitizeTagValue('a\\,b\\=c')).toBe('a,b=c');
    expect(sanitizeTagValue('line\\\n')).toBe('line');
  });

  it('returns undefined for values that end up empty (400 missing tag value)', () => {
    for (const v of ['', ' ', '\n', '\\', '\\\\ \r\n']) expect(sanitizeTagValue(v)).toBeUndefined();
  });

  it('trims leading and trailing whitespace', () => {
    expect(sanitizeTagValue('  north  ')).toBe('north');
  });
});

describe('isSafeKey', () => {
  it('accepts identifier-like keys and refuses time, spaces, newlines and leading underscores', () => {
    expect(isSafeKey('pm25_ugm3')).toBe(true);
    expect(isSafeKey('site')).toBe(true);
    for (const k of ['time', '_field', 'a b', 'a\nb', '', '1abc', 'a,b']) expect(isSafeKey(k)).toBe(false);
  });
});

const metric = (over: Partial<Metric> = {}): Metric => ({
  measurement: 'air',
  tags: { site: 'rue-de-la-paix', node: 'n1', part: 'pms5003' },
  fields: { pm25_ugm3: 12.5, pm10_ugm3: 20 },
  time: Date.UTC(2024, 4, 1, 8, 0, 0, 123),
  ...over,
});

describe('toPoint', () => {
  it('keeps measurement, sorted tags, fields and the ms timestamp as a numeric string', () => {
    const counts = emptyCounts();
    const p = toPoint(metric({ tags: { site: 's', part: 'p', node: 'n' } }), counts);
    expect(p).toEqual({
      measurement: 'air',
      tags: { node: 'n', part: 'p', site: 's' },
      fields: { pm25_ugm3: 12.5, pm10_ugm3: 20 },
      timestamp: '1714550400123',
    });
    expect(Object.keys(p?.tags ?? {})).toEqual(['node', 'part', 'site']);
    expect(counts).toEqual(emptyCounts());
  });

  it('drops non-finite fields and counts them', () => {
    const counts = emptyCounts();
    const p = toPoint(metric({ fields: { pm25_ugm3: Number.NaN, pm10_ugm3: Infinity, no2_ppb: 17 } }), counts);
    expect(p?.fields).toEqual({ no2_ppb: 17 });
    expect(counts.droppedFields).toBe(2);
  });

  it('drops the point when no field is left, an unknown measurement or a bad time', () => {
    const counts = emptyCounts();
    expect(toPoint(metric({ fields: { pm25_ugm3: Number.NaN } }), counts)).toBeUndefined();
    expect(toPoint(metric({ measurement: 'air,x=1 v' as Metric['measurement'] }), counts)).toBeUndefined();
    expect(toPoint(metric({ time: Number.NaN }), counts)).toBeUndefined();
    expect(toPoint(metric({ time: 1.5 }), counts)).toBeUndefined();
    expect(counts.droppedPoints).toBe(4);
  });

  it('writes qc as an InfluxDB integer and drops a non-integer qc', () => {
    const counts = emptyCounts();
    const p = toPoint(metric({ fields: { pm25_ugm3: 3, qc: 5 } }), counts);
    expect(p?.fields?.qc).toBeInstanceOf(IntegerField);
    expect(String(p?.fields?.qc)).toBe('5i');
    const q = toPoint(metric({ fields: { pm25_ugm3: 3, qc: 1.5 } }), counts);
    expect(q?.fields).toEqual({ pm25_ugm3: 3 });
    expect(counts.droppedFields).toBe(1);
  });

  it('drops empty tags and counts changed ones', () => {
    const counts = emptyCounts();
    const p = toPoint(metric({ tags: { site: 'a\nb', node: '', part: 'C:\\x\\' } }), counts);
    expect(p?.tags).toEqual({ part: 'C:\\x', site: 'a b' });
    expect(counts).toMatchObject({ droppedTags: 1, changedTags: 2 });
  });

  it('keeps time 0 as "0" so the server never stamps arrival time', () => {
    expect(toPoint(metric({ time: 0 }), emptyCounts())?.timestamp).toBe('0');
  });
});
