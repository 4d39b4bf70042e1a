import { describe, expect, it } from 'vitest';
import {
  aan803, aan803WeMv, algorithm1, algorithmsFor, correctionFactor, interpolateFactor, NO2_FACTORS, no2PpbToUgm3, nT,
  weMvForPpb, type AlgorithmId, type CorrectionSettings, type Series,
} from './algorithm.js';
import { no2B43fOptionsSchema } from './options.js';
import { sample212060308, sheet202440338, sheet202440340, sheet212060308 } from './fixtures.js';

const settings = (sheet: object, algorithm: AlgorithmId, series: Series = 'B4'): CorrectionSettings =>
  no2B43fOptionsSchema.parse({ ...sheet, series, algorithm });

describe('AAN 803 factor tables (protocols.md §6)', () => {
  const steps = [-30, -20, -10, 0, 10, 20, 30, 40, 50];

  it('B4 (NO2-B43F): nT, kT, k′T, k″T at the 10 °C steps', () => {
    const row = (a: AlgorithmId) => steps.map((t) => correctionFactor('B4', a, t));
    expect(row(1)).toEqual([1.3, 1.3, 1.3, 1.3, 1.0, 0.6, 0.4, 0.2, -1.5]);
    expect(row(2)).toEqual([2.2, 2.2, 2.2, 2.2, 1.7, 1.0, 0.7, 0.3, -2.5]);
    expect(row(3)).toEqual([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.4, -0.1, -4.0]);
    expect(row(4)).toEqual([7, 7, 7, 7, 4, 0, 0.5, 5, 67]);
  });

  it('A4 (NO2-A43F): nT and k′T only', () => {
    expect(steps.map((t) => correctionFactor('A4', 1, t))).toEqual([0.8, 0.8, 1.0, 1.2, 1.6, 1.8, 1.9, 2.5, 3.6]);
    expect(steps.map((t) => correctionFactor('A4', 3, t))).toEqual([0.2, 0.2, 0.2, 0.2, 0.7, 1.0, 1.3, 2.1, 3.5]);
    expect(algorithmsFor('A4')).toEqual([1, 3]);
    expect(algorithmsFor('B4')).toEqual([1, 2, 3, 4]);
  });

  it('interpolates linearly between steps', () => {
    expect(nT('B4', 15)).toBeCloseTo(0.8, 12); // (1.0 + 0.6) / 2
    expect(nT('B4', 45)).toBeCloseTo(-0.65, 12); // (0.2 − 1.5) / 2
    expect(nT('B4', 2.5)).toBeCloseTo(1.225, 12); // 1.3 − 0.3 · 0.25
    expect(correctionFactor('B4', 2, 15)).toBeCloseTo(1.35, 12); // (1.7 + 1.0) / 2
    expect(correctionFactor('B4', 3, 35)).toBeCloseTo(0.15, 12); // (0.4 − 0.1) / 2
    expect(correctionFactor('B4', 4, 15)).toBeCloseTo(2, 12); // (4 + 0) / 2
    expect(correctionFactor('B4', 4, 45)).toBeCloseTo(36, 12); // (5 + 67) / 2
    expect(correctionFactor('A4', 1, 15)).toBeCloseTo(1.7, 12); // (1.6 + 1.8) / 2
    expect(correctionFactor('A4', 3, 15)).toBeCloseTo(0.85, 12); // (0.7 + 1.0) / 2
  });

  it('clamps outside −30…50 °C to the end values', () => {
    expect([1, 2, 3, 4].map((a) => correctionFactor('B4', a as AlgorithmId, -40))).toEqual([1.3, 2.2, 1.0, 7]);
    expect([1, 2, 3, 4].map((a) => correctionFactor('B4', a as AlgorithmId, 60))).toEqual([-1.5, -2.5, -4.0, 67]);
    expect([correctionFactor('A4', 1, -40), correctionFactor('A4', 3, 60)]).toEqual([0.8, 3.5]);
  });

  it('rejects a missing temperature', () => {
    expect(() => interpolateFactor(NO2_FACTORS.B4[1], Number.NaN)).toThrow(/finite/);
  });

  it('refuses an algorithm the series has no table for, saying which ones it has', () => {
    expect(() => correctionFactor('A4', 2, 20)).toThrow(
      "AAN 803 algorithm 2 needs a kT table, and there is none for series A4 (NO2-A43F) — only for B4; set algorithm: 1 or 3",
    );
    expect(() => correctionFactor('A4', 4, 20)).toThrow(/algorithm 4 needs a k''T table.*series A4.*set algorithm: 1 or 3/);
  });
});

