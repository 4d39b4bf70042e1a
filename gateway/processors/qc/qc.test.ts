import { describe, expect, it } from 'vitest';
import { QcProcessor } from './qc.js';
import { qcOptions } from './options.js';
import { disagree } from './disagreement.js';
import { spikeFamily } from './spike.js';
import { QC, qcNames } from '../../core/qc.js';
import type { Metric } from '../../core/metric.js';
import { urbanConditions } from '../../../firmware/sim/urban-day.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');

interface AirOpts {
  site?: string;
  node?: string;
  part?: string;
  t?: number;
  clock?: 'ntp' | 'rtc' | 'free';
  flags?: string[];
}
const air = (fields: Record<string, number>, o: AirOpts = {}): Metric => ({
  measurement: 'air',
  tags: { site: o.site ?? 'rue', node: o.node ?? 'n1', part: o.part ?? 'pms5003' },
  fields,
  time: o.t ?? T0,
  meta: o.flags ? { clock: o.clock ?? 'ntp', flags: o.flags } : { clock: o.clock ?? 'ntp' },
});

function qcOf(out: Metric[]): number {
  expect(out).toHaveLength(1);
  const qc = out[0]!.fields.qc;
  if (qc === undefined) throw new Error('no qc field');
  return qc;
}

const proc = (opts: unknown = {}, now = () => T0) => new QcProcessor(qcOptions.parse(opts), { now });

/** A steady PM2.5 series around 10 µg/m³ (9, 10, 11, …) every 10 s, ending just before `endT`. */
function steady(p: QcProcessor, n: number, endT: number, o: AirOpts = {}): void {
  for (let i = n; i >= 1; i--) {
    expect(qcOf(p.apply(air({ pm25_ugm3: 9 + (i % 3) }, { ...o, t: endT - i * 10_000 })))).toBe(0);
  }
}

describe('qc: one finding, one bit', () => {
  it('is 0 for a clean reading and keeps every value', () => {
    const m = air({ pm25_ugm3: 12, pm10_ugm3: 20, n0_3_per_dl: 1500 });
    const out = proc().apply(m);
    expect(out).toEqual([{ ...m, fields: { pm25_ugm3: 12, pm10_ugm3: 20, n0_3_per_dl: 1500, qc: 0 } }]);
    expect(m.fields).toEqual({ pm25_ugm3: 12, pm10_ugm3: 20, n0_3_per_dl: 1500 }); // input not mutated
  });

  it('out_of_range: a raw field beyond the part datasheet range (PMS5003 max 1000 µg/m³)', () => {
    const p = proc();
    expect(qcOf(p.apply(air({ pm25_ugm3: 1001 })))).toBe(QC.out_of_range);
    expect(qcOf(p.apply(air({ pm25_ugm3: 1000 }, { node: 'n2' })))).toBe(0); // the bound itself is in range
    expect(qcOf(p.apply(air({ temperature_c: -41 }, { part: 'bme280', node: 'n3' })))).toBe(QC.out_of_range);
    expect(qcOf(p.apply(air({ pressure_hpa: Number.NaN }, { part: 'bme280', node: 'n4' })))).toBe(QC.out_of_range);
  });

  it('out_of_range: unknown parts, unknown quantities and corrected fields are not range-checked', () => {
    const p = proc();
    expect(qcOf(p.apply(air({ pm25_ugm3: 5000 }, { part: 'homebrew' })))).toBe(0);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10, pm25_corrected_ugm3: -3, foo: 1e9 }, { site: 'other' })))).toBe(0);
  });

  it('the registry can be injected', () => {
    const p = new QcProcessor(qcOptions.parse({}), {
      modules: [{ definition: { id: 'x1', maker: 'm', model: 'X1', bus: 'i2c', warmupS: 0, source: 'test', quantities: [{ name: 'humidity_pct', unit: '%', min: 0, max: 100, precision: 1 }] } }],
      now: () => T0,
    });
    expect(qcOf(p.apply(air({ humidity_pct: 101 }, { part: 'x1' })))).toBe(QC.out_of_range);
    expect(qcOf(p.apply(air({ pm25_ugm3: 5000 }, { part: 'pms5003' })))).toBe(0); // not in that registry
  });

  it.each([
    ['stuck', QC.stuck],
    ['warmup', QC.warming_up],
    ['clock_step', QC.clock_unsynced],
    ['clamped', QC.clamped],
  ])('runtime flag %s sets only its bit', (flag, bit) => {
    expect(qcOf(proc().apply(air({ pm25_ugm3: 10 }, { flags: [flag] })))).toBe(bit);
  });

  it('clock_unsynced: clock "free"; "rtc" and "ntp" are fine; unknown flags are ignored', () => {
    const p = proc();
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { clock: 'free' })))).toBe(QC.clock_unsynced);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { clock: 'rtc', node: 'n2' })))).toBe(0);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { flags: ['checksum_retry'], node: 'n3' })))).toBe(0);
  });

  it('spike: an isolated jump far beyond the series noise, and only that reading', () => {
    const p = proc();
    const t = T0 + 3_600_000;
    steady(p, 20, t);
    expect(qcOf(p.apply(air({ pm25_ugm3: 300 }, { t })))).toBe(QC.spike);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { t: t + 10_000 })))).toBe(0);
  });

  it('disagreement: the later of two PM parts at one site', () => {
    const p = proc();
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { part: 'pms5003', t: T0 + 5_000 })))).toBe(0);
    expect(qcOf(p.apply(air({ pm25_ugm3: 30 }, { part: 'sps30', t: T0 + 20_000 })))).toBe(QC.disagreement);
  });

  it('low_completeness is never set here (window-level)', () => {
    const p = proc();
    for (let i = 0; i < 5; i++) expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { t: T0 + i * 900_000 }))) & QC.low_completeness).toBe(0);
  });
});

