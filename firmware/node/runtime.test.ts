import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { pino, type Logger } from 'pino';
import { silentLogger } from '../../gateway/core/log.js';
import { FakeI2cBus, I2cError } from '../buses/i2c.js';
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

/** A logger whose warnings and errors the test reads back. */
function capturingLogger() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const log = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

function runtime(mod: PartModule<object>, part: Partial<NodePartConfig> = {}, extra: { i2c?: FakeI2cBus; log?: Logger } = {}) {
  const readings: Reading[] = [];
  let statuses: Record<string, PartStatus> = {};
  const rt = new NodeRuntime(
    { site: 'rue', id: 'n1', clock: 'ntp', parts: [{ part: 'fake', bus: { type: 'uart', path: '/dev/null' }, where: '/dev/null', every_s: 10, average_s: 0, duty_cycle: true, options: {}, ...part }] },
    {
      log: extra.log ?? silentLogger,
      modules: new Map([['fake', mod]]),
      env: {
        simulate: true,
        log: silentLogger,
        serialFor: async () => { throw new Error('unused'); },
        i2cFor: async () => { if (!extra.i2c) throw new Error('unused'); return extra.i2c; },
      },
      emit: (r) => readings.push(r),
      onStatus: (s) => (statuses = s),
      // Both clocks are vitest's fake ones: timers advance both; vi.setSystemTime steps only the wall clock, as NTP
      // would. random 0.5 takes the jitter out of the backoff.
      now: () => Date.now(),
      monotonic: () => performance.now(),
      random: () => 0.5,
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

  it('retries a part that cannot be opened, 1 s then 2 s apart, and says when the next attempt is', async () => {
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
    expect(status()).toMatchObject({ state: 'faulted', last_error: 'cannot open: no device answered at I2C address 0x76', next_attempt: '2026-11-25T08:00:01.000Z' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(tries).toBe(2);
    expect(status().next_attempt).toBe('2026-11-25T08:00:03.000Z');
    await vi.advanceTimersByTimeAsync(2000);
    expect(tries).toBe(3);
    await rt.stop();
  });
});

describe('node runtime: faults at the edge', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());
  const at = (s: number) => new Date(T0 + s * 1000).toISOString();

  it('reopens a lost link 1, 2, 4, 8, 16 s apart while it fails, recovers on the 6th try, then starts over at 1 s', async () => {
    const part = fakeStreamingPart();
    let failing = 0;
    const mod: PartModule<object> = {
      ...part.mod,
      async open(o, env) {
        if (failing > 0) {
          failing--;
          throw new Error('ENOENT: /dev/ttyUSB0 is gone');
        }
        return part.mod.open(o, env);
      },
    };
    const { rt, readings, status } = runtime(mod);
    await rt.start();
    part.frame(10);
    await vi.advanceTimersByTimeAsync(2000);
    failing = 5;
    part.lose('serial line /dev/ttyUSB0 closed (cable unplugged?)');
    await vi.advanceTimersByTimeAsync(0);
    // [seconds after the loss, when the next attempt is scheduled for] while the five reopens fail
    const seen: [number, string | undefined][] = [[0, status().next_attempt]];
    for (const wait of [1, 2, 4, 8, 16]) {
      await vi.advanceTimersByTimeAsync(wait * 1000);
      seen.push([(Date.now() - T0) / 1000 - 2, status().next_attempt]);
      expect(status().state).toBe('faulted');
    }
    expect(seen).toEqual([
      [0, at(3)],
      [1, at(5)],
      [3, at(9)],
      [7, at(17)],
      [15, at(33)],
      [31, at(65)],
    ]);
    expect(status().last_error).toBe('cannot open: ENOENT: /dev/ttyUSB0 is gone');
    await vi.advanceTimersByTimeAsync(31_999);
    expect(part.opens()).toBe(1);
    await vi.advanceTimersByTimeAsync(1); // the 6th attempt, 63 s after the loss, opens
    expect(part.opens()).toBe(2);
    expect(status()).toMatchObject({ state: 'warming', reopened: 1 });
    expect(status().next_attempt).toBeUndefined();
    part.frame(11);
    expect(status()).toMatchObject({ state: 'ok', last_gap_s: 65 }); // since the last reading, 2 s before the loss
    // readings flowed again: the next loss starts the backoff from 1 s
    part.lose('serial line /dev/ttyUSB0 closed (cable unplugged?)');
    await vi.advanceTimersByTimeAsync(0);
    expect(status().next_attempt).toBe(at(66));
    await vi.advanceTimersByTimeAsync(1000);
    expect(part.opens()).toBe(3);
    expect(readings.map((r) => r.values.pm25_ugm3)).toEqual([10, 11]);
    await rt.stop();
  });

  /** A register a test can make fail: `failNext` reads throw EIO, as a glitch on a long I2C cable does. */
  class FlakyRegister {
    value = 7;
    failNext = 0;
    onWrite(): void {}
    onRead(): Uint8Array {
      if (this.failNext > 0) {
        this.failNext--;
        throw new I2cError('EIO: remote I/O error on I2C address 0x40', 0x40);
      }
      return Uint8Array.of(this.value >> 8, this.value & 0xff);
    }
  }

  /** A polled part on the node's I2C bus: open() probes address 0x40, read() reads its 16-bit register. */
  function i2cPart() {
    let opens = 0;
    const mod: PartModule<object> = {
      ...fakeStreamingPart().mod,
      async open(_options, env) {
        opens++;
        const bus = await env.i2c();
        await bus.read(0x40, 2); // a part that does not answer is not opened
        return {
          async read() {
            const b = await bus.readRegister(0x40, 0x00, 2);
            return { values: { pm25_ugm3: (b[0]! << 8) | b[1]! } };
          },
          async close() {},
        };
      },
    };
    return { mod, opens: () => opens };
  }

  it('retries a polled read that fails with EIO before the poll counts as failed', async () => {
    const bus = new FakeI2cBus();
    const reg = new FlakyRegister();
    bus.attach(0x40, reg);
    const part = i2cPart();
    const { rt, readings, status } = runtime(part.mod, { bus: { type: 'i2c', bus: 1 }, where: 'i2c-1', every_s: 10 }, { i2c: bus });
    await rt.start();
    await vi.advanceTimersByTimeAsync(0);
    reg.failNext = 2; // the next poll's first two reads fail, its third succeeds
    reg.value = 8;
    await vi.advanceTimersByTimeAsync(10_100);
    expect(readings.map((r) => [r.time, r.values.pm25_ugm3])).toEqual([
      [at(0), 7],
      [at(10.1), 8], // two retries 50 ms apart
    ]);
    expect(status()).toMatchObject({ state: 'ok', errors: 0, failed_polls: 0, reopened: 0 });
    await rt.stop();
  });

  it('faults a part after three failed polls (NACK), reopens it with backoff and recovers when it answers', async () => {
    const bus = new FakeI2cBus();
    const reg = new FlakyRegister();
    bus.attach(0x40, reg);
    const part = i2cPart();
    const { rt, readings, status } = runtime(part.mod, { bus: { type: 'i2c', bus: 1 }, where: 'i2c-1', every_s: 10 }, { i2c: bus });
    await rt.start();
    await vi.advanceTimersByTimeAsync(0);
    bus.detach(0x40); // unplugged: every transfer is NACKed
    await vi.advanceTimersByTimeAsync(10_100); // poll 1: three reads fail
    expect(status()).toMatchObject({ state: 'ok', failed_polls: 1, errors: 1, last_error: 'no device answered at I2C address 0x40 (check wiring and address)' });
    await vi.advanceTimersByTimeAsync(10_100); // poll 2
    expect(status()).toMatchObject({ state: 'ok', failed_polls: 2 });
    await vi.advanceTimersByTimeAsync(10_100); // poll 3 → faulted, closed, reopened in 1 s
    expect(status()).toMatchObject({
      state: 'faulted',
      reopened: 1,
      failed_polls: 3,
      next_attempt: at(31.3),
      last_error: '3 polls in a row failed (each read tried 3 times): no device answered at I2C address 0x40 (check wiring and address)',
    });
    await vi.advanceTimersByTimeAsync(1000); // reopen fails: the probe is NACKed too → 2 s
    expect(part.opens()).toBe(2);
    expect(status()).toMatchObject({ state: 'faulted', next_attempt: at(33.3), last_error: 'cannot open: no device answered at I2C address 0x40 (check wiring and address)' });
    await vi.advanceTimersByTimeAsync(2000); // fails again → 4 s
    expect(status().next_attempt).toBe(at(37.3));
    bus.attach(0x40, reg);
    reg.value = 9;
    await vi.advanceTimersByTimeAsync(4000);
    expect(part.opens()).toBe(4);
    expect(readings.map((r) => [r.time, r.values.pm25_ugm3])).toEqual([
      [at(0), 7],
      [at(37.3), 9],
    ]);
    expect(status()).toMatchObject({ state: 'ok', failed_polls: 0, reopened: 1 });
    expect(status().next_attempt).toBeUndefined();
    await rt.stop();
  });

  it('flags readings stuck once every value has stayed the same longer than stuck_after_s, until one changes', async () => {
    const part = fakeStreamingPart();
    const { rt, readings, status } = runtime(part.mod, { stuck_after_s: 60 });
    await rt.start();
    for (const v of [5, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6]) {
      part.frame(v); // every 10 s: the run of 5 starts at 0 s, is 60 s old at 60 s and longer at 70 s
      await vi.advanceTimersByTimeAsync(10_000);
      if (readings.length === 8) expect(status().stuck).toBe(true);
    }
    expect(readings.map((r) => [r.values.pm25_ugm3, r.flags ?? []])).toEqual([
      [5, []], [5, []], [5, []], [5, []], [5, []], [5, []], [5, []],
      [5, ['stuck']], [5, ['stuck']],
      [6, []], [6, []],
    ]);
    expect(status().stuck).toBe(false);
    await rt.stop();
  });

  it('keeps timestamps strictly increasing through NTP steps, flags them and warns once per step', async () => {
    const part = fakeStreamingPart();
    const { log, warnings } = capturingLogger();
    const { rt, readings } = runtime(part.mod, {}, { log });
    await rt.start();
    const step = (ms: number) => vi.setSystemTime(Date.now() + ms); // the wall clock only, as NTP steps it
    part.frame(1);
    await vi.advanceTimersByTimeAsync(1000);
    part.frame(2);
    part.frame(3); // same millisecond: moved by 1 ms, not flagged
    step(-3_600_000);
    for (const v of [4, 5]) {
      await vi.advanceTimersByTimeAsync(1000);
      part.frame(v);
    }
    step(3_600_000 + 60_000); // back to the right time (and then some): a forward step
    await vi.advanceTimersByTimeAsync(1000);
    part.frame(6);
    await vi.advanceTimersByTimeAsync(1000);
    part.frame(7);
    expect(readings.map((r) => [r.values.pm25_ugm3, r.time, r.flags ?? []])).toEqual([
      [1, at(0), []],
      [2, at(1), []],
      [3, at(1.001), []],
      [4, at(1.002), ['clock_step']],
      [5, at(1.003), ['clock_step']],
      [6, at(64), ['clock_step']],
      [7, at(65), []],
    ]);
    expect(warnings()).toEqual([
      'system clock stepped back by 3600.000 s (NTP?): readings keep strictly increasing times and are flagged clock_step',
      'system clock stepped forward by 3660.000 s (NTP?): readings keep strictly increasing times and are flagged clock_step',
    ]);
    await rt.stop();
  });

  it('warns once about a step back too small to see by the clocks, and holds the times', async () => {
    const part = fakeStreamingPart();
    const { log, warnings } = capturingLogger();
    const { rt, readings } = runtime(part.mod, {}, { log });
    await rt.start();
    await vi.advanceTimersByTimeAsync(1000);
    part.frame(1);
    vi.setSystemTime(Date.now() - 500);
    part.frame(2);
    await vi.advanceTimersByTimeAsync(100);
    part.frame(3);
    await vi.advanceTimersByTimeAsync(1000);
    part.frame(4);
    expect(readings.map((r) => [r.time, r.flags ?? []])).toEqual([
      [at(1), []],
      [at(1.001), ['clock_step']],
      [at(1.002), ['clock_step']],
      [at(1.6), []],
    ]);
    expect(warnings()).toEqual(['system clock went back 500 ms: fake readings keep the last time + 1 ms until it catches up (flagged clock_step)']);
    await rt.stop();
  });
});
