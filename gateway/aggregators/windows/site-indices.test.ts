import { describe, expect, it } from 'vitest';
import { atmoDay, dayRange, eaqiHour, HOUR_MS, no2Ppb, usEpaHour } from './site-indices.js';
import { QC } from '../../core/qc.js';

const iso = (t: number) => new Date(t).toISOString();
const full = (f: Record<string, number>) => ({ completeness_pct: 100, ...f });

describe('Europe/Paris day for ATMO', () => {
  it('starts at local midnight, with 23 and 25 hour days at the DST changes', () => {
    expect(dayRange(Date.parse('2026-11-25T22:59:59Z')).map(iso)).toEqual(['2026-11-24T23:00:00.000Z', '2026-11-25T23:00:00.000Z']);
    expect(dayRange(Date.parse('2026-11-25T23:00:00Z')).map(iso)).toEqual(['2026-11-25T23:00:00.000Z', '2026-11-26T23:00:00.000Z']);
    expect(dayRange(Date.parse('2026-07-01T12:00:00Z')).map(iso)).toEqual(['2026-06-30T22:00:00.000Z', '2026-07-01T22:00:00.000Z']);
    expect(dayRange(Date.parse('2026-03-29T12:00:00Z')).map(iso)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(dayRange(Date.parse('2026-10-25T12:00:00Z')).map(iso)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });
});

describe('per-site indices for a crafted day', () => {
  // Paris day 25 November 2026 = [24 Nov 23:00Z, 25 Nov 23:00Z). Raw PM2.5 reads 30 all day; the corrected one
  // (used first) is 8 for 12 hours and 14 for 12 → daily mean 11 → ATMO PM2.5 level 2 (10 < c ≤ 20).
  // PM10 mean 18 → level 1 (≤ 20). NO2 hourly max 95 µg/m³ → level 3 (90 < c ≤ 120): ATMO 3, dominant NO2.
  const day = Date.parse('2026-11-24T23:00:00Z');
  const hours = new Map<number, Record<string, number>>();
  for (let i = 0; i < 24; i++) {
    hours.set(day + i * HOUR_MS, full({ pm25_ugm3: 30, pm25_corrected_ugm3: i < 12 ? 8 : 14, pm10_ugm3: 18, no2_ugm3: i === 17 ? 95 : 30 }));
  }

  it('ATMO: PM daily means and the NO2 daily max of hourly means, indicative at a kerbside site', () => {
    expect(atmoDay('rue', day, hours, true)).toEqual({
      measurement: 'aqi',
      tags: { site: 'rue', scheme: 'atmo' },
      fields: { level: 3, value: 3, dominant: 3, pm25_level: 2, pm10_level: 1, no2_level: 3, indicative: 1, hours: 24, qc: 0 },
      time: day,
    });
    expect(atmoDay('rue', day, hours, false)?.fields.indicative).toBe(0);
  });

  it('ATMO: incomplete hours are left out, and a day under 18 hours is flagged low_completeness', () => {
    const part = new Map([...hours].slice(0, 17));
    part.set(day + 20 * HOUR_MS, { completeness_pct: 50, pm25_corrected_ugm3: 500, no2_ugm3: 500 }); // ignored
    // 17 hours: PM2.5 (12 × 8 + 5 × 14) / 17 = 9.76 → 1; NO2 max 30 → 1; a tie names PM2.5 (POLLUTANT_ORDER).
    expect(atmoDay('rue', day, part, true)?.fields).toEqual({ level: 1, value: 1, dominant: 1, pm25_level: 1, pm10_level: 1, no2_level: 1, indicative: 1, hours: 17, qc: QC.low_completeness });
  });

  it('EAQI (2024, hourly): corrected PM2.5 12 → 2; NO2 20 ppb = 38.25 µg/m³ at 20 °C → 3', () => {
    const m = eaqiHour('rue', day, full({ pm25_ugm3: 40, pm25_corrected_ugm3: 12, no2_ppb: 20 }));
    expect(m?.fields).toEqual({ level: 3, value: 3, dominant: 3, pm25_level: 2, no2_level: 3, qc: 0 });
    expect(eaqiHour('rue', day, { completeness_pct: 74, pm25_ugm3: 3 })).toBeUndefined();
  });

  it('US EPA: NowCast of 12 steady hours of 20 µg/m³ → AQI 71; NO2 100 µg/m³ = 53 ppb at 25 °C → 50', () => {
    // AQI = (100 − 51)/(35.4 − 9.1) · (20.0 − 9.1) + 51 = 71.3 → 71 (2024 breakpoints, air-quality.md §3).
    const h = new Map<number, Record<string, number>>();
    const at = day + 11 * HOUR_MS;
    for (let i = 0; i < 12; i++) h.set(day + i * HOUR_MS, full({ pm25_ugm3: 20, no2_ugm3: 100 }));
    expect(no2Ppb({ no2_ugm3: 100 })).toBeCloseTo(53.18, 2);
    expect(usEpaHour('rue', at, h)?.fields).toEqual({ level: 2, value: 71, dominant: 1, pm25_level: 2, pm25_aqi: 71, no2_level: 1, no2_aqi: 50, nowcast_pm25_ugm3: 20, qc: 0 });
    // Two of the three latest hours missing: no NowCast, the NO2 sub-index alone.
    h.delete(at - HOUR_MS);
    h.delete(at - 2 * HOUR_MS);
    expect(usEpaHour('rue', at, h)?.fields).toEqual({ level: 1, value: 50, dominant: 3, no2_level: 1, no2_aqi: 50, qc: 0 });
  });

  it('nothing usable gives no point', () => {
    expect(eaqiHour('rue', day, full({ temperature_c: 12 }))).toBeUndefined();
    expect(atmoDay('rue', day, new Map(), true)).toBeUndefined();
  });
});
