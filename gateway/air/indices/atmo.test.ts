import { describe, expect, it } from 'vitest';
import { airIndex, bands, colour, levels } from './index.js';
import type { Pollutant } from './index.js';

// Arrêté du 10 juillet 2020, Annexe I (JORFTEXT000042164835): upper bounds of classes 1–5 in µg/m³, each class
// written "a < c ≤ b" (upper bound inclusive). Typed here from the text, not read from atmo.ts.
const ARRETE: Record<string, readonly number[]> = {
  so2: [100, 200, 350, 500, 750],
  no2: [40, 90, 120, 230, 340],
  o3: [50, 100, 130, 240, 380],
  pm10: [20, 40, 50, 100, 150],
  pm25: [10, 20, 25, 50, 75],
};
const LABELS = ['Bon', 'Moyen', 'Dégradé', 'Mauvais', 'Très mauvais', 'Extrêmement mauvais'];

describe('ATMO (arrêté du 10 juillet 2020)', () => {
  for (const [p, uppers] of Object.entries(ARRETE)) {
    const pollutant = p as Pollutant;
    it(`${p}: a value on a bound stays in the better class, just above it moves up`, () => {
      expect(airIndex('atmo', { [pollutant]: 0 }).level).toBe(1);
      uppers.forEach((edge, i) => {
        const at = airIndex('atmo', { [pollutant]: edge });
        expect([at.level, at.label, at.value]).toEqual([i + 1, LABELS[i], i + 1]);
        const above = airIndex('atmo', { [pollutant]: edge + 0.01 });
        expect([above.level, above.label, above.value]).toEqual([i + 2, LABELS[i + 1], i + 2]);
      });
      expect(airIndex('atmo', { [pollutant]: 10_000 }).label).toBe('Extrêmement mauvais');
    });
  }

  it('uses the official labels and colours, best first', () => {
    expect(levels('atmo').map((l) => [l.label, l.colour])).toEqual([
      ['Bon', '#50F0E6'],
      ['Moyen', '#50CCAA'],
      ['Dégradé', '#F0E641'],
      ['Mauvais', '#FF5050'],
      ['Très mauvais', '#960032'],
      ['Extrêmement mauvais', '#872181'],
    ]);
    expect(colour('atmo', 4)).toBe('#FF5050');
    expect(() => colour('atmo', 7)).toThrow(RangeError);
  });

  it('publishes the bands of a pollutant for legends', () => {
    expect(bands('atmo', 'no2').map((b) => [b.level, b.min, b.max])).toEqual([
      [1, 0, 40],
      [2, 40, 90],
      [3, 90, 120],
      [4, 120, 230],
      [5, 230, 340],
      [6, 340, null],
    ]);
    expect(bands('atmo', 'co')).toEqual([]);
  });

  it('does not index CO', () => {
    expect(() => airIndex('atmo', { co: 1 })).toThrow(/atmo does not index co/);
  });
});
