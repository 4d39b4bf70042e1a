// "Done when" of issue #6: a 6-hour backlog replayed into a running gateway gives the same 1-min, 15-min, 1-h and
// index values as an uninterrupted run. Both runs go through the real Pipeline (processors none, the windows
// aggregator, an output that keeps the last value written per series and time — what InfluxDB keeps).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Pipeline } from '../../core/pipeline.js';
import { QC } from '../../core/qc.js';
import type { Metric } from '../../core/metric.js';
import type { Output } from '../../core/plugin.js';
import { WindowsAggregator } from './windows.js';
import { windowsOptions } from './options.js';

// 20:00 UTC: the data crosses the Europe/Paris midnight (23:00 UTC), so two ATMO days are involved.
const T0 = Date.parse('2026-11-25T20:00:00.000Z');
const S = 1000;
const H = 3600 * S;
const LIVE_END = T0 + H;
const END = T0 + 7 * H;

/** Readings every 10 s from a PM part and an NO2 part, 1-min traffic counts; deterministic, with a silent gap. */
function dataAt(t: number): Metric[] {
  const i = (t - T0) / (10 * S);
  // 20 minutes without any reading in the fifth hour: that hour is under 75 % complete.
  if (t >= T0 + 4 * H + 10 * 60 * S && t < T0 + 4 * H + 30 * 60 * S) return [];
  const pm25 = 8 + 6 * Math.sin(i / 90) + (i % 7) * 0.7 + (t >= T0 + 5 * H ? 25 : 0);
  const out: Metric[] = [
    {
      measurement: 'air',
      tags: { site: 'rue', node: 'n1', part: 'pms5003' },
      fields: { pm25_ugm3: pm25, pm10_ugm3: pm25 * 1.6, pm25_corrected_ugm3: pm25 * 0.52 + 1.1, qc: i % 97 === 0 ? QC.spike : 0 },
      time: t,
    },
    {
      measurement: 'air',
      tags: { site: 'rue', node: 'n1', part: 'no2-b43f' },
      fields: { no2_ppb: 18 + 12 * Math.sin(i / 140) + (i % 5), temperature_c: 9 + (i % 11) / 10, qc: 0 },
      time: t,
    },
  ];
  // The count for the minute just ended arrives at its end.
  if (i > 0 && i % 6 === 0) {
    const m = i / 6;
    out.push({
      measurement: 'traffic',
      tags: { site: 'rue', detector: 'd1', lane: '1', direction: 'n' },
      fields: { vehicles: 10 + (m % 13), heavy_vehicles: m % 3, interval_s: 60 },
      time: t - 60 * S,
    });
  }
  return out;
}

