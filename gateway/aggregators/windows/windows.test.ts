import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowsAggregator } from './windows.js';
import { windowsOptions } from './options.js';
import { QC } from '../../core/qc.js';
import type { Metric } from '../../core/metric.js';
import type { Sink } from '../../core/plugin.js';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');
const S = 1000;
const MIN = 60 * S;
const air = (offsetMs: number, pm25: number, extra: Record<string, number> = {}, node = 'n1', part = 'pms5003'): Metric => ({
  measurement: 'air',
  tags: { site: 'rue', node, part },
  fields: { pm25_ugm3: pm25, ...extra },
  time: T0 + offsetMs,
});
const count = (offsetMs: number, vehicles: number, heavy: number, lane = '1', interval = 60): Metric => ({
  measurement: 'traffic',
  tags: { site: 'rue', detector: 'd1', lane, direction: 'n' },
  fields: { vehicles, heavy_vehicles: heavy, interval_s: interval },
  time: T0 + offsetMs,
});

function collect(): Sink & { out: Metric[] } {
  const out: Metric[] = [];
  return { out, push: (m) => out.push(m), reject: () => undefined, flush: () => true };
}

const dirs: string[] = [];
const opened: WindowsAggregator[] = [];
function make(clock: { t: number }, opts: Record<string, unknown> = {}): WindowsAggregator {
  const dir = mkdtempSync(join(tmpdir(), 'airlane-windows-'));
  dirs.push(dir);
  const w = new WindowsAggregator(windowsOptions.parse({ indices: [], ...opts }), { file: join(dir, 'windows.sqlite'), now: () => clock.t });
  opened.push(w);
  return w;
}
afterEach(() => {
  for (const w of opened.splice(0)) w.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const win = (out: Metric[], window: string) => out.filter((m) => m.measurement === 'air_traffic' && m.tags.window === window);

describe('windows aggregator', () => {
  it('gives a provisional ATMO level minutes after start, from the hour still open, flagged incomplete', () => {
    const clock = { t: T0 };
    const w = make(clock, { indices: ['atmo'], grace_s: 10 });
    // Five minutes of PM2.5 at 30 µg/m³ and NO2 at 50 µg/m³ (ATMO: PM2.5 25–50 "Mauvais" = 4, NO2 40–90 = 2).
    for (let t = 0; t < 5 * MIN; t += 10 * S) w.add(air(t, 30, { no2_ugm3: 50 }));
    const sink = collect();
    clock.t = T0 + 5 * MIN + 10 * S;
    w.push(clock.t, sink);
    const atmo = sink.out.filter((m) => m.measurement === 'aqi' && m.tags.scheme === 'atmo');
    expect(atmo).toHaveLength(1);
    expect(atmo[0]!.fields).toMatchObject({ level: 4, dominant: 1, pm25_level: 4, no2_level: 2, hours: 0, qc: QC.low_completeness, indicative: 1 });
    // The open hour is not written as a window: only closed windows reach air_traffic.
    expect(win(sink.out, '1h')).toEqual([]);
  });


  it('aligns windows to the clock, joins air means with traffic sums and waits grace_s', () => {
    const clock = { t: T0 };
    const w = make(clock, { windows: ['1m'], grace_s: 10 });
    w.add(air(5 * S, 10, { no2_ppb: 20 }));
    w.add(air(35 * S, 20, { no2_ppb: 40 }));
    w.add(count(0, 17, 2, '1'));
    w.add(count(0, 13, 1, '2'));
    w.add(air(60 * S, 99)); // the next minute
    const sink = collect();
    w.push(T0 + 69_999, sink);
    expect(sink.out).toEqual([]);
    w.push(T0 + 70_000, sink);
    expect(sink.out).toEqual([
      {
        measurement: 'air_traffic',
        tags: { site: 'rue', window: '1m' },
        fields: { no2_ppb: 30, pm25_ugm3: 15, air_samples: 2, completeness_pct: 100, qc: 0, vehicles: 30, heavy_vehicles: 3, traffic_coverage_pct: 100 },
        time: T0,
      },
    ]);
  });

  it('measures completeness as the share of 1-minute slots with a valid reading, flagged under 75 %', () => {
    const clock = { t: T0 + 3600 * S };
    const w = make(clock, { windows: ['15m'], grace_s: 0 });
    // 15-min window [T0, T0+15m): minutes 0..10 filled = 11/15 = 73.3 %; the second window: minutes 0..11 = 80 %.
    for (let m = 0; m <= 10; m++) w.add(air(m * MIN + 59 * S, 10));
    for (let m = 0; m <= 11; m++) w.add(air(15 * MIN + m * MIN, 10));
    // A reading excluded by its qc (warming up) fills no slot; clamped does not exclude.
    w.add(air(13 * MIN, 10, { qc: QC.warming_up }));
    w.add(air(15 * MIN + 12 * MIN, 10, { qc: QC.clamped }));
    const sink = collect();
    w.push(clock.t, sink);
    const out = win(sink.out, '15m');
    expect(out.map((m) => [m.time - T0, m.fields.completeness_pct, m.fields.qc, m.fields.air_samples])).toEqual([
      [0, (100 * 11) / 15, QC.low_completeness, 11],
      [15 * MIN, (100 * 13) / 15, 0, 13],
    ]);
    // The qc field itself is never averaged.
    expect(out[1]?.fields).not.toHaveProperty('qc_mean');
    expect(out[1]?.fields.qc).toBe(0);
  });

  it('a reading on the last millisecond belongs to its window, the next millisecond to the next', () => {
    const clock = { t: T0 + 3 * MIN };
    const w = make(clock, { windows: ['1m'], grace_s: 0 });
    w.add(air(MIN - 1, 1));
    w.add(air(MIN, 3));
    const sink = collect();
    w.push(clock.t, sink);
    expect(sink.out.map((m) => [m.time - T0, m.fields.pm25_ugm3])).toEqual([
      [0, 1],
      [MIN, 3],
    ]);
  });

  it('a redelivered duplicate overwrites instead of counting twice', () => {
    const clock = { t: T0 + 2 * MIN };
    const w = make(clock, { windows: ['1m'], grace_s: 0 });
    w.add(air(10 * S, 10));
    w.add(air(20 * S, 20));
    w.add(air(20 * S, 20)); // redelivered (QoS 1)
    w.add(count(0, 5, 1));
    w.add(count(0, 5, 1)); // redelivered
    const sink = collect();
    w.push(clock.t, sink);
    expect(sink.out[0]?.fields).toMatchObject({ pm25_ugm3: 15, air_samples: 2, vehicles: 5, heavy_vehicles: 1 });
  });

  it('a late reading re-emits exactly the windows it falls in, once per tick', () => {
    const clock = { t: T0 };
    const w = make(clock, { grace_s: 10 });
    const sink = collect();
    for (let s = 0; s < 3600; s += 10) {
      clock.t = T0 + s * S;
      w.add(air(s * S, 10));
      w.push(clock.t, sink);
    }
    clock.t = T0 + 3700 * S;
    w.push(clock.t, sink);
    expect(win(sink.out, '1m')).toHaveLength(60);
    expect(win(sink.out, '15m')).toHaveLength(4);
    expect(win(sink.out, '1h')).toHaveLength(1);
    sink.out.length = 0;

    // Two late readings in minute 17 (second 1000 and 1010), long after the windows were emitted.
    w.add(air(1000 * S + 500, 70));
    w.add(air(1010 * S + 500, 70));
    expect(w.late).toBe(2);
    w.push(clock.t, sink);
    expect(sink.out.map((m) => [m.tags.window, m.time - T0])).toEqual([
      ['1h', 0],
      ['15m', 15 * MIN],
      ['1m', 16 * MIN],
    ]);
    expect(sink.out[2]?.fields).toMatchObject({ pm25_ugm3: 25, air_samples: 8 }); // (6 × 10 + 2 × 70) / 8
    w.push(clock.t + 1000, sink);
    expect(sink.out).toHaveLength(3); // nothing dirty any more
  });

  it('survives a restart: dirty windows and readings are on disk', () => {
    const clock = { t: T0 };
    const dir = mkdtempSync(join(tmpdir(), 'airlane-windows-'));
    dirs.push(dir);
    const file = join(dir, 'windows.sqlite');
    const opts = windowsOptions.parse({ windows: ['1m'], grace_s: 0, indices: [] });
    const a = new WindowsAggregator(opts, { file, now: () => clock.t });
    a.add(air(10 * S, 10));
    a.close(); // stopped before the window closed
    const b = new WindowsAggregator(opts, { file, now: () => clock.t });
    opened.push(b);
    b.add(air(20 * S, 30));
    const sink = collect();
    b.push(T0 + MIN, sink);
    expect(sink.out.map((m) => m.fields.pm25_ugm3)).toEqual([20]);
  });

  it('refuses future timestamps and data older than the retention', () => {
    const clock = { t: T0 + 30 * 3600 * S };
    const w = make(clock, { windows: ['1m', '1h'], retention_h: 26 });
    w.add(air(30 * 3600 * S + 61 * S, 1)); // future beyond the 60 s tolerance
    w.add(air(3 * 3600 * S, 1)); // 27 h old
    w.add(air(4 * 3600 * S, 1)); // its hour starts 26 h ago: accepted
    const sink = collect();
    w.push(clock.t, sink);
    expect([w.future, w.tooOld]).toEqual([1, 1]);
    expect(sink.out.map((m) => [m.tags.window, (m.time - T0) / 3600_000])).toEqual([
      ['1m', 4],
      ['1h', 4],
    ]);
  });

  it('keeps readings flagged warm-up by the runtime out of the means when no qc is set', () => {
    const clock = { t: T0 + 2 * MIN };
    const w = make(clock, { windows: ['1m'], grace_s: 0 });
    w.add({ ...air(5 * S, 500), meta: { flags: ['warmup'] } });
    w.add(air(6 * S, 10));
    const sink = collect();
    w.push(clock.t, sink);
    expect(sink.out[0]?.fields).toMatchObject({ pm25_ugm3: 10, air_samples: 1 });
  });

  it('reports partial traffic coverage and skips counts longer than the window', () => {
    const clock = { t: T0 + 2 * MIN };
    const w = make(clock, { windows: ['1m'], grace_s: 0 });
    w.add(count(0, 4, 0, '1', 30));
    w.add(count(0, 100, 0, '2', 900));
    const sink = collect();
    w.push(clock.t, sink);
    expect(sink.out[0]?.fields).toEqual({ air_samples: 0, completeness_pct: 0, qc: QC.low_completeness, vehicles: 4, heavy_vehicles: 0, traffic_coverage_pct: 50 });
  });
});
