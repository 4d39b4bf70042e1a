import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { duplexPair } from '../../buses/serial.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { Sds011, type SdsDriverReading } from './driver.js';
import { bytesOf, FIXTURES } from './fixtures.js';
import type { SdsReply } from './protocol.js';
import { encodeDataFrame, Sds011Simulator, valuesFromConditions } from './simulator.js';

const AT = new Date('2024-05-14T17:30:00Z'); // evening rush in the urban scenario
const VALUES = valuesFromConditions(urbanConditions(AT));

function rig(driverOptions: ConstructorParameters<typeof Sds011>[1] = {}, simOptions: ConstructorParameters<typeof Sds011Simulator>[1] = {}) {
  const { host, device } = duplexPair();
  let now = 1_700_000_000_000;
  const clock = {
    get: () => now,
    advance: async (ms: number) => {
      now += ms;
      await vi.advanceTimersByTimeAsync(ms);
    },
  };
  const sim = new Sds011Simulator(device, { clock: () => AT, ...simOptions });
  const driver = new Sds011(host, { now: clock.get, ...driverOptions });
  const readings: SdsDriverReading[] = [];
  const replies: SdsReply[] = [];
  driver.on('reading', (r) => readings.push(r));
  driver.on('reply', (r) => replies.push(r));
  return { host, device, sim, driver, readings, replies, clock };
}