describe('qc: combinations and pass-through', () => {
  it('sets several bits at once', () => {
    const qc = qcOf(proc().apply(air({ pm25_ugm3: 2000 }, { clock: 'free', flags: ['warmup', 'clamped'] })));
    expect(qc).toBe(QC.out_of_range | QC.warming_up | QC.clock_unsynced | QC.clamped);
    expect(qcNames(qc)).toEqual(['out_of_range', 'warming_up', 'clock_unsynced', 'clamped']);
  });

  it('a spike and a disagreement on one reading', () => {
    const p = proc();
    const t = T0 + 3_600_000;
    steady(p, 20, t);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { part: 'sds011', t: t + 1_000 })))).toBe(0); // second part, same minute
    // 300 vs 10: a spike on its own series; not judged for disagreement, because a spike is already unfit.
    expect(qcOf(p.apply(air({ pm25_ugm3: 300 }, { t: t + 2_000 })))).toBe(QC.spike);
    // The healthy sds011 is not flagged against the spiking part (which was not kept as a reference).
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { part: 'sds011', t: t + 3_000 })))).toBe(0);
  });

  it('a reading flagged warmup is not compared and does not get its neighbour flagged', () => {
    const p = proc();
    expect(qcOf(p.apply(air({ pm25_ugm3: 40 }, { part: 'sps30', t: T0 + 1_000, flags: ['warmup'] })))).toBe(QC.warming_up);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { t: T0 + 2_000 })))).toBe(0);
  });

  it('keeps an integer qc set upstream and adds to it', () => {
    expect(qcOf(proc().apply(air({ pm25_ugm3: 10, qc: QC.spike }, { clock: 'free' })))).toBe(QC.spike | QC.clock_unsynced);
  });

  it('passes traffic and other measurements through untouched', () => {
    const t: Metric = { measurement: 'traffic', tags: { site: 'rue', detector: 'd1', lane: '1', direction: 'n' }, fields: { vehicles: 12, interval_s: 60 }, time: T0 };
    const g: Metric = { measurement: 'gateway', tags: { gateway: 'g' }, fields: { queue: 3 }, time: T0 };
    const p = proc();
    expect(p.apply(t)[0]).toBe(t);
    expect(p.apply(g)[0]).toBe(g);
    expect(t.fields).toEqual({ vehicles: 12, interval_s: 60 });
  });

  it('counts readings per finding', () => {
    const p = proc();
    p.apply(air({ pm25_ugm3: 10 }, { clock: 'free' }));
    p.apply(air({ pm25_ugm3: 10 }, { flags: ['warmup'], clock: 'free' }));
    expect(p.counts.clock_unsynced).toBe(2);
    expect(p.counts.warming_up).toBe(1);
    expect(p.counts.spike).toBe(0);
  }, 60_000); // a whole day of readings on a shared, possibly loaded machine
});

