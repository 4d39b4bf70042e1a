import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bytesOf, FIXTURES } from './fixtures.js';
import { Pms5003, type PmsDriverReading } from './driver.js';
import { encodeFrame, Pms5003Simulator } from './simulator.js';
import { duplexPair } from './test-pair.js';

const VALUES = {
  pm1_cf1_ugm3: 10,
  pm25_cf1_ugm3: 16,
  pm10_cf1_ugm3: 22,
  pm1_ugm3: 10,
  pm25_ugm3: 16,
  pm10_ugm3: 22,
  n0_3_per_dl: 1830,
  n0_5_per_dl: 549,
  n1_0_per_dl: 126,
  n2_5_per_dl: 12,
  n5_0_per_dl: 4,
  n10_per_dl: 1,
};

function rig(driverOptions: ConstructorParameters<typeof Pms5003>[1] = {}) {
  const { host, device } = duplexPair();
  let now = 1_700_000_000_000;
  const clock = {
    get: () => now,
    advance: async (ms: number) => {
      now += ms;
      await vi.advanceTimersByTimeAsync(ms);
    },
  };
  const sim = new Pms5003Simulator(device, { intervalMs: 1000, values: () => VALUES });
  const driver = new Pms5003(host, { now: clock.get, ...driverOptions });
  const readings: PmsDriverReading[] = [];
  driver.on('reading', (r) => readings.push(r));
  return { host, device, sim, driver, readings, clock };
}

describe('Pms5003 driver', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('emits readings by canonical name, flagged warmup for the first 30 s after power-up', async () => {
    const { sim, driver, readings, clock } = rig();
    sim.start();
    await clock.advance(1000);
    expect(readings).toHaveLength(1);
    expect(readings[0]!.values).toEqual(VALUES);
    expect(readings[0]!.flags).toEqual(['warmup']);
    expect(readings[0]!.time.getTime()).toBe(clock.get());
    expect(readings[0]!.version).toBe(0x97);
    await clock.advance(30_000);
    expect(readings.at(-1)!.flags).toEqual([]);
    expect(driver.counts.frames).toBe(31);
    driver.close();
    sim.stop();
  });

  it('awakeSince: null means no warm-up flag', async () => {
    const { sim, driver, readings, clock } = rig({ awakeSince: null });
    sim.start();
    await clock.advance(1000);
    expect(readings[0]!.flags).toEqual([]);
    driver.close();
    sim.stop();
  });

  it('setMode/requestRead/sleep/wake travel as real commands and resolve on the real answers', async () => {
    const { sim, driver, readings, clock } = rig({ awakeSince: null });
    sim.start();
    const acks: Array<{ command: number; data: number }> = [];
    driver.on('ack', (a) => acks.push(a));

    await driver.setMode('passive');
    expect(sim.mode).toBe('passive');
    expect(driver.mode).toBe('passive');
    await clock.advance(5000);
    expect(readings).toHaveLength(0); // passive: the sensor stays quiet

    const r = await driver.requestRead();
    expect(r.values).toEqual(VALUES);
    expect(readings).toHaveLength(1);

    await driver.sleep();
    expect(sim.asleep).toBe(true);
    expect(driver.asleep).toBe(true);

    await driver.setMode('active');
    await driver.wake();
    expect(sim.asleep).toBe(false);
    await clock.advance(1000);
    expect(readings.at(-1)!.flags).toEqual(['warmup']); // woken just now
    await clock.advance(30_000);
    expect(readings.at(-1)!.flags).toEqual([]);
    expect(acks).toEqual([
      { command: 0xe1, data: 0 },
      { command: 0xe4, data: 0 },
      { command: 0xe1, data: 1 },
    ]);
    expect(sim.commandsReceived).toEqual(['passive', 'read', 'sleep', 'active', 'wake']);
    driver.close();
    sim.stop();
  });

  it('rejects setMode with a plain message when no ACK comes', async () => {
    const { driver } = rig({ commandTimeoutMs: 500 });
    const p = driver.setMode('passive');
    const assertion = expect(p).rejects.toThrow(/no ACK to 'passive' within 500 ms — check the sensor's TX → host RX wire/);
    await vi.advanceTimersByTimeAsync(500);
    await assertion;
    expect(driver.mode).toBe('active');
    driver.close();
  });

  it('flags stale after 3 s of silence in active mode, and fresh again on the next frame', async () => {
    const { device, driver, clock } = rig({ awakeSince: null });
    const events: string[] = [];
    driver.on('stale', () => events.push('stale'));
    driver.on('fresh', () => events.push('fresh'));
    device.write(encodeFrame(VALUES));
    await clock.advance(10);
    expect(driver.latest()!.flags).toEqual([]);
    device.write(encodeFrame(VALUES).subarray(0, 12)); // half a frame, then silence
    await clock.advance(3000);
    expect(events).toEqual(['stale']);
    expect(driver.stale).toBe(true);
    expect(driver.latest()!.flags).toEqual(['stale']);
    device.write(encodeFrame(VALUES)); // the dropped half does not corrupt the next frame
    await clock.advance(10);
    expect(events).toEqual(['stale', 'fresh']);
    expect(driver.latest()!.values).toEqual(VALUES);
    expect(driver.counts.errors.checksum).toBe(0);
    driver.close();
  });

  it('does not go stale while asleep or in passive mode', async () => {
    const { driver, clock } = rig({ mode: 'passive' });
    let stale = 0;
    driver.on('stale', () => stale++);
    await clock.advance(10_000);
    expect(stale).toBe(0);
    driver.close();
  });

  it('reports bad frames as frame_error with the reason, and decodes the PMS5003T variant', async () => {
    const { device, driver, readings, clock } = rig({ variant: 'pms5003t' });
    const errors: string[] = [];
    driver.on('frame_error', (e) => errors.push(e.reason));
    const corrupted = FIXTURES.find((f) => f.name === 'pypms-pms5003t-0-corrupted')!;
    const good = FIXTURES.find((f) => f.name === 'pypms-pms5003t-0')!;
    device.write(Buffer.concat([bytesOf(corrupted.hex), bytesOf(good.hex)]));
    await clock.advance(10);
    expect(errors).toEqual(['checksum 0x04aa != sum 0x04ab']);
    expect(readings.map((r) => [r.values.temperature_c, r.values.humidity_pct])).toEqual([[21.2, 22.4]]);
    expect(driver.counts.errors.checksum).toBe(1);
    driver.close();
  });

  it('validates options', () => {
    const { host } = duplexPair();
    expect(() => new Pms5003(host, { staleAfterMs: -1 })).toThrow(/staleAfterMs must be a non-negative number/);
    expect(() => new Pms5003(host, { variant: 'sds011' as never })).toThrow(TypeError);
  });
});
