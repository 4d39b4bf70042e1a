import { describe, expect, it } from 'vitest';
import type { Metric } from '../../core/metric.js';
import { CorrectProcessor } from './correct.js';
import { correctionsOptions, type CorrectionsOptionsInput } from './options.js';

const T0 = Date.parse('2026-03-02T08:00:00Z');

function air(part: string, fields: Record<string, number>, time = T0, extra: Partial<Metric> = {}, node = 'kerb-1'): Metric {
  return { measurement: 'air', tags: { site: 'rue-a', node, part }, fields, time, meta: { clock: 'ntp' }, ...extra };
}

function processor(part: string, corrections: CorrectionsOptionsInput, node = 'kerb-1') {
  return new CorrectProcessor([{ node, part, corrections: correctionsOptions.parse(corrections) }]);
}

const epaPm = { pm25: { method: 'epa-2021', input: 'pm25_cf1_ugm3', rh_from: { part: 'bme280' } } } as const;

describe('processor correct: EPA 2021 with the RH of a BME280 on the same node', () => {
  it('leaves a point uncorrected until an RH is known, then writes pm25_corrected_ugm3 beside the raw fields', () => {
    const p = processor('pms5003', epaPm);
    const first = air('pms5003', { pm25_ugm3: 18, pm25_cf1_ugm3: 20 });
    expect(p.apply(first)).toEqual([first]);
    expect(p.stats()).toEqual({ corrected: 0, clamped: 0, no_rh: 1, no_input: 0 });

    const bme = air('bme280', { temperature_c: 12.5, humidity_pct: 60 }, T0 + 30_000);
    expect(p.apply(bme)).toEqual([bme]);

    const pm = air('pms5003', { pm25_ugm3: 18, pm25_cf1_ugm3: 20 }, T0 + 60_000);
    const [out] = p.apply(pm);
    // 0.524·20 − 0.0862·60 + 5.75 = 11.058
    expect(out?.fields.pm25_corrected_ugm3).toBeCloseTo(11.058, 9);
    expect(out?.fields.pm25_ugm3).toBe(18);
    expect(out?.fields.pm25_cf1_ugm3).toBe(20);
    expect(out?.meta).toEqual({ clock: 'ntp' });
    expect(pm.fields).toEqual({ pm25_ugm3: 18, pm25_cf1_ugm3: 20 }); // the input metric is not mutated
    expect(p.stats()).toEqual({ corrected: 1, clamped: 0, no_rh: 1, no_input: 0 });
  });

  it('clamps a negative result at 0 and adds the flag clamped, keeping the flags already there', () => {
    const p = processor('pms5003', epaPm);
    p.apply(air('bme280', { humidity_pct: 100 }));
    const [out] = p.apply(air('pms5003', { pm25_cf1_ugm3: 0 }, T0, { meta: { clock: 'ntp', flags: ['warmup'] } }));
    expect(out?.fields.pm25_corrected_ugm3).toBe(0); // 0 − 8.62 + 5.75 = −2.87 → 0
    expect(out?.meta?.flags).toEqual(['warmup', 'clamped']);
    expect(p.stats().clamped).toBe(1);
  });

  it('does not use an RH older than max_age_s (600 s by default)', () => {
    const p = processor('pms5003', epaPm);
    p.apply(air('bme280', { humidity_pct: 60 }));
    const late = air('pms5003', { pm25_cf1_ugm3: 20 }, T0 + 601_000);
    expect(p.apply(late)).toEqual([late]);
    expect(p.stats().no_rh).toBe(1);
  });

  it('takes RH only from the part named, on the same node', () => {
    const p = processor('pms5003', epaPm);
    p.apply(air('sht3x', { humidity_pct: 60 }));
    p.apply(air('bme280', { humidity_pct: 60 }, T0, {}, 'kerb-2'));
    const pm = air('pms5003', { pm25_cf1_ugm3: 20 });
    expect(p.apply(pm)).toEqual([pm]);
  });

  it('without rh_from.part: the point’s own humidity first (PMS5003T), else any part of the node', () => {
    const p = processor('pms5003t', { pm25: { method: 'epa-2021', input: 'pm25_cf1_ugm3' } });
    p.apply(air('bme280', { humidity_pct: 90 }));
    const [own] = p.apply(air('pms5003t', { pm25_cf1_ugm3: 20, humidity_pct: 60 }));
    expect(own?.fields.pm25_corrected_ugm3).toBeCloseTo(11.058, 9);
    // no own humidity: the latest on the node from any part — the PMS5003T's 60 %, then a BME280's 90 %
    expect(p.apply(air('pms5003t', { pm25_cf1_ugm3: 20 }))[0]?.fields.pm25_corrected_ugm3).toBeCloseTo(11.058, 9);
    p.apply(air('bme280', { humidity_pct: 90 }, T0 + 10_000));
    const [other] = p.apply(air('pms5003t', { pm25_cf1_ugm3: 20 }, T0 + 20_000));
    expect(other?.fields.pm25_corrected_ugm3).toBeCloseTo(10.48 - 0.0862 * 90 + 5.75, 9);
  });

  it('counts a point without the configured input and passes it on unchanged', () => {
    const p = processor('pms5003', epaPm);
    p.apply(air('bme280', { humidity_pct: 60 }));
    const pm = air('pms5003', { pm25_ugm3: 18 });
    expect(p.apply(pm)).toEqual([pm]);
    expect(p.stats().no_input).toBe(1);
  });
});

