import { describe, expect, it } from 'vitest';
import { AIRROHR_197_CAPTURE, bytesOf, FIXTURES } from './fixtures.js';
import { decodeChunks, decodeData, definition, sdsOptionsSchema, type SdsDecoded } from './index.js';

async function collect(gen: AsyncGenerator<SdsDecoded>) {
  const out: SdsDecoded[] = [];
  for await (const x of gen) out.push(x);
  return out;
}
const fixture = (name: string) => bytesOf(FIXTURES.find((f) => f.name === name)!.hex);

describe('decodeChunks (for `airlane decode sds011`)', () => {
  it('yields JSON-friendly readings, replies and errors in stream order, from sync or async chunks', async () => {
    const good = fixture('esphome-issue-4572');
    const bad = fixture('datasheet-a160-checksum-1e');
    const all = Buffer.concat([bad, good, bytesOf(AIRROHR_197_CAPTURE.hex), good.subarray(0, 4)]);
    const chunks = [all.subarray(0, 13), all.subarray(13, 14), all.subarray(14)];
    async function* asyncChunks() {
      yield* chunks;
    }
    for (const source of [chunks, asyncChunks()]) {
      const out = await collect(decodeChunks(source));
      expect(out.map((o) => o.kind)).toEqual(['error', 'reading', 'reply', 'error']);
      expect(out[0]).toEqual({ kind: 'error', code: 'checksum', reason: 'checksum 0x1e != sum 0x1d', hex: 'aa c0 d4 04 3a 0a a1 60 1e ab' });
      expect(out[1]).toEqual({ kind: 'reading', values: { pm25_ugm3: 4.4, pm10_ugm3: 5.5 }, deviceId: 0x7e23, hex: 'aa c0 2c 00 37 00 7e 23 04 ab' });
      expect(out[2]).toEqual({
        kind: 'reply',
        command: 'firmware_version',
        year: 2017,
        month: 8,
        day: 21,
        deviceId: 0x9822,
        hex: 'aa c5 07 11 08 15 98 22 ef ab',
      });
      expect(out[3]).toMatchObject({ kind: 'error', code: 'truncated', hex: 'aa c0 2c 00' });
      for (const o of out) expect(JSON.parse(JSON.stringify(o))).toEqual(o);
    }
  });
});

describe('definition and options', () => {
  it('name exactly the quantities the decoder yields, with the datasheet range and warm-up', () => {
    const { values } = decodeData(fixture('datasheet-a160'));
    expect(definition.quantities.map((q) => q.name).sort()).toEqual(Object.keys(values).sort());
    for (const q of definition.quantities) expect([q.min, q.max, q.precision]).toEqual([0, 999.9, 1]);
    expect(definition.warmupS).toBe(15);
    expect(definition.id).toBe('sds011');
  });

  it('options default to an active, continuous sensor and refuse what the sensor cannot do', () => {
    expect(sdsOptionsSchema.parse({})).toEqual({ reporting_mode: 'active', working_period_min: 0, warmup_s: 15, stale_after_ms: 3000, sim_interval_ms: 1000 });
    expect(sdsOptionsSchema.parse({ device_id: 'a160', reporting_mode: 'query', working_period_min: 5 })).toMatchObject({ device_id: 'a160', working_period_min: 5 });
    expect(() => sdsOptionsSchema.parse({ working_period_min: 31 })).toThrow();
    expect(() => sdsOptionsSchema.parse({ device_id: 'A16' })).toThrow(/4 hex digits/);
    expect(() => sdsOptionsSchema.parse({ reporting_mode: 'passive' })).toThrow();
    expect(() => sdsOptionsSchema.parse({ warmup: 15 })).toThrow(); // strict: a misspelt key is an error
  });
});