// Hand-worked with the real sheet of NO2-B43F 202440338 (smartcitizen-data calibrations.json, see fixtures.ts):
// WEe 232.95, AEe 217.2, WEo −29.492, AEo −18.396 mV, sensitivity 0.247543 mV/ppb.
// Raw outputs chosen for the example: WEu 260.00, AEu 199.00 mV → WEt = 27.05 mV, AEt = −18.20 mV;
// WEo/AEo = 29.492/18.396 = 1.6031746; WEo − AEo = −11.096 mV.
describe('AAN 803 algorithms 1–4, series B4, sensor 202440338 (WEu 260.00 mV, AEu 199.00 mV)', () => {
  const cases: { algorithm: AlgorithmId; t: number; factor: number; weC: number; ppb: number; work: string }[] = [
    { algorithm: 1, t: 30, factor: 0.4, weC: 34.33, ppb: 138.683, work: '27.05 − 0.4·(−18.2) = 34.33' },
    { algorithm: 1, t: 15, factor: 0.8, weC: 41.61, ppb: 168.092, work: '27.05 − 0.8·(−18.2) = 41.61' },
    { algorithm: 1, t: -40, factor: 1.3, weC: 50.71, ppb: 204.853, work: '27.05 − 1.3·(−18.2) = 50.71' },
    { algorithm: 1, t: 60, factor: -1.5, weC: -0.25, ppb: -1.00993, work: '27.05 + 1.5·(−18.2) = −0.25' },
    { algorithm: 2, t: 30, factor: 0.7, weC: 47.474444, ppb: 191.7826, work: '27.05 − 0.7·1.6031746·(−18.2) = 27.05 + 20.424444' },
    { algorithm: 2, t: 15, factor: 1.35, weC: 66.44, ppb: 268.3978, work: '27.05 − 1.35·1.6031746·(−18.2) = 27.05 + 39.39' },
    { algorithm: 2, t: -40, factor: 2.2, weC: 91.241111, ppb: 368.5869, work: '27.05 − 2.2·1.6031746·(−18.2) = 27.05 + 64.191111' },
    { algorithm: 2, t: 60, factor: -2.5, weC: -45.894444, ppb: -185.3999, work: '27.05 + 2.5·1.6031746·(−18.2) = 27.05 − 72.944444' },
    { algorithm: 3, t: 30, factor: 0.4, weC: 45.426, ppb: 183.5075, work: '27.05 + 11.096 − 0.4·(−18.2) = 45.426' },
    { algorithm: 3, t: 15, factor: 1.0, weC: 56.346, ppb: 227.6211, work: '27.05 + 11.096 − 1.0·(−18.2) = 56.346' },
    { algorithm: 3, t: 35, factor: 0.15, weC: 40.876, ppb: 165.1269, work: '27.05 + 11.096 − 0.15·(−18.2) = 40.876' },
    { algorithm: 3, t: -40, factor: 1.0, weC: 56.346, ppb: 227.6211, work: '27.05 + 11.096 − 1.0·(−18.2) = 56.346' },
    { algorithm: 3, t: 60, factor: -4.0, weC: -34.654, ppb: -139.9918, work: '27.05 + 11.096 + 4.0·(−18.2) = −34.654' },
    { algorithm: 4, t: 30, factor: 0.5, weC: 56.042, ppb: 226.393, work: '27.05 + 29.492 − 0.5 = 56.042' },
    { algorithm: 4, t: 15, factor: 2, weC: 54.542, ppb: 220.3334, work: '27.05 + 29.492 − 2 = 54.542' },
    { algorithm: 4, t: -40, factor: 7, weC: 49.542, ppb: 200.1349, work: '27.05 + 29.492 − 7 = 49.542' },
    { algorithm: 4, t: 60, factor: 67, weC: -10.458, ppb: -42.2472, work: '27.05 + 29.492 − 67 = −10.458' },
  ];

  for (const c of cases) {
    it(`algorithm ${c.algorithm} at ${c.t} °C: WEc = ${c.work} mV → ${c.ppb} ppb`, () => {
      const r = aan803(settings(sheet202440338, c.algorithm), 260, 199, c.t);
      expect(r.algorithm).toBe(c.algorithm);
      expect(r.factor).toBeCloseTo(c.factor, 12);
      expect(r.weCorrectedMv).toBeCloseTo(c.weC, 6);
      expect(r.ppb).toBeCloseTo(c.ppb, 3);
    });
  }

  it('algorithm 1 through aan803 equals the sheet-free algorithm1()', () => {
    for (const t of [-35, 12.3, 48]) {
      expect(aan803(settings(sheet202440338, 1), 260, 199, t).ppb).toBeCloseTo(algorithm1(sheet202440338, 'B4', 260, 199, t).ppb, 12);
    }
  });
});

