import { describe, expect, it } from 'vitest';
import { algorithm1, interpolateFactor, NO2_FACTORS, no2PpbToUgm3, nT, weMvForPpb } from './algorithm.js';
import { sheet202440338, sheet202440340 } from './fixtures.js';

describe('AAN 803 nT for the B4-series NO2-B43F', () => {
  it('returns the table values at the 10 °C steps', () => {
    expect([-30, -20, -10, 0, 10, 20, 30, 40, 50].map((t) => nT('B4', t))).toEqual([1.3, 1.3, 1.3, 1.3, 1.0, 0.6, 0.4, 0.2, -1.5]);
  });

  it('interpolates linearly between steps: 15 °C → (1.0 + 0.6) / 2 = 0.8', () => {
    expect(nT('B4', 15)).toBeCloseTo(0.8, 12);
    expect(nT('B4', 45)).toBeCloseTo(-0.65, 12); // (0.2 − 1.5) / 2
    expect(nT('B4', 2.5)).toBeCloseTo(1.225, 12); // 1.3 − 0.3 · 0.25
  });

  it('clamps outside −30…50 °C: −40 °C → 1.3, 60 °C → −1.5', () => {
    expect(nT('B4', -40)).toBe(1.3);
    expect(nT('B4', 60)).toBe(-1.5);
  });

  it('rejects a missing temperature', () => {
    expect(() => interpolateFactor(NO2_FACTORS.B4[1], Number.NaN)).toThrow(/finite/);
  });
});

// Hand-worked with the real sheet of sensor 202440338 (smartcitizen-data calibrations.json, see fixtures.ts):
// WEe 232.95 mV, AEe 217.2 mV, sensitivity 0.247543 mV/ppb. Raw outputs chosen for the example:
// WEu 260.00 mV, AEu 199.00 mV → WEt = 27.05 mV, AEt = −18.20 mV.
describe('AAN 803 algorithm 1, sensor 202440338', () => {
  const c = sheet202440338;

  it('20 °C: nT 0.6, WEc = 27.05 + 0.6·18.2 = 37.97 mV → 153.39 ppb → 293.35 µg/m³', () => {
    const r = algorithm1(c, 'B4', 260, 199, 20);
    expect(r.nT).toBe(0.6);
    expect(r.weCorrectedMv).toBeCloseTo(37.97, 10);
    expect(r.ppb).toBeCloseTo(153.387, 3);
    expect(no2PpbToUgm3(r.ppb)).toBeCloseTo(293.354, 3);
  });

  it('15 °C: nT 0.8, WEc = 27.05 + 0.8·18.2 = 41.61 mV → 168.09 ppb', () => {
    const r = algorithm1(c, 'B4', 260, 199, 15);
    expect(r.weCorrectedMv).toBeCloseTo(41.61, 10);
    expect(r.ppb).toBeCloseTo(168.092, 3);
  });

  it('−40 °C uses the −30 °C factor: WEc = 27.05 + 1.3·18.2 = 50.71 mV → 204.85 ppb', () => {
    const r = algorithm1(c, 'B4', 260, 199, -40);
    expect(r.weCorrectedMv).toBeCloseTo(50.71, 10);
    expect(r.ppb).toBeCloseTo(204.853, 3);
  });

  it('60 °C uses the 50 °C factor: WEc = 27.05 − 1.5·18.2 = −0.25 mV → −1.01 ppb', () => {
    const r = algorithm1(c, 'B4', 260, 199, 60);
    expect(r.weCorrectedMv).toBeCloseTo(-0.25, 10);
    expect(r.ppb).toBeCloseTo(-1.00993, 4);
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

describe('ppb → µg/m³ and the inverse used by the simulator', () => {
  it('uses 1.9125 µg/m³ per ppb (20 °C, 101.325 kPa; air-quality.md §6)', () => {
    expect(no2PpbToUgm3(40)).toBeCloseTo(76.5, 12);
  });

  it('weMvForPpb is the exact inverse of algorithm 1', () => {
    for (const t of [-35, -5, 12.3, 27, 48, 55]) {
      const we = weMvForPpb(sheet202440338, 'B4', 42.5, 201.7, t);
      expect(algorithm1(sheet202440338, 'B4', we, 201.7, t).ppb).toBeCloseTo(42.5, 9);
    }
  });
});
