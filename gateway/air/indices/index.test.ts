import { describe, expect, it } from 'vitest';
import { airIndex, bands, SCHEME_INPUTS, SCHEME_POLLUTANTS } from './index.js';
import type { Scheme } from './index.js';

describe('airIndex: overall level and dominant pollutant', () => {
  it('ATMO: the worst sub-index wins and names the pollutant', () => {
    // PM2.5 30 (daily mean) is Mauvais (25 < c ≤ 50); NO2 100 (daily max hourly) is Dégradé; O3 40 is Bon.
    const r = airIndex('atmo', { pm25: 30, no2: 100, o3: 40 });
    expect(r).toEqual({
      scheme: 'atmo',
      level: 4,
      label: 'Mauvais',
      value: 4,
      dominant: 'pm25',
      sub: {
        pm25: { level: 4, label: 'Mauvais', value: 4 },
        no2: { level: 3, label: 'Dégradé', value: 3 },
        o3: { level: 1, label: 'Bon', value: 1 },
      },
    });
  });

  it('EAQI 2024: a kerbside hour where NO2 dominates', () => {
    const r = airIndex('eaqi', { pm25: 12, pm10: 20, no2: 110 });
    expect([r.level, r.label, r.dominant]).toEqual([5, 'Very poor', 'no2']);
  });

  it('ties go to the first pollutant of the fixed order pm25, pm10, no2, o3, so2, co', () => {
    expect(airIndex('atmo', { so2: 150, pm10: 30 }).dominant).toBe('pm10'); // both Moyen
    expect(airIndex('atmo', { o3: 120, pm25: 22, no2: 100 }).dominant).toBe('pm25'); // all Dégradé
    // us-epa compares AQI numbers: PM10 54 and PM2.5 9.0 are both exactly 50.
    expect(airIndex('us-epa', { pm10: 54, pm25: 9.0 }).dominant).toBe('pm25');
    // … and a higher number in the same category wins over the order.
    expect(airIndex('us-epa', { pm25: 9.1, no2: 100 })).toMatchObject({ value: 100, dominant: 'no2', level: 2 });
  });

  it('skips undefined entries', () => {
    expect(airIndex('atmo', { pm25: undefined, pm10: 45 })).toMatchObject({ level: 3, dominant: 'pm10' });
  });
});

describe('airIndex: errors', () => {
  it('refuses negative, NaN and infinite concentrations', () => {
    expect(() => airIndex('atmo', { pm25: -0.1 })).toThrow(/pm25 is -0.1/);
    expect(() => airIndex('eaqi', { no2: Number.NaN })).toThrow(RangeError);
    expect(() => airIndex('us-epa', { pm10: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it('refuses no input', () => {
    expect(() => airIndex('atmo', {})).toThrow(/no concentration given/);
    expect(() => airIndex('eaqi', { pm25: undefined })).toThrow(RangeError);
  });

  it('refuses an unknown scheme, an unknown pollutant and a pollutant the scheme does not index', () => {
    expect(() => airIndex('caqi' as Scheme, { pm25: 1 })).toThrow(/unknown scheme "caqi"/);
    expect(() => airIndex('atmo', { nh3: 1 } as never)).toThrow(/unknown pollutant "nh3"/);
    expect(() => airIndex('eaqi-2020', { co: 1 })).toThrow(/does not index co/);
  });
});

describe('scheme metadata', () => {
  it('lists what each scheme indexes and in which unit', () => {
    expect(SCHEME_POLLUTANTS).toEqual({
      atmo: ['pm25', 'pm10', 'no2', 'o3', 'so2'],
      eaqi: ['pm25', 'pm10', 'no2', 'o3', 'so2'],
      'eaqi-2020': ['pm25', 'pm10', 'no2', 'o3', 'so2'],
      'us-epa': ['pm25', 'pm10', 'no2', 'o3', 'so2', 'co'],
    });
    expect(SCHEME_INPUTS['us-epa']).toEqual({
      pm25: 'µg/m³, 24-hour mean',
      pm10: 'µg/m³, 24-hour mean',
      no2: 'ppb, 1-hour mean',
      o3: 'ppm, 8-hour mean',
      so2: 'ppb, 1-hour mean',
      co: 'ppm, 8-hour mean',
    });
    expect(SCHEME_INPUTS.atmo.no2).toBe('µg/m³, daily max of hourly means');
  });

  it('every scheme has six bands per indexed pollutant, except us-epa O3 and SO2', () => {
    for (const [scheme, pollutants] of Object.entries(SCHEME_POLLUTANTS) as [Scheme, string[]][]) {
      for (const p of pollutants) {
        const expected = scheme === 'us-epa' && p === 'o3' ? 5 : scheme === 'us-epa' && p === 'so2' ? 4 : 6;
        expect(bands(scheme, p as never), `${scheme} ${p}`).toHaveLength(expected);
      }
    }
  });
});
