import { describe, expect, it } from 'vitest';
import { bytesOf, CALC_MISO, PYPMS_CAPTURE, STACKEXCHANGE_WAKE_0X43 } from './fixtures.js';
import { decodeChunks, sps30Part, type Sps30Decoded } from './index.js';

async function collect(gen: AsyncGenerator<Sps30Decoded>) {
  const out: Sps30Decoded[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('decodeChunks (for `airlane decode sps30-uart`)', () => {
  const first = bytesOf(PYPMS_CAPTURE[0]!.hex);
  const corrupt = Buffer.from(first);
  corrupt[6] = 0x00; // 40 a7 → 40 00: checksum no longer matches
  const stream = Buffer.concat([
    bytesOf(CALC_MISO.startAck),
    first,
    bytesOf(CALC_MISO.readNoNewData),
    bytesOf(STACKEXCHANGE_WAKE_0X43.hex), // fe junk, then a state-0x43 reply
    corrupt,
    bytesOf(PYPMS_CAPTURE[1]!.hex).subarray(0, 12), // cut short
  ]);
  const chunks = [stream.subarray(0, 30), stream.subarray(30, 31), stream.subarray(31)];

  it('yields readings, replies and errors in stream order, from sync or async chunks', async () => {
    async function* asyncChunks() {
      yield* chunks;
    }
    for (const source of [chunks, asyncChunks()]) {
      const out = await collect(decodeChunks(source));
      expect(out.map((o) => (o.kind === 'error' ? `error:${o.code}` : o.kind))).toEqual([
        'reply', 'reading', 'reply', 'error:length', 'reply', 'error:checksum', 'error:truncated',
      ]);
      expect(out[0]).toEqual({ kind: 'reply', command: 0, name: 'start measurement', state: 0, data: '', hex: '7e 00 00 00 00 ff 7e' });
      expect(out[1]).toMatchObject({ kind: 'reading', hex: PYPMS_CAPTURE[0]!.hex });
      expect(out[1]!.kind === 'reading' && out[1]!.values.pm25_ugm3).toBe(9.466731);
      expect(out[2]).toMatchObject({ kind: 'reply', command: 3, name: 'read measured values', data: '' });
      expect(out[3]).toMatchObject({ hex: '7e fe 7e' });
      expect(out[4]).toEqual({
        kind: 'reply', command: 0x11, name: 'wake-up', state: 0x43, error: 'command not allowed in the current state', data: '', hex: '7e 00 7d 31 43 00 ab 7e',
      });
      expect(out[5]).toMatchObject({ kind: 'error', code: 'checksum' });
      expect(out[6]).toMatchObject({ kind: 'error', reason: 'stream ended inside a frame (12 bytes since the last 0x7e)' });
      expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    }
  });

  it('decodes the whole real capture as ten readings', async () => {
    const out = await collect(decodeChunks([Buffer.concat(PYPMS_CAPTURE.map((c) => bytesOf(c.hex)))]));
    expect(out.map((o) => o.kind)).toEqual(Array(10).fill('reading'));
    const names = sps30Part.definition.quantities.map((q) => q.name).sort();
    for (const o of out) expect(o.kind === 'reading' && Object.keys(o.values).sort()).toEqual(names);
  });
});
