import { describe, expect, it } from 'vitest';
import { bytesOf, FIXTURES } from './fixtures.js';
import { decodeChunks, definition, type PmsDecoded } from './index.js';
import { pms5003t } from '../pms5003t/definition.js';
import { decodeFrame } from './protocol.js';

async function collect(gen: AsyncGenerator<PmsDecoded>) {
  const out: PmsDecoded[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('decodeChunks (for `airlane decode pms5003`)', () => {
  it('yields JSON-friendly readings, ACKs and errors in stream order, from sync or async chunks', async () => {
    const t = bytesOf(FIXTURES.find((f) => f.name === 'pypms-pms5003t-0')!.hex);
    const bad = bytesOf(FIXTURES.find((f) => f.name === 'pypms-pms5003t-0-corrupted')!.hex);
    const ack = bytesOf(FIXTURES.find((f) => f.name === 'airrohr-730-ack')!.hex);
    const all = Buffer.concat([bad, t, ack, t.subarray(0, 9)]);
    const chunks = [all.subarray(0, 40), all.subarray(40, 41), all.subarray(41)];
    async function* asyncChunks() {
      yield* chunks;
    }
    for (const source of [chunks, asyncChunks()]) {
      const out = await collect(decodeChunks(source, 'pms5003t'));
      expect(out.map((o) => o.kind)).toEqual(['error', 'reading', 'ack', 'error']);
      expect(out[0]).toMatchObject({ kind: 'error', code: 'checksum', reason: 'checksum 0x04aa != sum 0x04ab' });
      expect(out[1]).toMatchObject({ kind: 'reading', version: 0x9a, errorCode: 0 });
      expect(out[1]!.kind === 'reading' && out[1]!.values.humidity_pct).toBe(22.4);
      expect(out[2]).toEqual({ kind: 'ack', command: 0xe4, data: 0, name: 'sleep', hex: '42 4d 00 04 e4 00 01 77' });
      expect(out[3]).toMatchObject({ kind: 'error', code: 'truncated' });
      expect(JSON.parse(JSON.stringify(out[1]))).toEqual(out[1]);
    }
  });
});

describe('definitions', () => {
  it('name exactly the quantities the decoder yields, for each variant', () => {
    const frame = bytesOf(FIXTURES.find((f) => f.name === 'rtt-pmsxx-readme')!.hex);
    expect(definition.quantities.map((q) => q.name).sort()).toEqual(Object.keys(decodeFrame(frame, 0, 32, 'pms5003')).sort());
    expect(pms5003t.quantities.map((q) => q.name).sort()).toEqual(Object.keys(decodeFrame(frame, 0, 32, 'pms5003t')).sort());
    expect([definition.warmupS, pms5003t.warmupS]).toEqual([30, 30]);
    for (const q of [...definition.quantities, ...pms5003t.quantities]) expect(q.name).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});
