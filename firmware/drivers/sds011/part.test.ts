import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { duplexPair } from '../../buses/serial.js';
import type { PartEnv, PartSample } from '../types.js';
import { encodeDataFrame, Sds011Simulator } from './simulator.js';
import { sds011Part } from './part.js';

/** A simulated station on an in-process serial line; `sim` is the simulator the part attached. */
function simulatedEnv(attachSimulator = true) {
  const state: { sim?: Sds011Simulator; device?: ReturnType<typeof duplexPair>['device'] } = {};
  const warnings: string[] = [];
  const log = pino({ level: 'silent' });
  const env: PartEnv = {
    bus: { type: 'uart', path: '/dev/ttyAMA0' },
    simulate: true,
    log: Object.assign(Object.create(log) as typeof log, { warn: (_o: unknown, msg: string) => void warnings.push(msg) }),
    async serial(_opts, attachDevice) {
      const { host, device } = duplexPair();
      device.on('error', () => undefined); // an in-process line reports its own destroy() as an AbortError
      state.device = device;
      const dev = attachSimulator ? attachDevice(device) : { stop() {} };
      if (attachSimulator) state.sim = dev as Sds011Simulator;
      return { stream: host, where: 'test line', close: async () => dev.stop() };
    },
    i2c: () => Promise.reject(new Error('no I2C here')),
    latest: () => undefined,
  };
  return { env, state, warnings };
}

describe('sds011Part', () => {
  it('active mode: wakes the sensor, keeps its settings, and streams plausible readings', async () => {
    const { env, state } = simulatedEnv();
    const handle = await sds011Part.open(sds011Part.options.parse({ sim_interval_ms: 50 }), env);
    expect(handle.read).toBeUndefined();
    expect(state.sim!.commandsReceived).toEqual(['work', 'get_mode', 'get_working_period']); // nothing to write to flash
    const s = await new Promise<PartSample>((resolve) => handle.stream!(resolve, () => undefined, () => undefined));
    for (const q of sds011Part.definition.quantities) {
      expect(s.values[q.name]).toBeGreaterThanOrEqual(q.min);
      expect(s.values[q.name]).toBeLessThanOrEqual(q.max);
    }
    expect(s.flags).toEqual(['warmup']);
    expect(s.time).toBeInstanceOf(Date);
    await handle.close();
  });

  it('query mode with a working period and a device ID: configures the sensor and is polled', async () => {
    const { env, state } = simulatedEnv();
    const options = sds011Part.options.parse({ device_id: '0A01', reporting_mode: 'query', working_period_min: 2, sim_interval_ms: 50 });
    const handle = await sds011Part.open(options, env);
    expect(handle.stream).toBeUndefined();
    const sim = state.sim!;
    expect(sim.deviceId).toBe(0x0a01);
    expect([sim.mode, sim.workingPeriodMin]).toEqual(['query', 2]);
    expect(sim.commandsReceived).toEqual(['work', 'get_mode', 'set_mode_query', 'get_working_period', 'set_working_period']);
    const s = await handle.read!();
    expect(Object.keys(s.values).sort()).toEqual(['pm10_ugm3', 'pm25_ugm3']);
    expect(sim.commandsReceived.at(-1)).toBe('query_data');
    await handle.close();
  });

  it('sleeps and wakes for the runtime\'s duty cycling, and reports its warm-up', async () => {
    const { env, state } = simulatedEnv();
    const handle = await sds011Part.open(sds011Part.options.parse({ warmup_s: 20, sim_interval_ms: 50 }), env);
    expect(handle.warmupS).toBe(20);
    await handle.sleep!();
    expect(state.sim!.asleep).toBe(true);
    await handle.wake!();
    expect(state.sim!.asleep).toBe(false);
    expect(state.sim!.commandsReceived.slice(-2)).toEqual(['sleep', 'work']);
    await handle.close();
  });

  it('leaves duty cycling to the sensor when it has a working period', async () => {
    const { env } = simulatedEnv();
    const handle = await sds011Part.open(sds011Part.options.parse({ working_period_min: 3 }), env);
    expect(handle.sleep).toBeUndefined();
    expect(handle.wake).toBeUndefined();
    expect(handle.stream).toBeTypeOf('function');
    await handle.close();
  });

  it('tells the runtime when the serial line is gone', async () => {
    const { env } = simulatedEnv();
    let host: import('node:stream').Duplex | undefined;
    const handle = await sds011Part.open(sds011Part.options.parse({ sim_interval_ms: 50 }), {
      ...env,
      serial: async (opts, attach) => {
        const link = await env.serial(opts, attach);
        host = link.stream;
        return link;
      },
    });
    const lost = new Promise<string>((resolve) => handle.stream!(() => undefined, () => undefined, resolve));
    host!.destroy(); // what a pulled USB adapter does to the port stream
    expect(await lost).toMatch(/^serial line test line (closed \(cable unplugged\?\)|failed: )/);
    await handle.close();
  });

  describe('a sensor that does not hear commands', () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
    afterEach(() => vi.useRealTimers());

    it('active mode opens anyway with a warning and streams what the sensor sends', async () => {
      const { env, state, warnings } = simulatedEnv(false);
      const opening = sds011Part.open(sds011Part.options.parse({}), env);
      await vi.advanceTimersByTimeAsync(2000);
      const handle = await opening;
      expect(warnings).toEqual(['SDS011 on test line did not confirm its settings; streaming what it sends']);
      const got: PartSample[] = [];
      handle.stream!((s) => got.push(s), () => undefined, () => undefined);
      state.device!.write(encodeDataFrame({ pm25_ugm3: 4.4, pm10_ugm3: 5.5 }, 0x7e23));
      await vi.advanceTimersByTimeAsync(0);
      expect(got.map((s) => s.values)).toEqual([{ pm25_ugm3: 4.4, pm10_ugm3: 5.5 }]);
      await handle.close();
    });

    it('query mode refuses to open, saying why', async () => {
      const { env } = simulatedEnv(false);
      const opening = sds011Part.open(sds011Part.options.parse({ reporting_mode: 'query' }), env).catch((e: Error) => e);
      await vi.advanceTimersByTimeAsync(2000);
      expect(((await opening) as Error).message).toMatch(/^SDS011 on test line does not answer commands: SDS011: no answer to 'wake'/);
    });
  });
});
