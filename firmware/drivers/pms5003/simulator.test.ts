import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { urbanConditions } from '../../sim/urban-day.js';
import { encodeAck, pmsCommand } from './commands.js';
import { PmsScanner, eventSink, type PmsEvent } from './protocol.js';
import { encodeFrame, Pms5003Simulator, valuesFromConditions } from './simulator.js';
import { duplexPair } from './test-pair.js';

const decodeAll = (buf: Buffer, variant: 'pms5003' | 'pms5003t' = 'pms5003') => {
  const out: PmsEvent[] = [];
  const s = new PmsScanner(eventSink(variant, (e) => out.push(e)), variant);
  s.push(buf);
  return out;
};

const AT = new Date('2024-05-14T08:00:00Z'); // morning rush in the urban scenario

describe('encodeFrame', () => {
  it('round-trips through the parser for both variants', () => {
    for (const variant of ['pms5003', 'pms5003t'] as const) {
      const values = valuesFromConditions(urbanConditions(AT), variant);
      const events = decodeAll(encodeFrame(values, variant), variant);
      expect(events).toHaveLength(1);
      expect(events[0]!.kind === 'reading' && events[0]!.values).toEqual(values);
    }
  });

  it('throws on a missing quantity instead of sending a zero', () => {
    expect(() => encodeFrame({ pm25_ugm3: 3 })).toThrow(/values.pm1_cf1_ugm3 must be a finite number/);
  });
});

describe('valuesFromConditions', () => {
  it('takes atmospheric PM from urbanConditions and derives CF=1 and counts plausibly', () => {
    const c = urbanConditions(AT);
    const v = valuesFromConditions(c, 'pms5003');
    expect(v.pm25_ugm3).toBe(Math.round(c.pm25_ugm3));
    expect(v.pm10_ugm3).toBe(Math.round(c.pm10_ugm3));
    expect(v.pm1_ugm3).toBe(Math.round(c.pm1_ugm3));
    expect(v.pm25_cf1_ugm3).toBeGreaterThanOrEqual(v.pm25_ugm3!);
    const counts = ['n0_3_per_dl', 'n0_5_per_dl', 'n1_0_per_dl', 'n2_5_per_dl', 'n5_0_per_dl', 'n10_per_dl'].map((k) => v[k]!);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]!);
    const t = valuesFromConditions(c, 'pms5003t');
    expect(t.temperature_c).toBe(Math.round(c.temperature_c * 10) / 10);
    expect(t.humidity_pct).toBe(Math.round(c.humidity_pct * 10) / 10);
    expect(t.n5_0_per_dl).toBeUndefined();
  });
});

describe('Pms5003Simulator', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('pushes frames in active mode and obeys passive, read, sleep and wake with the real ACK bytes', async () => {
    const { host, device } = duplexPair();
    const received: Buffer[] = [];
    host.on('data', (c: Buffer) => received.push(c));
    const values = valuesFromConditions(urbanConditions(AT), 'pms5003');
    const sim = new Pms5003Simulator(device, { intervalMs: 1000, values: () => values });
    sim.start();
    const take = async () => {
      await new Promise((r) => setImmediate(r));
      const b = Buffer.concat(received);
      received.length = 0;
      return b;
    };

    await vi.advanceTimersByTimeAsync(3000);
    expect(decodeAll(await take()).map((e) => e.kind === 'reading' && e.values)).toEqual([values, values, values]);

    host.write(pmsCommand('passive'));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await take()).toString('hex')).toBe(encodeAck(0xe1, 0).toString('hex'));
    expect(sim.mode).toBe('passive');

    host.write(pmsCommand('read'));
    await vi.advanceTimersByTimeAsync(10);
    expect((await take()).toString('hex')).toBe(encodeFrame(values).toString('hex'));

    host.write(pmsCommand('active'));
    await vi.advanceTimersByTimeAsync(10);
    expect((await take()).toString('hex')).toBe('424d0004e1010175');

    host.write(pmsCommand('sleep'));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await take()).toString('hex')).toBe('424d0004e4000177'); // airrohr #730's bytes, then silence
    expect(sim.asleep).toBe(true);

    host.write(pmsCommand('read')); // ignored while asleep
    await vi.advanceTimersByTimeAsync(10);
    expect(await take()).toHaveLength(0);

    host.write(pmsCommand('wake'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(decodeAll(await take()).map((e) => e.kind)).toEqual(['reading', 'reading']); // no ACK for wake
    expect(sim.commandsReceived).toEqual(['passive', 'read', 'active', 'sleep', 'read', 'wake']);
    sim.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(await take()).toHaveLength(0);
  });

  it('writes PMS5003T frames whose bytes 24–27 carry temperature and humidity', async () => {
    const { host, device } = duplexPair();
    const sim = new Pms5003Simulator(device, { variant: 'pms5003t', clock: () => AT });
    const frames: Buffer[] = [];
    sim.on('frame', (f) => frames.push(f));
    host.resume();
    sim.sendFrame();
    const c = urbanConditions(AT);
    expect(frames[0]!.readInt16BE(24)).toBe(Math.round(c.temperature_c * 10));
    expect(frames[0]!.readUInt16BE(26)).toBe(Math.round(c.humidity_pct * 10));
  });

  it('validates its options', () => {
    const { device } = duplexPair();
    expect(() => new Pms5003Simulator(device, { intervalMs: 0 })).toThrow(TypeError);
    expect(() => new Pms5003Simulator(device, { variant: 'x' as never })).toThrow(TypeError);
  });
});
