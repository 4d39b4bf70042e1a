import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../gateway/core/log.js';
import type { Reading } from '../contract.js';
import type { PartHandle, PartModule, PartSample } from '../drivers/types.js';
import { NodeRuntime, type NodePartConfig, type PartStatus } from './runtime.js';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');

/** A streaming part whose frames the test pushes by hand. */
function fakeStreamingPart(opts: { warmupS?: number; sleepable?: boolean } = {}) {
  const calls: string[] = [];
  let push: ((s: PartSample) => void) | undefined;
  let lose: ((reason: string) => void) | undefined;
  let opens = 0;
  const mod: PartModule<object> = {
    definition: { id: 'fake', maker: 'test', model: 'fake', bus: 'uart', quantities: [{ name: 'pm25_ugm3', unit: 'µg/m³', min: 0, max: 1000, precision: 0 }], warmupS: opts.warmupS ?? 0, source: 'test' },
    options: z.object({}),
    async open() {
      opens++;
      const handle: PartHandle = {
        warmupS: opts.warmupS ?? 0,
        stream(onSample, _onError, onLost) {
          push = onSample;
          lose = onLost;
        },
        async close() {
          calls.push('close');
        },
      };
      if (opts.sleepable) {
        handle.sleep = async () => void calls.push(`sleep@${(Date.now() - T0) / 1000}`);
        handle.wake = async () => void calls.push(`wake@${(Date.now() - T0) / 1000}`);
      }
      return handle;
    },
  };
  return {
    mod,
    calls,
    frame: (pm25: number, flags?: string[]) => push!({ values: { pm25_ugm3: pm25 }, time: new Date(Date.now()), ...(flags ? { flags } : {}) }),
    lose: (reason: string) => lose!(reason),
    opens: () => opens,
  };
}

function runtime(mod: PartModule<object>, part: Partial<NodePartConfig> = {}) {
  const readings: Reading[] = [];
  let statuses: Record<string, PartStatus> = {};
  const rt = new NodeRuntime(
    { site: 'rue', id: 'n1', clock: 'ntp', parts: [{ part: 'fake', bus: { type: 'uart', path: '/dev/null' }, where: '/dev/null', every_s: 10, average_s: 0, duty_cycle: true, options: {}, ...part }] },
    {
      log: silentLogger,
      modules: new Map([['fake', mod]]),
      env: { simulate: true, log: silentLogger, serialFor: async () => { throw new Error('unused'); }, i2cFor: async () => { throw new Error('unused'); } },
      emit: (r) => readings.push(r),
      onStatus: (s) => (statuses = s),
    },
  );
  return { rt, readings, status: () => statuses.fake! };
}

