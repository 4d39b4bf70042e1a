import { describe, expect, it } from 'vitest';
import { NO2_UGM3_PER_PPB_20C } from '../../../firmware/drivers/no2-b43f/index.js';
import {
  epa2021, epaFasm, epaFasmRaw, kohler, kohlerGrowth, linear, molarVolumeL, ppbToUgm3, ugm3PerPpb, ugm3ToPpb,
} from './index.js';

describe('linear (slope · x + offset)', () => {
  it('applies slope and offset', () => {
    expect(linear(40, { slope: 1.05, offset: -2 })).toEqual({ value: 40, clamped: false });
    expect(linear(12.5, { slope: 0.8, offset: 1.5 }).value).toBeCloseTo(11.5, 12);
  });
  it('clamps a negative result at 0 and says so', () => {
    expect(linear(1, { slope: 1.05, offset: -2 })).toEqual({ value: 0, clamped: true });
  });
});

// Barkjohn, Gantt & Clements 2021: 0.524·x − 0.0862·RH + 5.75 (values worked by hand).
describe('epa2021', () => {
  it('20 µg/m³ CF=1 at 60 % RH: 10.48 − 5.172 + 5.75 = 11.058', () => {
    expect(epa2021(20, 60).value).toBeCloseTo(11.058, 9);
  });
  it('clamps RH to 0–100 before use', () => {
    expect(epa2021(20, 130).value).toBeCloseTo(epa2021(20, 100).value, 12);
    expect(epa2021(20, -5).value).toBeCloseTo(0.524 * 20 + 5.75, 12);
  });
  it('clean humid air would go negative (−2.87): clamped at 0', () => {
    expect(epa2021(0, 100)).toEqual({ value: 0, clamped: true });
  });
  it('refuses a missing value', () => {
    expect(() => epa2021(Number.NaN, 50)).toThrow(/pm25/);
  });
});

// The 2022 five-segment AirNow Fire and Smoke Map correction (Barkjohn et al. 2022; EPA SI 353088 slide 26).
describe('epaFasm', () => {
  it('below 30: the 2021 fit', () => {
    expect(epaFasm(20, 60).value).toBeCloseTo(11.058, 9);
  });
  it('30–50 blend: x 40, RH 50 → a = 0.5, slope 0.655: 26.2 − 4.31 + 5.75 = 27.64', () => {
    expect(epaFasm(40, 50).value).toBeCloseTo(27.64, 9);
  });
  it('50–210: 0.786 slope; x 100, RH 60 → 78.6 − 5.172 + 5.75 = 79.178', () => {
    expect(epaFasm(100, 60).value).toBeCloseTo(79.178, 9);
  });
  it('210–260 blend: x 235, RH 50 → b = 0.5: 173.43 − 2.155 + 1.483 + 2.875 + 24.40945 = 200.04245', () => {
    expect(epaFasm(235, 50).value).toBeCloseTo(200.04245, 9);
  });
  it('from 260 the quadratic, without RH: x 300 → 2.966 + 207 + 79.56 = 289.526', () => {
    expect(epaFasm(300, 10).value).toBeCloseTo(289.526, 9);
    expect(epaFasm(300, 90).value).toBeCloseTo(289.526, 9);
  });
  it('is continuous at 30, 50, 210 and 260 for every RH', () => {
    for (const rh of [0, 35, 70, 100]) {
      for (const bp of [30, 50, 210, 260]) {
        expect(epaFasmRaw(bp - 1e-9, rh)).toBeCloseTo(epaFasmRaw(bp, rh), 6);
      }
    }
    // the segment values at the joints, worked by hand at RH 50
    expect(epaFasmRaw(30, 50)).toBeCloseTo(0.524 * 30 - 4.31 + 5.75, 9); // 17.16
    expect(epaFasmRaw(50, 50)).toBeCloseTo(0.786 * 50 - 4.31 + 5.75, 9); // 40.74
    expect(epaFasmRaw(210, 50)).toBeCloseTo(0.786 * 210 - 4.31 + 5.75, 9); // 166.5
    expect(epaFasmRaw(260, 50)).toBeCloseTo(2.966 + 0.69 * 260 + 8.84e-4 * 260 * 260, 9); // 242.1244
  });
  it('rises monotonically through the smoke range', () => {
    let prev = -Infinity;
    for (let x = 0; x <= 1000; x += 2.5) {
      const y = epaFasmRaw(x, 50);
      expect(y).toBeGreaterThan(prev);
      prev = y;
    }
  });
  it('is not the two-piece interim formula (x ≤ 343: 0.52·x − 0.086·RH + 5.75)', () => {
    expect(epaFasm(100, 60).value).not.toBeCloseTo(0.52 * 100 - 0.086 * 60 + 5.75, 1);
  });
  it('never negative', () => {
    expect(epaFasm(0, 100)).toEqual({ value: 0, clamped: true });
  });
});

