import { describe, expect, it } from 'vitest';
import { airIndex, bands, levels } from './index.js';
import type { Pollutant, Scheme } from './index.js';

// Upper bounds of bands 1–5 in µg/m³, typed from the sources rather than read from eaqi.ts.
// 2024: ETC HE Report 2024/17, as on airindex.eea.europa.eu (reproduced in open-meteo #2045 / open-meteo-website #1166).
// 2020: the EEA index 2020–2024 (discomap/airindex viewer). The EEA does not say which end is inclusive; Airlane
// keeps a value on a bound in the better band, as the ATMO arrêté does.
const TABLES: Record<'eaqi' | 'eaqi-2020', Record<string, readonly number[]>> = {
  eaqi: {
    pm25: [5, 15, 50, 90, 140],
    pm10: [15, 45, 120, 195, 270],
    no2: [10, 25, 60, 100, 150],
    o3: [60, 100, 120, 160, 180],
    so2: [20, 40, 125, 190, 275],
  },
  'eaqi-2020': {
    pm25: [10, 20, 25, 50, 75],
    pm10: [20, 40, 50, 100, 150],
    no2: [40, 90, 120, 230, 340],
    o3: [50, 100, 130, 240, 380],
    so2: [100, 200, 350, 500, 750],
  },
};
const LABELS = ['Good', 'Fair', 'Moderate', 'Poor', 'Very poor', 'Extremely poor'];

for (const [scheme, table] of Object.entries(TABLES) as [Scheme, Record<string, readonly number[]>][]) {
  describe(`European index, ${scheme}`, () => {
    for (const [p, uppers] of Object.entries(table)) {
      const pollutant = p as Pollutant;
      it(`${p}: every bound and just above it`, () => {
        expect(airIndex(scheme, { [pollutant]: 0 }).label).toBe('Good');
        uppers.forEach((edge, i) => {
          const at = airIndex(scheme, { [pollutant]: edge });
          expect([at.level, at.label, at.value]).toEqual([i + 1, LABELS[i], i + 1]);
          const above = airIndex(scheme, { [pollutant]: edge + 0.01 });
          expect([above.level, above.label, above.value]).toEqual([i + 2, LABELS[i + 1], i + 2]);
        });
        // The 2020 table printed caps (PM2.5 800 …) that end the colour scale; above them is still "Extremely poor".
        expect(airIndex(scheme, { [pollutant]: 5000 }).level).toBe(6);
      });
    }

    it('does not index CO', () => {
      expect(() => airIndex(scheme, { co: 0.5 })).toThrow(RangeError);
    });
  });
}

describe('European index, shared', () => {
  it('labels and colours as the EEA writes them', () => {
    expect(levels('eaqi').map((l) => l.label)).toEqual(LABELS);
    expect(levels('eaqi').map((l) => l.colour)).toEqual(['#50F0E6', '#50CCAA', '#F0E641', '#FF5050', '#960032', '#7D2181']);
    expect(levels('eaqi-2020')).toEqual(levels('eaqi'));
  });

  it('the two versions class the same concentration differently', () => {
    // PM2.5 30: 2024 Moderate (15 < c ≤ 50), 2020 Poor (25 < c ≤ 50). NO2 45: 2024 Moderate (25 < c ≤ 60), 2020 Fair.
    expect(airIndex('eaqi', { pm25: 30 }).label).toBe('Moderate');
    expect(airIndex('eaqi-2020', { pm25: 30 }).label).toBe('Poor');
    expect(airIndex('eaqi', { no2: 45 }).label).toBe('Moderate');
    expect(airIndex('eaqi-2020', { no2: 45 }).label).toBe('Fair');
  });

  it('bands: open top band', () => {
    expect(bands('eaqi', 'pm25').at(-1)).toEqual({ level: 6, label: 'Extremely poor', colour: '#7D2181', min: 140, max: null });
  });
});
