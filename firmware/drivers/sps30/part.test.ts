import type { Duplex } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { duplexPair } from '../../buses/serial.js';
import type { BusConfig, PartEnv, PartHandle } from '../types.js';
import { ensureMeasuring, sps30Part } from './part.js';
import { Sps30I2cSimulator } from './simulator-i2c.js';
import { Sps30UartSimulator } from './simulator-uart.js';

const handles: PartHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
});

/** A simulated station env: an in-process serial line for UART, one FakeI2cBus for I2C. */
function env(bus: BusConfig, i2c = new FakeI2cBus()) {
  const sims: Array<{ stop(): void }> = [];
  const e: PartEnv = {
    bus,
    simulate: true,
    log: pino({ level: 'silent' }),
    async serial(baudRate, attachDevice: (deviceEnd: Duplex) => { stop(): void }) {
      expect(baudRate).toBe(115_200);
      const { host, device } = duplexPair();
      const sim = attachDevice(device);
      sims.push(sim);
      return { stream: host, where: 'test line', close: async () => sim.stop() };
    },
    i2c: async () => i2c,
    latest: () => undefined,
  };
  return { env: e, sims, i2c };
}

const opts = (o: Record<string, unknown> = {}) => sps30Part.options.parse({ sim_interval_ms: 0, ...o });

async function open(o: Record<string, unknown>, e: PartEnv) {
  const h = await sps30Part.open(opts(o), e);
  handles.push(h);
  return h;
}

function inRange(values: Record<string, number>) {
  for (const q of sps30Part.definition.quantities) {
    expect(values[q.name], q.name).toBeGreaterThanOrEqual(q.min);
    expect(values[q.name], q.name).toBeLessThanOrEqual(q.max);
  }
}

describe('sps30Part on UART', () => {
  it('opens on a simulated station, starts measuring and reads all ten quantities, flagged warmup at first', async () => {
    const { env: e, sims } = env({ type: 'uart', path: '/dev/ttyAMA0' });
    const h = await open({}, e);
    const sim = sims[0] as Sps30UartSimulator;
    expect(sim.mode).toBe('measuring');
    const s = await h.read!();
    inRange(s.values);
    expect(Object.keys(s.values)).toHaveLength(10);
    expect(s.flags).toEqual(['warmup']);
    await h.close();
    handles.length = 0;
    expect(sim.received.at(-1)).toBe('stop measurement');
  });

  it('has no warmup flag when warm-up is configured off, and writes the auto-clean interval', async () => {
    const { env: e, sims } = env({ type: 'uart', path: '/dev/ttyAMA0' });
    const h = await open({ warmup_s: 0, warmup_low_count_s: 0, auto_clean_interval_s: 86_400 }, e);
    const s = await h.read!();
    expect(s.flags).toBeUndefined();
    expect((sims[0] as Sps30UartSimulator).model.autoCleanIntervalS).toBe(86_400);
  });
});

describe('sps30Part duty cycling', () => {
  it.each(['uart', 'i2c'] as const)('on %s: sleep stops and sleeps the sensor, wake restarts the measurement', async (kind) => {
    const i2c = new FakeI2cBus();
    const i2cSim = new Sps30I2cSimulator({ intervalMs: 0 });
    i2c.attach(0x69, i2cSim);
    const { env: e, sims } = env(kind === 'uart' ? { type: 'uart', path: '/dev/ttyAMA0' } : { type: 'i2c', bus: 1 }, i2c);
    // UART: the part attaches its own simulator to the line; I2C: ours is already on the bus (simulate off).
    const h = await open({ warmup_s: 0, warmup_low_count_s: 0 }, kind === 'uart' ? e : { ...e, simulate: false });
    const mode = () => (kind === 'uart' ? (sims[0] as Sps30UartSimulator).mode : i2cSim.mode);
    expect(h.warmupS).toBe(0);
    await h.sleep!();
    expect(mode()).toBe('sleep');
    await h.wake!();
    expect(mode()).toBe('measuring');
    expect((await h.read!()).values.pm25_ugm3).toBeGreaterThan(0);
  });
});