// Crilley et al. 2018: C = 1 + (κ/1.65)/(1/a_w − 1).
describe('kohler', () => {
  it('30 µg/m³ at 80 % RH, κ 0.4: C = 1 + 0.242424/0.25 = 1.969697 → 15.2308', () => {
    const r = kohler(30, 80, 0.4);
    expect(r.growth).toBeCloseTo(1.969697, 6);
    expect(r.value).toBeCloseTo(15.230769, 5);
    expect(r.rhCapped).toBe(false);
  });
  it('caps RH at 95 %: 99 % is computed as 95 % (C = 5.606061)', () => {
    const r = kohler(30, 99, 0.4);
    expect(r.growth).toBeCloseTo(5.606061, 6);
    expect(r.value).toBeCloseTo(5.351351, 5);
    expect(r.rhCapped).toBe(true);
    expect(kohlerGrowth(99, 0.4, 90)).toBeCloseTo(1 + 0.4 / 1.65 / (1 / 0.9 - 1), 12);
  });
  it('no growth in dry air or with κ = 0', () => {
    expect(kohler(30, 0, 0.4).value).toBe(30);
    expect(kohler(30, 80, 0).value).toBe(30);
  });
  it('refuses a negative κ', () => {
    expect(() => kohler(30, 80, -0.1)).toThrow(/kappa/);
  });
});

describe('ppb ↔ µg/m³ (air-quality.md §6)', () => {
  it('V_m at 101.325 kPa: 24.055 L/mol at 20 °C, 24.465 at 25 °C', () => {
    expect(molarVolumeL()).toBeCloseTo(24.055, 3);
    expect(molarVolumeL({ temperatureC: 25 })).toBeCloseTo(24.465, 3);
  });
  it('1 ppb at 20 °C: NO2 1.9125, O3 1.9953, SO2 2.6633, CO 1.1644, NO 1.2474 µg/m³', () => {
    expect(ugm3PerPpb('no2')).toBeCloseTo(1.9125, 4);
    // O3, SO2 and NO within 5e-4 only: the table's 4th digit does not follow from its own M (48.00 / 24.0553 =
    // 1.99543, 64.07 / 24.0553 = 2.66345, 30.01 / 24.0553 = 1.24755); we keep the table's molar masses.
    expect(ugm3PerPpb('o3')).toBeCloseTo(1.9953, 3);
    expect(ugm3PerPpb('so2')).toBeCloseTo(2.6633, 3);
    expect(ugm3PerPpb('co')).toBeCloseTo(1.1644, 4);
    expect(ugm3PerPpb('no')).toBeCloseTo(1.2474, 3);
  });
  it('1 ppb at 25 °C: NO2 1.8804, O3 1.9619, SO2 2.6186 µg/m³', () => {
    expect(ugm3PerPpb('no2', { temperatureC: 25 })).toBeCloseTo(1.8804, 4);
    expect(ugm3PerPpb('o3', { temperatureC: 25 })).toBeCloseTo(1.9619, 3);
    expect(ugm3PerPpb('so2', { temperatureC: 25 })).toBeCloseTo(2.6186, 3);
  });
  it('agrees with the NO2-B43F driver constant and inverts exactly', () => {
    expect(ppbToUgm3('no2', 40)).toBeCloseTo(40 * NO2_UGM3_PER_PPB_20C, 3);
    expect(ugm3ToPpb('no2', ppbToUgm3('no2', 37.2))).toBeCloseTo(37.2, 12);
  });
  it('refuses impossible conditions', () => {
    expect(() => molarVolumeL({ pressureKpa: 0 })).toThrow(/pressure/);
    expect(() => molarVolumeL({ temperatureC: -300 })).toThrow(/absolute zero/);
  });
});
