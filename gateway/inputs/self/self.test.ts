import { afterEach, describe, expect, it, vi } from 'vitest';
import { SelfInput, healthMetrics } from './self.js';
import { selfInputOptions } from './options.js';
import type { GatewayHealth } from '../../core/health.js';
import type { Metric } from '../../core/metric.js';
import type { Sink } from '../../core/plugin.js';

const START = Date.UTC(2026, 0, 1, 0, 0, 0);

function snapshot(): GatewayHealth {
  return {
    site: 'rue-a',
    gateway: 'gw1',
    started_ms: START,
    accepted: 12345,
    rejected: { not_json: 3, schema: 7 },
    outbox_writable: true,
    outputs: [
      { output: 'influxdb', durable: true, queued: 4100, oldest_age_s: 612, written: 8000, dead_lettered: 2, dropped: 5, errors: 9, last_success_ms: START + 30_000, state: 'retrying' },
      { output: 'mqtt', durable: true, queued: 0, oldest_age_s: 0, written: 12000, dead_lettered: 0, dropped: 0, errors: 0, last_success_ms: null, state: 'ok' },
    ],
    parts: [
      { site: 'rue-a', node: 'n1', part: 'pms5003', state: 'ok', errors: 0, reopened: 0, last_reading_ms: null, stuck: true },
      { site: 'rue-a', node: 'n1', part: 'bme280', state: 'ok', errors: 0, reopened: 0, last_reading_ms: null, stuck: false },
      { site: 'rue-a', node: 'n1', part: 'ads1115', state: 'faulted', errors: 4, reopened: 1, last_reading_ms: null, stuck: false },
      { site: 'rue-a', node: 'n2', part: 'sds011', state: 'warming', errors: 0, reopened: 0, last_reading_ms: null, stuck: false },
    ],
  };
}

function sink(): Sink & { pushed: Metric[] } {
  const pushed: Metric[] = [];
  return { pushed, push: (m) => void pushed.push(m), reject: () => undefined, flush: () => true };
}

describe('healthMetrics', () => {
  it('turns a snapshot into one gateway metric per output and one for the whole', () => {
    const now = START + 120_400;
    expect(healthMetrics(snapshot(), now)).toEqual([
      {
        measurement: 'gateway',
        tags: { site: 'rue-a', gateway: 'gw1', output: 'influxdb' },
        fields: { queued: 4100, oldest_age_s: 612, written: 8000, dropped: 5, dead_lettered: 2, errors: 9, last_success_age_s: 90 },
        time: START + 120_000,
      },
      {
        measurement: 'gateway',
        tags: { site: 'rue-a', gateway: 'gw1', output: 'mqtt' },
        fields: { queued: 0, oldest_age_s: 0, written: 12000, dropped: 0, dead_lettered: 0, errors: 0 },
        time: START + 120_000,
      },
      {
        measurement: 'gateway',
        tags: { site: 'rue-a', gateway: 'gw1' },
        fields: { accepted: 12345, rejected: 10, parts_ok: 2, parts_faulted: 1, parts_stuck: 1, uptime_s: 120 },
        time: START + 120_000,
      },
    ]);
  });
});

describe('SelfInput', () => {
  afterEach(() => void vi.useRealTimers());

  it('pushes the figures every interval_s, stamped with the tick time rounded to the second, and stops', async () => {
    vi.useFakeTimers({ now: START + 500 });
    const s = sink();
    const input = new SelfInput(selfInputOptions.parse({ interval_s: 30 }), { health: snapshot, now: () => Date.now() });
    expect(input.name).toBe('self');
    await input.start(s);
    vi.advanceTimersByTime(29_999);
    expect(s.pushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(s.pushed.map((m) => [m.tags.output ?? '(whole)', m.time])).toEqual([
      ['influxdb', START + 31_000],
      ['mqtt', START + 31_000],
      ['(whole)', START + 31_000],
    ]);
    expect(s.pushed[2]?.fields.uptime_s).toBe(31);
    vi.advanceTimersByTime(30_000);
    expect(s.pushed).toHaveLength(6);
    expect(s.pushed[5]?.time).toBe(START + 61_000);
    await input.stop();
    vi.advanceTimersByTime(120_000);
    expect(s.pushed).toHaveLength(6);
  });

  it('skips a tick whose snapshot fails, logs it, and carries on', async () => {
    vi.useFakeTimers({ now: START });
    const s = sink();
    const warn = vi.fn();
    let fail = true;
    const input = new SelfInput(selfInputOptions.parse({}), {
      health: () => {
        if (fail) throw new Error('outbox closed');
        return snapshot();
      },
      log: { warn } as never,
    });
    await input.start(s);
    vi.advanceTimersByTime(60_000);
    expect(s.pushed).toEqual([]);
    expect(warn).toHaveBeenCalledWith({ err: 'outbox closed' }, 'self input: health snapshot failed, tick skipped');
    fail = false;
    vi.advanceTimersByTime(60_000);
    expect(s.pushed).toHaveLength(3);
    await input.stop();
  });

  it('never keeps the process alive: its timer is unref\'d', async () => {
    const input = new SelfInput(selfInputOptions.parse({}), { health: snapshot });
    await input.start(sink());
    const timer = (input as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    await input.stop();
    expect((input as unknown as { timer: unknown }).timer).toBeUndefined();
  });

  it('defaults to a minute and refuses unknown options', () => {
    expect(selfInputOptions.parse({})).toEqual({ interval_s: 60 });
    expect(selfInputOptions.safeParse({ interval: 60 }).success).toBe(false);
    expect(selfInputOptions.safeParse({ interval_s: 0 }).success).toBe(false);
  });
});