describe('qc: disagreement edges (PurpleAirQC_hourly_AB_03: both tests strict)', () => {
  const o = qcOptions.parse({}).disagreement;
  it.each([
    [7.5, 2.5, false, 'difference exactly 5.0 µg/m³ (100 %)'],
    [7.6, 2.5, true, 'difference 5.1 µg/m³ (101 %)'],
    [13.5, 6.5, false, 'difference 7 µg/m³, exactly 70 % of the mean 10'],
    [13.6, 6.5, true, 'difference 7.1 µg/m³, 70.6 % of the mean 10.05'],
    [100, 80, false, '20 µg/m³ but only 22 %'],
    [3, 0, false, '100 % but only 3 µg/m³'],
  ])('%s vs %s → %s (%s)', (a, b, expected) => {
    expect(disagree(a, b, o)).toBe(expected);
    expect(disagree(b, a, o)).toBe(expected);
    const p = proc();
    p.apply(air({ pm25_ugm3: b }, { node: 'n1', t: T0 + 1_000 }));
    expect(qcOf(p.apply(air({ pm25_ugm3: a }, { node: 'n2', t: T0 + 2_000 })))).toBe(expected ? QC.disagreement : 0);
  });

  it('compares only within the same clock minute, at the same site, between different parts', () => {
    const p = proc();
    p.apply(air({ pm25_ugm3: 10 }, { t: T0 + 59_999 }));
    expect(qcOf(p.apply(air({ pm25_ugm3: 40 }, { part: 'sps30', t: T0 + 60_000 })))).toBe(0); // next minute
    expect(qcOf(p.apply(air({ pm25_ugm3: 40 }, { part: 'sps30', site: 'other', t: T0 + 30_000 })))).toBe(0); // other site
    expect(qcOf(p.apply(air({ pm25_ugm3: 40 }, { t: T0 + 59_000, node: 'n1' })))).toBe(0); // the same part is never compared with itself
  });

  it('compares raw PM2.5 with raw, whatever corrections one part has', () => {
    const p = proc();
    p.apply(air({ pm25_ugm3: 20, pm25_corrected_ugm3: 3 }, { t: T0 + 1_000 }));
    // Corrected 3 vs raw 22 would be 152 %; raw 20 vs 22 is 9.5 %: no flag.
    expect(qcOf(p.apply(air({ pm25_ugm3: 22 }, { part: 'sds011', t: T0 + 2_000 })))).toBe(0);
    expect(qcOf(p.apply(air({ pm25_ugm3: 45, pm25_corrected_ugm3: 21 }, { part: 'sps30', t: T0 + 3_000 })))).toBe(QC.disagreement); // raw 45 vs 21: 72.7 %
  });

  it('the live minute outlasts a backlog replay of 200 minutes racing through beside it', () => {
    const p = proc();
    const live = T0 + 86_400_000;
    p.apply(air({ pm25_ugm3: 10 }, { t: live }));
    for (let i = 0; i < 200; i++) {
      p.apply(air({ pm25_ugm3: 10 }, { node: 'remote', t: T0 + i * 60_000 }));
      if (i % 50 === 0 && i <= 100) p.apply(air({ pm25_ugm3: 10 }, { t: live + 1_000 + i })); // live, then 99 backlog minutes
    }
    expect(qcOf(p.apply(air({ pm25_ugm3: 40 }, { node: 'remote', t: live + 30_000 })))).toBe(QC.disagreement);
  });

  it('out of order: the reading processed second is the one flagged', () => {
    const p = proc();
    expect(qcOf(p.apply(air({ pm25_ugm3: 30 }, { part: 'sps30', t: T0 + 50_000 })))).toBe(0);
    expect(qcOf(p.apply(air({ pm25_ugm3: 10 }, { t: T0 + 10_000 })))).toBe(QC.disagreement);
  });
});

