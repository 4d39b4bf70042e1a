import { describe, expect, it } from 'vitest';
import { airIndex, bands, levels } from './index.js';
import type { Pollutant } from './index.js';

// TAD EPA-454/B-24-002 (May 2024) Table 6 with the 2024 PM2.5 rows (89 FR 16202), in the units the CLI takes:
// [BP_lo, BP_hi, I_lo, I_hi]. Typed from the table, not read from us-epa.ts. `step` is the truncation resolution.
const TAD: Record<string, { step: number; rows: [number, number, number, number][] }> = {
  pm25: { step: 0.1, rows: [[0, 9.0, 0, 50], [9.1, 35.4, 51, 100], [35.5, 55.4, 101, 150], [55.5, 125.4, 151, 200], [125.5, 225.4, 201, 300], [225.5, 325.4, 301, 500]] },
  pm10: { step: 1, rows: [[0, 54, 0, 50], [55, 154, 51, 100], [155, 254, 101, 150], [255, 354, 151, 200], [355, 424, 201, 300], [425, 604, 301, 500]] },
  o3: { step: 0.001, rows: [[0, 0.054, 0, 50], [0.055, 0.07, 51, 100], [0.071, 0.085, 101, 150], [0.086, 0.105, 151, 200], [0.106, 0.2, 201, 300]] },
  co: { step: 0.1, rows: [[0, 4.4, 0, 50], [4.5, 9.4, 51, 100], [9.5, 12.4, 101, 150], [12.5, 15.4, 151, 200], [15.5, 30.4, 201, 300], [30.5, 50.4, 301, 500]] },
  so2: { step: 1, rows: [[0, 35, 0, 50], [36, 75, 51, 100], [76, 185, 101, 150], [186, 304, 151, 200]] },
  no2: { step: 1, rows: [[0, 53, 0, 50], [54, 100, 51, 100], [101, 360, 101, 150], [361, 649, 151, 200], [650, 1249, 201, 300], [1250, 2049, 301, 500]] },
};
const LABELS = ['Good', 'Moderate', 'Unhealthy for Sensitive Groups', 'Unhealthy', 'Very Unhealthy', 'Hazardous'];
const aqi = (p: Pollutant, c: number) => airIndex('us-epa', { [p]: c }).sub[p];

describe('US EPA AQI, every breakpoint', () => {
  for (const [p, { step, rows }] of Object.entries(TAD)) {
    const pollutant = p as Pollutant;
    it(`${p}: BP_lo → I_lo, BP_hi → I_hi, and truncation keeps BP_hi + a fraction of a step in the row`, () => {
      rows.forEach(([lo, hi, ilo, ihi], i) => {
        expect(aqi(pollutant, lo)).toEqual({ level: i + 1, label: LABELS[i], value: ilo });
        expect(aqi(pollutant, hi)).toEqual({ level: i + 1, label: LABELS[i], value: ihi });
        // "just above" the edge at finer resolution than the table: truncated back onto the edge.
        expect(aqi(pollutant, hi + step * 0.9)?.value).toBe(ihi);
        const next = rows[i + 1];
        if (next) expect(aqi(pollutant, hi + step)).toEqual({ level: i + 2, label: LABELS[i + 1], value: next[2] });
      });
    });
  }
});

