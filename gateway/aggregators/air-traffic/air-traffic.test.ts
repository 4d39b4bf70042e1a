import { describe, expect, it } from 'vitest';
import { AirTrafficWindow, windowTag } from './air-traffic.js';
import { airTrafficOptions } from './options.js';
import type { Metric } from '../../core/metric.js';
import type { Sink } from '../../core/plugin.js';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');
const air = (offsetS: number, pm25: number, no2: number): Metric => ({
  measurement: 'air', tags: { site: 'rue', node: 'n1', part: 'pms5003' }, fields: { pm25_ugm3: pm25, no2_ppb: no2 }, time: T0 + offsetS * 1000,
});
const count = (offsetS: number, vehicles: number, heavy: number, lane = '1', interval = 60): Metric => ({
  measurement: 'traffic', tags: { site: 'rue', detector: 'd1', lane, direction: 'n' }, fields: { vehicles, heavy_vehicles: heavy, interval_s: interval }, time: T0 + offsetS * 1000,
});
function collect(): Sink & { out: Metric[] } {
  const out: Metric[] = [];
  return { out, push: (m) => out.push(m), reject: () => undefined, flush: () => true };
}

describe('air_traffic window', () => {
  const at = (ms: number) => () => ms;

  it('joins window means of air with traffic sums, stamped with the window start', () => {
    const w = new AirTrafficWindow(airTrafficOptions.parse({ window_s: 60, grace_s: 10 }), at(T0));
    w.add(air(5, 10, 20));
    w.add(air(35, 20, 40));
    w.add(count(0, 17, 2, '1'));
    w.add(count(0, 13, 1, '2'));
    const sink = collect();
    w.push(T0 + 65_000, sink); // inside the grace period: nothing yet
    expect(sink.out).toEqual([]);
    w.push(T0 + 70_000, sink);
    expect(sink.out).toEqual([
      {
        measurement: 'air_traffic',
        tags: { site: 'rue', window: '1m' },
        fields: { air_samples: 2, pm25_ugm3: 15, no2_ppb: 30, vehicles: 30, heavy_vehicles: 3, traffic_coverage_pct: 100 },
        time: T0,
      },
    ]);
  });

  it('counts data for a closed window as late instead of overwriting the window', () => {
    const w = new AirTrafficWindow(airTrafficOptions.parse({}), at(T0));
    const sink = collect();
    w.add(air(1, 10, 10));
    w.push(T0 + 80_000, sink);
    w.add(air(2, 99, 99));
    w.push(T0 + 200_000, sink);
    expect(sink.out).toHaveLength(1);
    expect(w.late).toBe(1);
  });

  it('reports partial traffic coverage and skips counts longer than the window', () => {
    const w = new AirTrafficWindow(airTrafficOptions.parse({ window_s: 60 }), at(T0));
    w.add(count(0, 4, 0, '1', 30));
    w.add(count(0, 100, 0, '2', 900));
    const sink = collect();
    w.push(T0 + 120_000, sink);
    expect(sink.out[0]?.fields).toEqual({ air_samples: 0, vehicles: 4, heavy_vehicles: 0, traffic_coverage_pct: 50 });
  });

  it('treats a backlog older than its start as late: a restart never rewrites a window already written', () => {
    const w = new AirTrafficWindow(airTrafficOptions.parse({ window_s: 60, grace_s: 10 }), at(T0 + 600_000));
    w.add(air(5, 10, 20));
    const sink = collect();
    w.push(T0 + 700_000, sink);
    expect(sink.out).toEqual([]);
    expect(w.late).toBe(1);
  });

  it('keeps warm-up readings out of the means and refuses future timestamps', () => {
    const w = new AirTrafficWindow(airTrafficOptions.parse({ window_s: 60 }), at(T0));
    w.add({ ...air(5, 500, 500), meta: { flags: ['warmup'] } });
    w.add(air(6, 10, 20));
    w.add(air(3600, 99, 99));
    const sink = collect();
    w.push(T0 + 120_000, sink);
    expect(sink.out.map((m) => m.fields)).toEqual([{ air_samples: 1, pm25_ugm3: 10, no2_ppb: 20 }]);
    expect(w.future).toBe(1);
  });

  it('names windows as DESIGN.md does', () => {
    expect([60, 900, 3600, 45].map(windowTag)).toEqual(['1m', '15m', '1h', '45s']);
  });
});