describe('sps30Part on I2C', () => {
  it('attaches its simulator at 0x69, reads after data-ready, detaches on close', async () => {
    const { env: e, i2c } = env({ type: 'i2c', bus: 1 });
    const h = await open({}, e);
    const s = await h.read!();
    inRange(s.values);
    expect(s.flags).toEqual(['warmup']);
    await h.close();
    handles.length = 0;
    await expect(i2c.read(0x69, 3)).rejects.toThrow(/no device answered at I2C address 0x69/);
  });

  it('a read with no new measurement within ready_timeout_ms fails as stale, saying where', async () => {
    const { env: e } = env({ type: 'i2c', bus: 1 });
    const h = await open({ sim_interval_ms: 60_000, ready_timeout_ms: 100 }, e);
    await expect(h.read!()).rejects.toThrow(/^no new SPS30 measurement within 100 ms at i2c-1 0x69 \(stale\)/);
  });

  it('a sensor left measuring by an earlier run is stopped and started again', async () => {
    const i2c = new FakeI2cBus();
    const sim = new Sps30I2cSimulator({ intervalMs: 0 });
    sim.model.startMeasuring();
    i2c.attach(0x69, sim);
    const { env: e } = env({ type: 'i2c', bus: 1 }, i2c);
    const h = await sps30Part.open(opts(), { ...e, simulate: false });
    handles.push(h);
    // `received` lists acknowledged commands: the first start was refused (not acknowledged).
    expect(sim.received).toEqual(['stop measurement', 'start measurement']);
    expect((await h.read!()).values.pm25_ugm3).toBeGreaterThan(0);
  });

  it('a sensor left asleep is woken and started', async () => {
    const i2c = new FakeI2cBus();
    const sim = new Sps30I2cSimulator({ intervalMs: 0 });
    sim.model.sleep();
    i2c.attach(0x69, sim);
    const { env: e } = env({ type: 'i2c', bus: 1 }, i2c);
    handles.push(await sps30Part.open(opts(), { ...e, simulate: false }));
    expect(sim.mode).toBe('measuring');
    expect(sim.received.slice(-2)).toEqual(['wake-up', 'start measurement']);
  });

  it('no sensor at all: open fails saying where', async () => {
    const { env: e } = env({ type: 'i2c', bus: 3 });
    await expect(sps30Part.open(opts(), { ...e, simulate: false })).rejects.toThrow(
      /^SPS30 would not start measuring \(tried start; stop \+ start; wake \+ start\): no device answered at I2C address 0x69.* \(at i2c-3 0x69\)$/,
    );
  });
});

describe('ensureMeasuring', () => {
  it('tries start, then stop + start, then wake + start', async () => {
    const calls: string[] = [];
    let starts = 0;
    await ensureMeasuring({
      start: async () => {
        calls.push('start');
        if (++starts < 3) throw new Error(`no ${starts}`);
      },
      stop: async () => void calls.push('stop'),
      wake: async () => void calls.push('wake'),
    });
    expect(calls).toEqual(['start', 'stop', 'start', 'wake', 'start']);
  });
});

describe('options', () => {
  it('defaults', () => {
    expect(sps30Part.options.parse({})).toEqual({
      warmup_s: 16,
      warmup_low_count_s: 30,
      command_timeout_ms: 1000,
      ready_timeout_ms: 3000,
      sim_interval_ms: 1000,
    });
  });

  it('refuses unknown keys and inconsistent warm-up times', () => {
    expect(sps30Part.options.safeParse({ warmup: 3 }).success).toBe(false);
    const r = sps30Part.options.safeParse({ warmup_s: 40 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['warmup_low_count_s'], message: 'warmup_low_count_s must be at least warmup_s' });
    expect(sps30Part.options.safeParse({ auto_clean_interval_s: 2 ** 32 }).success).toBe(false);
  });
});