// The two TAD examples below are those of §IV of EPA-454/B-24-002 (the 2018 edition, EPA-454/B-18-007 §II, has the
// same ones). The stored copy of the TAD consulted while writing this showed only its contents page, so the
// expected numbers are also worked out beside each assertion from Table 6.
describe('US EPA AQI, worked examples', () => {
  it('TAD §IV "Using the table and the equation": 8-hour O3 0.07853 ppm → truncated 0.078 → AQI 126', () => {
    // (150 − 101)/(0.085 − 0.071) × (0.078 − 0.071) + 101 = 125.5 → 126: an exact half, rounded up.
    const r = airIndex('us-epa', { o3: 0.07853 });
    expect(r).toMatchObject({ level: 3, label: 'Unhealthy for Sensitive Groups', value: 126, dominant: 'o3' });
  });

  it('TAD §IV "How to handle values from multiple pollutants": O3 0.078 ppm, PM2.5 35.9, CO 8.4 ppm → 126, O3', () => {
    const r = airIndex('us-epa', { o3: 0.078, pm25: 35.9, co: 8.4 });
    expect(r.sub).toEqual({
      o3: { level: 3, label: 'Unhealthy for Sensitive Groups', value: 126 },
      pm25: { level: 3, label: 'Unhealthy for Sensitive Groups', value: 102 }, // 49/19.9 × 0.4 + 101 = 101.98
      co: { level: 2, label: 'Moderate', value: 90 }, // 49/4.9 × 3.9 + 51 = 90
    });
    expect([r.value, r.dominant]).toEqual([126, 'o3']);
  });

  it('2024 PM2.5 rows: 12.0 µg/m³ is Moderate (it was the top of Good until May 2024)', () => {
    // 49/26.3 × (12.0 − 9.1) + 51 = 56.40 → 56
    expect(aqi('pm25', 12.0)).toEqual({ level: 2, label: 'Moderate', value: 56 });
  });

  it('truncates before interpolating: PM2.5 to 0.1, PM10 to 1, O3 to 0.001 ppm, CO to 0.1, NO2/SO2 to 1 ppb', () => {
    expect(aqi('pm25', 9.09)?.value).toBe(50); // 9.0, not 9.1
    expect(aqi('pm10', 54.99)?.value).toBe(50);
    expect(aqi('o3', 0.0549)?.value).toBe(50);
    expect(aqi('co', 4.49)?.value).toBe(50);
    expect(aqi('no2', 53.9)?.value).toBe(50);
    expect(aqi('so2', 35.9)?.value).toBe(50);
  });
});

describe('US EPA AQI, above the table', () => {
  it('extrapolates the 301–500 row and stays Hazardous (AirNow "Beyond the AQI")', () => {
    // PM2.5 500.0: 301 + 199 × (500.0 − 225.5)/(325.4 − 225.5) = 301 + 546.80 = 847.80 → 848
    expect(aqi('pm25', 500)).toEqual({ level: 6, label: 'Hazardous', value: 848 });
    // PM10 700: 301 + 199 × (700 − 425)/(604 − 425) = 606.73 → 607
    expect(aqi('pm10', 700)).toEqual({ level: 6, label: 'Hazardous', value: 607 });
  });

  it('refuses 8-hour O3 above 0.200 ppm and 1-hour SO2 above 304 ppb (their top AQI comes from another period)', () => {
    expect(aqi('o3', 0.2009)?.value).toBe(300);
    expect(() => aqi('o3', 0.201)).toThrow(/1-hour O3/);
    expect(aqi('so2', 304.9)?.value).toBe(200);
    expect(() => aqi('so2', 305)).toThrow(/24-hour SO2/);
  });
});

describe('US EPA AQI, labels and colours', () => {
  it('TAD Table 1 names and Table 2 colours', () => {
    expect(levels('us-epa').map((l) => [l.label, l.colour])).toEqual([
      ['Good', '#00E400'],
      ['Moderate', '#FFFF00'],
      ['Unhealthy for Sensitive Groups', '#FF7E00'],
      ['Unhealthy', '#FF0000'],
      ['Very Unhealthy', '#8F3F97'],
      ['Hazardous', '#7E0023'],
    ]);
  });

  it('bands carry concentrations and AQI numbers', () => {
    expect(bands('us-epa', 'pm25').map((b) => [b.min, b.max, b.aqiMin, b.aqiMax])).toEqual(TAD.pm25?.rows);
    expect(bands('us-epa', 'o3')).toHaveLength(5);
  });
});
