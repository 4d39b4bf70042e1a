import { describe, expect, it } from 'vitest';
import { runCalcAqi, runCalcNowcast } from './calc-aqi.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('airlane calc aqi', () => {
  it('prints one JSON object with the overall level and every sub-index (ATMO, French labels)', () => {
    const c = capture();
    expect(runCalcAqi({ scheme: 'atmo', pm25: '30', no2: '100' }, c.io)).toBe(0);
    expect(c.err).toEqual([]);
    expect(c.out).toHaveLength(1);
    expect(JSON.parse(c.out[0] ?? '')).toEqual({
      scheme: 'atmo',
      level: 4,
      label: 'Mauvais',
      value: 4,
      dominant: 'pm25',
      sub: { pm25: { level: 4, label: 'Mauvais', value: 4 }, no2: { level: 3, label: 'Dégradé', value: 3 } },
    });
  });

  it('us-epa: the TAD multiple-pollutant example', () => {
    const c = capture();
    expect(runCalcAqi({ scheme: 'us-epa', o3: '0.078', pm25: '35.9', co: '8.4' }, c.io)).toBe(0);
    expect(JSON.parse(c.out[0] ?? '')).toMatchObject({ level: 3, label: 'Unhealthy for Sensitive Groups', value: 126, dominant: 'o3' });
    expect(JSON.parse(c.out[0] ?? '').sub.pm25).toEqual({ level: 3, label: 'Unhealthy for Sensitive Groups', value: 102 });
  });

  it('eaqi and eaqi-2020 read the same hour differently', () => {
    const a = capture();
    const b = capture();
    runCalcAqi({ scheme: 'eaqi', pm25: '30' }, a.io);
    runCalcAqi({ scheme: 'eaqi-2020', pm25: '30' }, b.io);
    expect(JSON.parse(a.out[0] ?? '').label).toBe('Moderate');
    expect(JSON.parse(b.out[0] ?? '').label).toBe('Poor');
  });

  it('accepts decimals, exponents and surrounding spaces', () => {
    const c = capture();
    expect(runCalcAqi({ scheme: 'atmo', pm10: ' 4.5e1 ' }, c.io)).toBe(0);
    expect(JSON.parse(c.out[0] ?? '')).toMatchObject({ level: 3, dominant: 'pm10' });
  });

  const usage: [string, Parameters<typeof runCalcAqi>[0], RegExp][] = [
    ['missing scheme', { pm25: '5' }, /^--scheme is required; one of atmo, eaqi, eaqi-2020, us-epa$/],
    ['unknown scheme', { scheme: 'caqi', pm25: '5' }, /^--scheme "caqi" is unknown; one of atmo, eaqi, eaqi-2020, us-epa$/],
    ['not a number', { scheme: 'atmo', pm25: '12abc' }, /^--pm25 "12abc" is not a number; give a concentration ≥ 0 in µg\/m³, daily mean$/],
    ['empty value', { scheme: 'atmo', no2: '' }, /^--no2 "" is not a number/],
    ['negative', { scheme: 'us-epa', o3: '-0.01' }, /^--o3 -0.01 is negative; give a concentration ≥ 0 in ppm, 8-hour mean$/],
    ['pollutant not indexed', { scheme: 'atmo', co: '1' }, /^--co: atmo does not index co; it takes --pm25, --pm10, --no2, --o3, --so2$/],
    ['no pollutant', { scheme: 'eaqi' }, /^give at least one concentration; eaqi takes --pm25 \(µg\/m³, hourly mean\)/],
    ['O3 above the 8-hour table', { scheme: 'us-epa', o3: '0.25' }, /^--o3: 8-hour O3 above 0.200 ppm/],
    ['SO2 above the 1-hour table', { scheme: 'us-epa', so2: '400' }, /^--so2: 1-hour SO2 above 304 ppb/],
  ];
  for (const [what, opts, message] of usage) {
    it(`exit 2 with one plain line on stderr: ${what}`, () => {
      const c = capture();
      expect(runCalcAqi(opts, c.io)).toBe(2);
      expect(c.out).toEqual([]);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(message);
    });
  }
});

describe('airlane calc nowcast', () => {
  it('AirNow worked example, most recent first with an empty entry for the missing hour', () => {
    const c = capture();
    expect(runCalcNowcast({ pm25: '21,,35,49.2,48.6,53.7,66.2,69.2,64.9,50,43,34.9' }, c.io)).toBe(0);
    expect(c.out).toEqual(['{"nowcast":28.4,"aqi":87,"label":"Moderate"}']);
  });

  it('prints nulls when 2 of the 3 latest hours are missing', () => {
    const c = capture();
    expect(runCalcNowcast({ pm25: ',,12,12,12' }, c.io)).toBe(0);
    expect(c.out).toEqual(['{"nowcast":null,"aqi":null,"label":null}']);
  });

  const usage: [string, { pm25?: string }, RegExp][] = [
    ['missing flag', {}, /^--pm25 is required: hourly PM2.5 means in µg\/m³, most recent first/],
    ['not a number', { pm25: '12,x,3' }, /^--pm25 entry 2 "x" is not a number; give an hourly mean ≥ 0 in µg\/m³, or nothing for a missing hour$/],
    ['negative', { pm25: '12,-3' }, /^--pm25 entry 2 -3 is negative/],
    ['more than 12 hours', { pm25: '1,1,1,1,1,1,1,1,1,1,1,1,1' }, /^--pm25 has 13 hours; .* at most 12/],
  ];
  for (const [what, opts, message] of usage) {
    it(`exit 2: ${what}`, () => {
      const c = capture();
      expect(runCalcNowcast(opts, c.io)).toBe(2);
      expect(c.out).toEqual([]);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(message);
    });
  }
});