describe('node runtime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('discards warm-up frames, then hands on every frame stamped with its own time', async () => {
    const part = fakeStreamingPart();
    const { rt, readings, status } = runtime(part.mod);
    await rt.start();
    part.frame(99, ['warmup']);
    expect(status()).toMatchObject({ state: 'warming', warmup_discarded: 1 });
    vi.advanceTimersByTime(1500);
    part.frame(12);
    expect(readings).toEqual([{ v: 1, site: 'rue', node: 'n1', part: 'fake', time: '2026-11-25T08:00:01.500Z', clock: 'ntp', values: { pm25_ugm3: 12 } }]);
    expect(status()).toMatchObject({ state: 'ok', last_reading: '2026-11-25T08:00:01.500Z' });
    await rt.stop();
  });

  it('averages the frames of the window before each sample time, trimming one min and one max', async () => {
    const part = fakeStreamingPart();
    const { rt, readings } = runtime(part.mod, { every_s: 10, average_s: 5, duty_cycle: false });
    await rt.start();
    for (const [afterMs, v] of [[4000, 500], [2000, 10], [1000, 11], [1000, 12], [1000, 13], [500, 0]] as const) {
      await vi.advanceTimersByTimeAsync(afterMs); // frames at 4, 6, 7, 8, 9 and 9.5 s
      part.frame(v);
    }
    await vi.advanceTimersByTimeAsync(500); // to T0 + 10 s, the sample time
    // (5, 10] holds 10, 11, 12, 13, 0 → without min 0 and max 13: 11. The frame at 4 s is outside the window.
    expect(readings.map((r) => [r.time, r.values.pm25_ugm3])).toEqual([['2026-11-25T08:00:10.000Z', 11]]);
    await rt.stop();
  });

  it('sleeps a part between samples and wakes it in time for warm-up and the window', async () => {
    const part = fakeStreamingPart({ warmupS: 30, sleepable: true });
    const { rt, status } = runtime(part.mod, { every_s: 120, average_s: 10 });
    await rt.start();
    await vi.advanceTimersByTimeAsync(120_000); // first sample time: T0 + 120 s
    expect(part.calls).toEqual(['sleep@120']);
    expect(status().state).toBe('sleeping');
    await vi.advanceTimersByTimeAsync(120_000);
    // Woken 10 s (window) + 30 s (warm-up) + 2 s (margin) before the next sample at 240 s.
    expect(part.calls).toEqual(['sleep@120', 'wake@198', 'sleep@240']);
    await rt.stop();
  });

  it('does not duty-cycle when the interval leaves no time to warm up', async () => {
    const part = fakeStreamingPart({ warmupS: 30, sleepable: true });
    const { rt } = runtime(part.mod, { every_s: 30, average_s: 10 });
    await rt.start();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(part.calls).toEqual([]);
    await rt.stop();
  });

  it('reopens a part whose link was lost, resumes readings and reports the gap', async () => {
    const part = fakeStreamingPart();
    const { rt, readings, status } = runtime(part.mod);
    await rt.start();
    part.frame(10);
    await vi.advanceTimersByTimeAsync(2000);
    part.lose('serial line /dev/ttyUSB0 closed (cable unplugged?)');
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toMatchObject({ state: 'faulted', last_error: 'serial line /dev/ttyUSB0 closed (cable unplugged?)', reopened: 1 });
    expect(part.calls).toEqual(['close']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(part.opens()).toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    part.frame(11);
    expect(readings.map((r) => r.values.pm25_ugm3)).toEqual([10, 11]);
    expect(status()).toMatchObject({ state: 'ok', last_gap_s: 8, reopened: 1 });
    await rt.stop();
  });

  it('reopens a polled part after three failed reads in a row', async () => {
    let opens = 0;
    let reads = 0;
    const flaky: PartModule<object> = {
      ...fakeStreamingPart().mod,
      async open() {
        opens++;
        const generation = opens;
        return {
          async read() {
            reads++;
            if (generation === 1 && reads > 1) throw new Error('ENXIO: the I2C adapter went away');
            return { values: { pm25_ugm3: generation } };
          },
          async close() {},
        };
      },
    };
    const { rt, readings, status } = runtime(flaky, { every_s: 1 });
    await rt.start();
    await vi.advanceTimersByTimeAsync(3000); // reads 2, 3 and 4 fail
    expect(status()).toMatchObject({ state: 'faulted', reopened: 1, last_error: '3 reads in a row failed: ENXIO: the I2C adapter went away' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(opens).toBe(2);
    expect(readings.map((r) => r.values.pm25_ugm3)).toEqual([1, 2]);
    await rt.stop();
  });

  it('retries a part that cannot be opened, with backoff, without stopping the others', async () => {
    let tries = 0;
    const broken: PartModule<object> = {
      ...fakeStreamingPart().mod,
      async open() {
        tries++;
        throw new Error('no device answered at I2C address 0x76');
      },
    };
    const { rt, status } = runtime(broken);
    await rt.start();
    expect(status()).toMatchObject({ state: 'faulted', last_error: 'cannot open: no device answered at I2C address 0x76' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(tries).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tries).toBe(3);
    await rt.stop();
  });
});