// Sensor 202440340: WEe 232.27 mV, AEe 233.04 mV, 0.27448 mV/ppb. WEu 245.50 mV, AEu 221.30 mV at 30 °C:
// WEt = 13.23, AEt = −11.74, nT = 0.4 → WEc = 13.23 + 4.696 = 17.926 mV → 65.309 ppb → 124.903 µg/m³.
describe('AAN 803 algorithm 1, sensor 202440340', () => {
  it('30 °C hand-worked example', () => {
    const r = algorithm1(sheet202440340, 'B4', 245.5, 221.3, 30);
    expect(r.weCorrectedMv).toBeCloseTo(17.926, 10);
    expect(r.ppb).toBeCloseTo(65.309, 3);
    expect(no2PpbToUgm3(r.ppb)).toBeCloseTo(124.903, 3);
  });
});

// Hand-worked with the real sheet of NO2-A43F 212060308 (scs_core gas_request.py, see fixtures.ts): WEe 309,
// AEe 308, WEo 3, AEo 1 mV, 0.192 mV/ppb, and its recorded raw outputs WEu 315.69, AEu 309.50 mV
// → WEt = 6.69 mV, AEt = 1.50 mV; WEo − AEo = 2 mV.
describe('AAN 803 algorithms 1 and 3, series A4, sensor 212060308 (WEu 315.69 mV, AEu 309.50 mV)', () => {
  const cases: { algorithm: AlgorithmId; t: number; factor: number; weC: number; ppb: number; work: string }[] = [
    { algorithm: 1, t: 30, factor: 1.9, weC: 3.84, ppb: 20.0, work: '6.69 − 1.9·1.5 = 3.84' },
    { algorithm: 1, t: 15, factor: 1.7, weC: 4.14, ppb: 21.5625, work: '6.69 − 1.7·1.5 = 4.14' },
    { algorithm: 1, t: -40, factor: 0.8, weC: 5.49, ppb: 28.59375, work: '6.69 − 0.8·1.5 = 5.49' },
    { algorithm: 1, t: 60, factor: 3.6, weC: 1.29, ppb: 6.71875, work: '6.69 − 3.6·1.5 = 1.29' },
    { algorithm: 3, t: 30, factor: 1.3, weC: 2.74, ppb: 14.270833, work: '6.69 − 2 − 1.3·1.5 = 2.74' },
    { algorithm: 3, t: 15, factor: 0.85, weC: 3.415, ppb: 17.786458, work: '6.69 − 2 − 0.85·1.5 = 3.415' },
    { algorithm: 3, t: -40, factor: 0.2, weC: 4.39, ppb: 22.864583, work: '6.69 − 2 − 0.2·1.5 = 4.39' },
    { algorithm: 3, t: 60, factor: 3.5, weC: -0.56, ppb: -2.916667, work: '6.69 − 2 − 3.5·1.5 = −0.56' },
  ];

  for (const c of cases) {
    it(`algorithm ${c.algorithm} at ${c.t} °C: WEc = ${c.work} mV → ${c.ppb} ppb`, () => {
      const r = aan803(settings(sheet212060308, c.algorithm, 'A4'), 315.69, 309.5, c.t);
      expect(r.factor).toBeCloseTo(c.factor, 12);
      expect(r.weCorrectedMv).toBeCloseTo(c.weC, 9);
      expect(r.ppb).toBeCloseTo(c.ppb, 5);
    });
  }

  it("reproduces scs_core's recorded weC 0.00395 V for that sample to within the recording's rounding", () => {
    // 22.2 °C: nT = 1.8 + 0.22·(1.9 − 1.8) = 1.822; WEc = 6.69 − 1.822·1.5 = 3.957 mV. The inputs are rounded to
    // 0.01 mV (±0.005 on WE, ±1.822·0.005 through AE) and weC to 0.01 mV (±0.005): 0.0191 mV in all.
    const { weMv, aeMv, temperatureC, weCorrectedMv } = sample212060308;
    const r = aan803(settings(sheet212060308, 1, 'A4'), weMv, aeMv, temperatureC);
    expect(r.weCorrectedMv).toBeCloseTo(3.957, 9);
    expect(Math.abs(r.weCorrectedMv - weCorrectedMv)).toBeLessThanOrEqual(0.0191);
  });
});