describe('processor correct: other methods', () => {
  it('epa-fasm in the smoke range: x 300 → 289.526', () => {
    const p = processor('pms5003', { pm25: { method: 'epa-fasm', input: 'pm25_cf1_ugm3', rh_from: { part: 'bme280' } } });
    p.apply(air('bme280', { humidity_pct: 40 }));
    expect(p.apply(air('pms5003', { pm25_cf1_ugm3: 300 }))[0]?.fields.pm25_corrected_ugm3).toBeCloseTo(289.526, 9);
  });

  it('kohler on the ATM channel (default input pm10_ugm3): 30 at 80 % RH, κ 0.4 → 15.2308', () => {
    const p = processor('sds011', { pm10: { method: 'kohler', kappa: 0.4, rh_from: { part: 'bme280' } } });
    p.apply(air('bme280', { humidity_pct: 80 }));
    expect(p.apply(air('sds011', { pm10_ugm3: 30, pm25_ugm3: 12 }))[0]?.fields.pm10_corrected_ugm3).toBeCloseTo(15.230769, 5);
  });

  it('linear NO2 in ppb, also in µg/m³ at 20 °C: 1.05·40 − 2 = 40 ppb = 76.50 µg/m³', () => {
    const p = processor('no2-b43f', { no2: { method: 'linear', slope: 1.05, offset: -2, also_ugm3_at_c: 20 } });
    const [out] = p.apply(air('no2-b43f', { no2_ppb: 40, no2_ugm3: 76.5, we_mv: 260, ae_mv: 199 }));
    expect(out?.fields.no2_corrected_ppb).toBeCloseTo(40, 12);
    expect(out?.fields.no2_corrected_ugm3).toBeCloseTo(76.5, 3);
    expect(out?.fields.no2_ppb).toBe(40);
  });

  it('a linear correction needs no RH; several quantities of one part at once', () => {
    const p = processor('pms5003', {
      pm25: { method: 'linear', input: 'pm25_ugm3', slope: 0.8, offset: 1 },
      pm10: { method: 'linear', slope: 0.9 },
    });
    const [out] = p.apply(air('pms5003', { pm25_ugm3: 10, pm10_ugm3: 20 }));
    expect(out?.fields).toEqual({ pm25_ugm3: 10, pm10_ugm3: 20, pm25_corrected_ugm3: 9, pm10_corrected_ugm3: 18 });
  });

  it('leaves other parts, other nodes and other measurements alone', () => {
    const p = processor('pms5003', { pm25: { method: 'linear', input: 'pm25_ugm3', slope: 2 } });
    const other = air('sps30', { pm25_ugm3: 10 });
    const otherNode = air('pms5003', { pm25_ugm3: 10 }, T0, {}, 'kerb-2');
    const traffic: Metric = { measurement: 'traffic', tags: { site: 'rue-a' }, fields: { vehicles: 4 }, time: T0 };
    expect(p.apply(other)).toEqual([other]);
    expect(p.apply(otherNode)).toEqual([otherNode]);
    expect(p.apply(traffic)).toEqual([traffic]);
  });

  it('a site given with the part restricts it to that site', () => {
    const p = new CorrectProcessor([
      { site: 'rue-b', node: 'kerb-1', part: 'pms5003', corrections: correctionsOptions.parse({ pm25: { method: 'linear', input: 'pm25_ugm3', slope: 2 } }) },
    ]);
    const a = air('pms5003', { pm25_ugm3: 10 });
    expect(p.apply(a)).toEqual([a]);
    expect(p.apply({ ...a, tags: { ...a.tags, site: 'rue-b' } })[0]?.fields.pm25_corrected_ugm3).toBe(20);
  });
});

describe('correctionsOptions', () => {
  const issue = (v: unknown) => {
    const r = correctionsOptions.safeParse(v);
    return r.success ? undefined : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };

  it('fills the defaults', () => {
    expect(correctionsOptions.parse({ pm25: { method: 'epa-2021', input: 'pm25_cf1_ugm3' }, no2: { method: 'linear' } })).toEqual({
      pm25: { method: 'epa-2021', input: 'pm25_cf1_ugm3', rh_from: { quantity: 'humidity_pct', max_age_s: 600 } },
      no2: { method: 'linear', slope: 1, offset: 0 },
    });
    expect(correctionsOptions.parse({ pm25: { method: 'kohler', kappa: 0.1 } }).pm25).toMatchObject({ rh_cap_pct: 95 });
  });

  it('requires the EPA methods to name their input channel', () => {
    expect(issue({ pm25: { method: 'epa-fasm' } })).toMatch(/^pm25\.input: /);
  });

  it('refuses a PM method on a gas in ppb, a unit-less input and conversions that make no sense', () => {
    expect(issue({ no2: { method: 'epa-2021', input: 'no2_ppb' } })).toMatch(/^no2\.input: epa-2021 corrects particle mass/);
    expect(issue({ pm25: { method: 'linear', input: 'pm25' } })).toMatch(/^pm25\.input: the input must be a concentration/);
    expect(issue({ pm25: { method: 'linear', also_ugm3_at_c: 20 } })).toMatch(/^pm25\.also_ugm3_at_c: also_ugm3_at_c needs a gas/);
    expect(issue({ no2: { method: 'linear', input: 'no2_ugm3', also_ugm3_at_c: 20 } })).toMatch(/^no2\.also_ugm3_at_c/);
  });

  it('refuses an unknown method, an unknown key and a negative κ', () => {
    expect(issue({ pm25: { method: 'epa-2020', input: 'pm25_cf1_ugm3' } })).toMatch(/^pm25\.method: /);
    expect(issue({ pm25: { method: 'linear', slope: 1, scale: 2 } })).toMatch(/scale/);
    expect(issue({ pm25: { method: 'kohler', kappa: -1 } })).toMatch(/^pm25\.kappa: /);
  });
});