describe('Sds011 driver ↔ simulator over duplexPair()', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('streams readings at 1 Hz by canonical name, flagged warmup for the first 15 s after power-up', async () => {
    const { sim, driver, readings, clock } = rig();
    sim.start();
    expect(driver.deviceId).toBeUndefined();
    await clock.advance(1000);
    expect(readings).toHaveLength(1);
    expect(readings[0]).toEqual({ time: new Date(clock.get()), values: VALUES, deviceId: 0xa160, flags: ['warmup'] });
    expect(driver.deviceId).toBe(0xa160);
    for (let s = 2; s <= 15; s++) await clock.advance(1000);
    expect(readings.at(-1)!.flags).toEqual([]); // 15 s after power-up
    expect(readings.filter((r) => r.flags.includes('warmup'))).toHaveLength(14);
    expect(driver.counts).toEqual({ frames: 15, replies: 0, errors: { checksum: 0, tail: 0, truncated: 0 } });
    driver.close();
    sim.stop();
  });

  it('setMode/getMode/query travel as real commands and resolve on the real answers', async () => {
    const { sim, driver, readings, clock } = rig({ awakeSince: null });
    sim.start();
    expect(await driver.getMode()).toBe('active');
    await driver.setMode('query');
    expect(sim.mode).toBe('query');
    expect(driver.mode).toBe('query');
    await clock.advance(5000);
    expect(readings).toHaveLength(0); // query mode: the sensor stays quiet
    const r = await driver.query();
    expect(r.values).toEqual(VALUES);
    expect(r.flags).toEqual([]);
    expect(sim.commandsReceived).toEqual(['get_mode', 'set_mode_query', 'query_data']);
    expect(driver.stale).toBe(false); // silence is expected in query mode
    await driver.setMode('active');
    await clock.advance(1000);
    expect(readings).toHaveLength(2);
    driver.close();
    sim.stop();
  });

  it('sleep stops the reports without going stale; wake resumes them, flagged warmup again', async () => {
    const { sim, driver, readings, replies, clock } = rig({ awakeSince: null });
    sim.start();
    await clock.advance(2000);
    await driver.sleep();
    expect(sim.asleep).toBe(true);
    expect(replies).toContainEqual({ command: 'sleep_work', set: true, working: false, deviceId: 0xa160 });
    const stale = vi.fn();
    driver.on('stale', stale);
    await clock.advance(60_000);
    expect(readings).toHaveLength(2);
    expect(stale).not.toHaveBeenCalled();

    await driver.wake();
    expect(sim.asleep).toBe(false);
    expect(sim.commandsReceived).toEqual(['sleep', 'work']);
    await clock.advance(1000);
    expect(readings.at(-1)!.flags).toEqual(['warmup']);
    await clock.advance(15_000);
    expect(readings.at(-1)!.flags).toEqual([]);
    driver.close();
    sim.stop();
  });

  it('working period, firmware version and device ID round-trip', async () => {
    const { sim, driver, readings, clock } = rig({ awakeSince: null });
    sim.start();
    await driver.setWorkingPeriod(5);
    expect(sim.workingPeriodMin).toBe(5);
    expect(await driver.getWorkingPeriod()).toBe(5);
    const stale = vi.fn();
    driver.on('stale', stale);
    await clock.advance(5 * 60_000);
    expect(readings).toHaveLength(1); // one frame per period
    expect(stale).not.toHaveBeenCalled(); // the period is silence by design
    expect(() => driver.setWorkingPeriod(31)).toThrow(/whole number of minutes 0–30/);

    expect(await driver.firmwareVersion()).toEqual({ year: 2018, month: 11, day: 16 });
    await driver.setDeviceId(0xa001);
    expect(sim.deviceId).toBe(0xa001);
    expect(driver.deviceId).toBe(0xa001);
    driver.close();
    sim.stop();
  });

  it('a driver addressed to one sensor follows it to a new ID and times out, saying so, for an absent one', async () => {
    const { sim, driver } = rig({ deviceId: 0xa160, awakeSince: null });
    sim.start();
    await driver.setDeviceId(0x0042);
    expect(await driver.firmwareVersion()).toEqual({ year: 2018, month: 11, day: 16 });
    driver.close();
    sim.stop();

    const other = rig({ deviceId: 0x1234, awakeSince: null });
    other.sim.start();
    const pending = driver.firmwareVersion().catch((e: Error) => e);
    expect(await pending).toBeInstanceOf(Error); // the first driver is closed
    const p = other.driver.firmwareVersion().catch((e: Error) => e);
    await other.clock.advance(2000);
    expect(((await p) as Error).message).toMatch(/no answer to 'firmware version' \(addressed to 1234\) within 2000 ms/);
    expect(other.sim.commandsReceived).toEqual([]); // the sensor ignored a command for another ID
    other.driver.close();
    other.sim.stop();
  });

  it('goes stale after 3 s of silence in active mode, drops the half frame, and is fresh on the next frame', async () => {
    const { device, driver, readings, clock } = rig({ awakeSince: null });
    const events: string[] = [];
    driver.on('stale', () => events.push('stale'));
    driver.on('fresh', () => events.push('fresh'));
    const frame = encodeDataFrame(VALUES, 0x0101);
    device.write(frame);
    device.write(frame.subarray(0, 6)); // the line dies mid-frame
    await clock.advance(0);
    await clock.advance(2999);
    expect(events).toEqual([]);
    expect(driver.latest()?.flags).toEqual([]);
    await clock.advance(1);
    expect(events).toEqual(['stale']);
    expect(driver.stale).toBe(true);
    expect(driver.latest()?.flags).toEqual(['stale']);
    device.write(frame); // had the half frame been kept, this would be refused
    await clock.advance(0);
    expect(events).toEqual(['stale', 'fresh']);
    expect(readings).toHaveLength(2);
    expect(driver.counts.errors).toEqual({ checksum: 0, tail: 0, truncated: 0 });
    driver.close();
  });

  it('reports refused frames as frame_error with their reason, and keeps going', async () => {
    const { device, driver, readings, clock } = rig({ awakeSince: null });
    const errors: string[] = [];
    driver.on('frame_error', (e) => errors.push(`${e.code}: ${e.reason}`));
    for (const f of FIXTURES) device.write(bytesOf(f.hex));
    await clock.advance(0);
    expect(errors).toEqual(['checksum: checksum 0x1e != sum 0x1d', 'tail: tail 0xff != 0xab']);
    expect(readings.map((r) => r.values)).toEqual(FIXTURES.filter((f) => f.expected.kind === 'reading').map((f) => (f.expected.kind === 'reading' ? f.expected.values : {})));
    driver.close();
  });

  it('wake resolves on the first data frame when no reply comes (firmware that does not answer wake)', async () => {
    const { device, driver, readings, clock } = rig();
    const woken = driver.wake();
    await clock.advance(0);
    device.write(encodeDataFrame(VALUES, 0x0101));
    await woken;
    expect(driver.asleep).toBe(false);
    expect(readings).toHaveLength(1);
    driver.close();
  });

  it('rejects commands after close, and bad options with a TypeError', async () => {
    const { driver } = rig();
    driver.close();
    await expect(driver.sleep()).rejects.toThrow(/closed/);
    const { host } = duplexPair();
    expect(() => new Sds011(host, { staleAfterMs: -1 })).toThrow(TypeError);
    expect(() => new Sds011(host, { deviceId: 0x10000 })).toThrow(/deviceId/);
  });
});