describe('refusals for direct callers (the options refuse the same settings, no2-b43f.test.ts)', () => {
  it('an algorithm the series has no table for', () => {
    const s = { ...settings(sheet212060308, 1, 'A4'), algorithm: 2 as const };
    expect(() => aan803(s, 315.69, 309.5, 20)).toThrow(/^algorithm: AAN 803 algorithm 2 needs a kT table/);
    expect(() => aan803WeMv(s, 10, 309.5, 20)).toThrow(RangeError);
  });

  it('algorithm 2 with AEo = 0 (it divides by AEo)', () => {
    const s = { ...settings(sheet202440338, 2), ae_zero_sensor_mv: 0 };
    expect(() => aan803(s, 260, 199, 20)).toThrow(
      'ae_zero_sensor_mv: AAN 803 algorithm 2 scales AE by WEo/AEo and ae_zero_sensor_mv (AEo) is 0; copy AEo from the calibration sheet, or use algorithm 1, 3 or 4',
    );
  });
});

describe('ppb → µg/m³ and the inverse used by the simulator', () => {
  it('uses 1.9125 µg/m³ per ppb (20 °C, 101.325 kPa; air-quality.md §6)', () => {
    expect(no2PpbToUgm3(40)).toBeCloseTo(76.5, 12);
  });

  it('aan803WeMv is the exact inverse of aan803 for every table', () => {
    const combos: [object, Series, AlgorithmId][] = [
      ...([1, 2, 3, 4] as const).map((a) => [sheet202440338, 'B4', a] as [object, Series, AlgorithmId]),
      [sheet212060308, 'A4', 1],
      [sheet212060308, 'A4', 3],
    ];
    for (const [sheet, series, algorithm] of combos) {
      const s = settings(sheet, algorithm, series);
      for (const t of [-35, -5, 12.3, 27, 48, 55]) {
        const we = aan803WeMv(s, 42.5, 201.7, t);
        expect(aan803(s, we, 201.7, t).ppb).toBeCloseTo(42.5, 9);
      }
    }
  });

  it('weMvForPpb (algorithm 1) agrees with aan803WeMv', () => {
    expect(weMvForPpb(sheet202440338, 'B4', 42.5, 201.7, 12.3)).toBeCloseTo(aan803WeMv(settings(sheet202440338, 1), 42.5, 201.7, 12.3), 12);
  });
});