describe('qc: spike rule', () => {
  it('the quantity families checked', () => {
    expect(['pm1_ugm3', 'pm25_ugm3', 'pm4_ugm3', 'pm10_ugm3', 'pm25_cf1_ugm3'].map(spikeFamily)).toEqual(Array(5).fill('pm_ugm3'));
    expect([spikeFamily('no2_ppb'), spikeFamily('no2_ugm3')]).toEqual(['no2_ppb', 'no2_ugm3']);
    expect(['pm25_corrected_ugm3', 'n0_3_per_dl', 'temperature_c', 'we_mv', 'qc'].map(spikeFamily)).toEqual(Array(5).fill(undefined));
  });

  it('a flat series (MAD 0) does not flag a step below the floor, and does flag one above it', () => {
    const p = proc();
    const t = T0 + 3_600_000;
    for (let i = 20; i >= 1; i--) p.apply(air({ pm25_ugm3: 3 }, { t: t - i * 10_000 }));
    expect(qcOf(p.apply(air({ pm25_ugm3: 38 }, { t })))).toBe(0); // |38 − 3| = 35: not above the 35 µg/m³ floor
    expect(qcOf(p.apply(air({ pm25_ugm3: 39 }, { t: t + 10_000 })))).toBe(QC.spike);
  });

  it('a jump within the noise of a noisy series is not a spike even above the floor', () => {
    const p = proc();
    const t = T0 + 3_600_000;
    // values 20, 40, 60, 80 repeating: median 50, MAD 20 → 6 × 1.4826 × 20 ≈ 178
    for (let i = 20; i >= 1; i--) p.apply(air({ pm25_ugm3: 20 + 20 * (i % 4) }, { t: t - i * 10_000 }));
    expect(qcOf(p.apply(air({ pm25_ugm3: 200 }, { t })))).toBe(0);
    expect(qcOf(p.apply(air({ pm25_ugm3: 240 }, { t: t + 10_000 })))).toBe(QC.spike);
  });

  it('gives no verdict with fewer than min_values neighbours or neighbours older than lookback', () => {
    const p = proc();
    const t = T0 + 3_600_000;
    steady(p, 7, t);
    expect(qcOf(p.apply(air({ pm25_ugm3: 500 }, { t })))).toBe(0); // 7 < min_values 8
    const q = proc();
    steady(q, 20, t - 600_001); // all measured more than 10 min before
    expect(qcOf(q.apply(air({ pm25_ugm3: 500 }, { t })))).toBe(0);
  });

  it('checks NO2 with its own floor', () => {
    const p = proc();
    const t = T0 + 3_600_000;
    for (let i = 20; i >= 1; i--) p.apply(air({ no2_ppb: 20 + (i % 2) }, { part: 'no2-b43f', t: t - i * 10_000 }));
    expect(qcOf(p.apply(air({ no2_ppb: 60 }, { part: 'no2-b43f', t })))).toBe(0); // +39.5 ppb < 50 floor
    expect(qcOf(p.apply(air({ no2_ppb: 90 }, { part: 'no2-b43f', t: t + 10_000 })))).toBe(QC.spike);
  });

  function urbanDay(extraNoise: boolean): Metric[] {
    // Deterministic LCG (Numerical Recipes constants) for sensor noise on top of the scenario's own.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    const out: Metric[] = [];
    for (let t = T0; t < T0 + 86_400_000; t += 10_000) {
      const c = urbanConditions(new Date(t));
      const pmNoise = extraNoise ? 1 + 0.15 * rnd() : 1;
      // Plantower reports whole µg/m³ (PMS5003 manual V2.3: resolution 1 µg/m³).
      out.push(air({ pm1_ugm3: Math.round(c.pm1_ugm3 * pmNoise), pm25_ugm3: Math.round(c.pm25_ugm3 * pmNoise), pm10_ugm3: Math.round(c.pm10_ugm3 * pmNoise) }, { t }));
      const no2 = Math.max(0, c.no2_ppb + (extraNoise ? 6 * rnd() : 0));
      out.push(air({ no2_ppb: Math.round(no2 * 10) / 10, no2_ugm3: Math.round(no2 * 1.9125 * 10) / 10 }, { part: 'no2-b43f', t }));
    }
    return out;
  }

  it.each([false, true])('never trips on a whole simulated urban day (extra sensor noise: %s)', (extraNoise) => {
    const p = proc();
    const series = urbanDay(extraNoise);
    let pmMax = 0;
    const spikes: Metric[] = [];
    for (const m of series) {
      pmMax = Math.max(pmMax, m.fields.pm25_ugm3 ?? 0);
      const out = p.apply(m)[0]!;
      if ((out.fields.qc ?? 0) & QC.spike) spikes.push(out);
    }
    expect(spikes).toEqual([]);
    expect(series).toHaveLength(2 * 8640);
    expect(pmMax).toBeGreaterThan(15); // the rush hours are in it
    expect(p.counts.spike).toBe(0);
  }, 60_000); // a whole day of readings on a shared, possibly loaded machine

  it('a backlog replayed in time order after live data gets the same qc as it got live', () => {
    const readings: Metric[] = [];
    for (let i = 0; i < 200; i++) {
      const pm = i === 120 ? 400 : 8 + (i % 4);
      readings.push(air({ pm25_ugm3: pm }, { t: T0 + i * 10_000 }));
      readings.push(air({ pm25_ugm3: i === 150 ? 40 : 9 + (i % 4) }, { part: 'sps30', t: T0 + i * 10_000 + 500 }));
    }
    const live = proc();
    const liveQc = readings.map((m) => qcOf(live.apply(m)));
    expect(liveQc.filter((q) => q === QC.spike)).toHaveLength(1);
    expect(liveQc[301]).toBe(QC.disagreement); // the sps30's 40 vs the pms5003's 10 in the same minute
    // The pms5003 readings after it in that minute are compared with the sps30's minute mean, which the 40 raised.
    expect(liveQc.filter((q) => q === QC.disagreement).length).toBeGreaterThan(1);

    // The gateway was cut off: the last 100 pairs arrived live, the first 100 come later as a backlog.
    const replay = proc();
    const later = readings.slice(200).map((m) => qcOf(replay.apply(m)));
    const backlog = readings.slice(0, 200).map((m) => qcOf(replay.apply(m)));
    expect([...backlog, ...later]).toEqual(liveQc);
  });
});

