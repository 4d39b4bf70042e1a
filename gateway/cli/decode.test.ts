import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseHex, runDecode, UsageError } from './decode.js';
import { FIXTURES } from '../../firmware/drivers/pms5003/fixtures.js';

const ACK = '42 4d 00 04 e4 00 01 77'; // airrohr issue #730
const real = FIXTURES.find((f) => f.name === 'pypms-pmsx003-9')!;

async function decode(part: string, opts: { hex?: string }, stdin: Buffer[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const counts = await runDecode(part, opts, { stdin: (async function* () { yield* stdin; })(), out: (l) => out.push(l), err: (l) => err.push(l) });
  return { out: out.map((l) => JSON.parse(l) as Record<string, unknown>), err: err.map((l) => JSON.parse(l) as Record<string, unknown>), counts };
}

describe('airlane decode', () => {
  it('prints one JSON object per reading with the part and canonical names, nothing for ACKs', async () => {
    const r = await decode('pms5003', { hex: `${ACK} ${real.hex}` });
    expect(r.out).toEqual([{ part: 'pms5003', ...(real.expected as { values: object }).values }]);
    expect(r.err).toEqual([]);
    expect(r.counts).toEqual({ readings: 1, errors: 0, acks: 1 });
  });

  it('reports a corrupted frame on stderr with its reason and still finds the good one after it', async () => {
    const bad = real.hex.slice(0, -2) + '35';
    const r = await decode('pms5003', {}, [Buffer.from('garbage'), Buffer.from(bad.replace(/ /g, ''), 'hex'), Buffer.from(real.hex.replace(/ /g, ''), 'hex').subarray(0, 7), Buffer.from(real.hex.replace(/ /g, ''), 'hex').subarray(7)]);
    expect(r.err).toEqual([{ error: 'checksum 0x0235 != sum 0x0234', code: 'checksum', part: 'pms5003', hex: bad }]);
    expect(r.out).toHaveLength(1);
  });

  it('parses hex in the usual spellings and refuses what is not hex', () => {
    expect([...parseHex('42 4d,0x00:1C')]).toEqual([0x42, 0x4d, 0x00, 0x1c]);
    expect(() => parseHex('42 4g')).toThrow(UsageError);
    expect(() => parseHex('424')).toThrow(/odd number of hex digits/);
  });

  it('refuses an unknown part as a usage error', async () => {
    await expect(decode('bme999', { hex: '' })).rejects.toThrow('cannot decode part "bme999"; parts: pms5003, pms5003t, sds011, sps30-uart');
  });

  it('decodes the SDS011 datasheet example and refuses its corrupted twin (Nova control protocol V1.3)', async () => {
    const r = await decode('sds011', { hex: 'AA C0 D4 04 3A 0A A1 60 1D AB  AA C0 D4 04 3A 0A A1 60 1E AB' });
    expect(r.out).toEqual([{ part: 'sds011', pm25_ugm3: 123.6, pm10_ugm3: 261.8 }]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatchObject({ code: 'checksum', part: 'sds011' });
  });

  it('exits 0 after decoding and 2 on a usage error, from the real command', () => {
    const bin = new URL('../../bin/airlane.mjs', import.meta.url).pathname;
    const ok = spawnSync(process.execPath, [bin, 'decode', 'pms5003', '--hex', real.hex], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ part: 'pms5003', pm25_ugm3: 5 });
    const usage = spawnSync(process.execPath, [bin, 'decode', 'pms5003', '--hex', 'zz'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--hex holds "z"');
  });
});