/** Keeps the last value per (measurement, tags, time), as InfluxDB does with a point written again. */
class LastValue implements Output {
  readonly name = 'last';
  readonly points = new Map<string, Record<string, number>>();
  writes = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async write(batch: Metric[]): Promise<void> {
    for (const m of batch) {
      if (m.measurement !== 'air_traffic' && m.measurement !== 'aqi') continue;
      this.writes++;
      const tags = Object.entries(m.tags).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
      this.points.set(`${m.measurement},${tags} ${new Date(m.time).toISOString()}`, m.fields);
    }
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function gateway() {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-backlog-'));
  dirs.push(dir);
  const clock = { t: T0 };
  const out = new LastValue();
  const windows = new WindowsAggregator(windowsOptions.parse({ grace_s: 10, site_type: 'kerbside' }), { file: join(dir, 'windows.sqlite'), now: () => clock.t });
  const pipeline = new Pipeline({
    log: pino({ level: 'silent' }),
    outboxFile: join(dir, 'outbox.sqlite'),
    aggregators: [windows],
    outputs: [{ output: out, durable: false, batchSize: 1000, flushIntervalMs: 1000 }],
    now: () => clock.t,
  });
  const tick = (t: number) => {
    clock.t = t;
    pipeline.tickAggregators(t);
    pipeline.flush();
  };
  const close = async () => {
    await pipeline.stop();
    windows.close();
  };
  return { clock, out, windows, pipeline, tick, close };
}

/** A deterministic shuffle (mulberry32), so the backlog arrives out of order the same way every run. */
function shuffled<T>(xs: T[], seed: number): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('a 6-hour backlog replayed into a running gateway', () => {
  it('gives the 1-min, 15-min, 1-h and index values of an uninterrupted run', async () => {
    // Run A: uninterrupted, data arriving as it is measured, the clock ticking every 10 s.
    const a = gateway();
    for (let t = T0; t < END; t += 10 * S) {
      a.clock.t = t;
      for (const m of dataAt(t)) a.pipeline.push(m);
      a.tick(t);
    }
    for (let t = END; t <= END + 2 * H; t += 60 * S) {
      a.clock.t = t;
      if (t === END) for (const m of dataAt(t).filter((x) => x.measurement === 'traffic')) a.pipeline.push(m);
      a.tick(t);
    }

    // Run B: the first hour live, then 6 hours of silence while the gateway keeps ticking, then the backlog.
    const b = gateway();
    for (let t = T0; t < LIVE_END; t += 10 * S) {
      b.clock.t = t;
      for (const m of dataAt(t)) b.pipeline.push(m);
      b.tick(t);
    }
    for (let t = LIVE_END; t < END; t += 60 * S) b.tick(t);
    const backlog: Metric[] = [];
    for (let t = LIVE_END; t <= END; t += 10 * S) {
      backlog.push(...dataAt(t).filter((m) => t < END || m.measurement === 'traffic'));
    }
    // Some redelivered twice (MQTT QoS 1 after a reconnect), all out of order.
    const withDuplicates = [...backlog, ...backlog.filter((_, i) => i % 17 === 0)];
    b.clock.t = END;
    const before = b.out.writes;
    const emittedBefore = new Map(b.out.points);
    for (const m of shuffled(withDuplicates, 6)) b.pipeline.push(m);
    b.out.points.clear();
    b.tick(END);
    // One tick: each affected window emitted once, however many readings landed in it.
    const hourly = [...b.out.points.keys()].filter((k) => k.startsWith('air_traffic,site=rue,window=1h'));
    expect(hourly).toHaveLength(6); // hours 1–6, each once
    expect(b.out.writes - before).toBe(b.out.points.size);
    for (const [k, v] of emittedBefore) if (!b.out.points.has(k)) b.out.points.set(k, v);
    for (let t = END + 60 * S; t <= END + 2 * H; t += 60 * S) b.tick(t);

    const pick = (out: LastValue, prefix: string) => new Map([...out.points].filter(([k]) => k.startsWith(prefix)));
    for (const prefix of ['air_traffic,site=rue,window=1m', 'air_traffic,site=rue,window=15m', 'air_traffic,site=rue,window=1h', 'aqi,scheme=atmo', 'aqi,scheme=eaqi', 'aqi,scheme=us-epa']) {
      expect(pick(b.out, prefix), prefix).toEqual(pick(a.out, prefix));
    }
    // The comparison covers what it should: every window and index of the 7 hours.
    expect(pick(a.out, 'air_traffic,site=rue,window=1m').size).toBe(7 * 60 - 20 + 1); // the gap's last minute has its count
    expect(pick(a.out, 'air_traffic,site=rue,window=15m').size).toBe(7 * 4);
    expect(pick(a.out, 'air_traffic,site=rue,window=1h').size).toBe(7);
    expect([...pick(a.out, 'aqi,scheme=atmo').keys()]).toEqual([
      'aqi,scheme=atmo,site=rue 2026-11-24T23:00:00.000Z',
      'aqi,scheme=atmo,site=rue 2026-11-25T23:00:00.000Z',
    ]);
    // Hour 4 (the gap) is incomplete: no EAQI for it; its NowCast still has 2 of the 3 latest hours.
    expect(pick(a.out, 'aqi,scheme=eaqi').size).toBe(6);
    expect(pick(a.out, 'aqi,scheme=us-epa').size).toBe(7);
    expect(a.out.points.get('air_traffic,site=rue,window=1h 2026-11-26T00:00:00.000Z')).toMatchObject({ completeness_pct: (100 * 40) / 60, qc: QC.low_completeness });
    await a.close();
    await b.close();
  });
});