describe('qc: bounded state', () => {
  it('holds at most max_series series and max_sites sites with 10 000 series, and forgets idle ones', () => {
    let now = T0;
    const p = proc({}, () => now);
    for (let i = 0; i < 10_000; i++) p.apply(air({ pm25_ugm3: 10 }, { site: `s${i}`, node: `n${i}` }));
    expect(p.state.series).toBe(4096);
    expect(p.state.sites).toBe(1024);
    for (let i = 0; i < 500; i++) p.apply(air({ pm25_ugm3: 10 + (i % 3) }, { site: 'busy', t: T0 + i * 60_000 }));
    expect(p.state.largestSeries).toBe(40); // 2 × spike.values
    expect(p.state.minutes).toBe(1023 + 120); // the other sites hold one minute each; 'busy' its latest 120
    now = T0 + 3_600_001;
    p.apply(air({ pm25_ugm3: 10 }, { site: 'fresh' }));
    expect(p.state).toEqual({ series: 1, sites: 1, minutes: 1, largestSeries: 1 });
  }, 60_000);
});

describe('qc options', () => {
  it('defaults', () => {
    expect(qcOptions.parse({})).toEqual({
      spike: { values: 20, lookback_s: 600, min_values: 8, k: 6, floor: { pm_ugm3: 35, no2_ppb: 50, no2_ugm3: 95 } },
      disagreement: { abs_ugm3: 5, rel: 0.7 },
      max_series: 4096,
      max_sites: 1024,
      idle_s: 3600,
    });
  });

  it('refuses unknown keys and inconsistent spike settings', () => {
    expect(qcOptions.safeParse({ spikes: {} }).success).toBe(false);
    expect(qcOptions.safeParse({ spike: { floor: { co_ppm: 1 } } }).success).toBe(false);
    const r = qcOptions.safeParse({ spike: { values: 5, min_values: 6 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['spike', 'min_values']);
  });
});
