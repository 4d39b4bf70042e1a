import { describe, expect, it } from 'vitest';
import { heavyVehicleFactor, laneWidthFactor, saturationFlow } from './index.js';

describe('HCM lane-width factor fw = 1 + (W − 12)/30 (HCM 2000 Exhibit 16-7; HCM 6th ed. Eq. 19-8)', () => {
  it('12 ft is the base; 9 ft costs 10 %; 15 ft gains 10 %', () => {
    expect(laneWidthFactor(12)).toBe(1);
    expect(laneWidthFactor(9)).toBeCloseTo(0.9, 12);
    expect(laneWidthFactor(15)).toBeCloseTo(1.1, 12);
  });

  it('band edges: 8 and 16 ft accepted, outside refused', () => {
    expect(laneWidthFactor(8)).toBeCloseTo(1 - 4 / 30, 12);
    expect(laneWidthFactor(16)).toBeCloseTo(1 + 4 / 30, 12);
    expect(() => laneWidthFactor(7.99)).toThrow(/outside the HCM range 8–16 ft/);
    expect(() => laneWidthFactor(16.01)).toThrow(/analyse two lanes/);
  });
});

describe('HCM heavy-vehicle factor fHV = 100/(100 + P(E − 1))', () => {
  it('10 % heavy at E_T = 2.0 → 100/110; none → 1; E_T = 1 → 1', () => {
    expect(heavyVehicleFactor(10)).toBeCloseTo(100 / 110, 12);
    expect(heavyVehicleFactor(0)).toBe(1);
    expect(heavyVehicleFactor(30, 1)).toBe(1);
  });

  it('refuses a share outside 0–100 % and E below 1', () => {
    expect(() => heavyVehicleFactor(101)).toThrow(/outside 0–100 %/);
    expect(() => heavyVehicleFactor(5, 0.5)).toThrow(/below 1 pc\/HV/);
  });
});

describe('saturationFlow = s0 · N · fw · fHV · Π(other)', () => {
  it('defaults: 1900 pc/h/ln, 12 ft, no heavy vehicles', () => {
    expect(saturationFlow({ lanes: 2 })).toBe(3800);
  });

  it('combines the factors', () => {
    const s = saturationFlow({ lanes: 2, laneWidthFt: 11, heavyPct: 5, other: { fLT: 0.95 } });
    expect(s).toBeCloseTo(1900 * 2 * (1 - 1 / 30) * (100 / 105) * 0.95, 9);
  });

  it('takes metres: 3.6576 m = 12 ft', () => {
    expect(saturationFlow({ lanes: 1, laneWidthM: 3.6576 })).toBeCloseTo(1900, 9);
  });

  it('refuses bad lanes, two widths, a bad factor', () => {
    expect(() => saturationFlow({ lanes: 0 })).toThrow(/lanes 0 is not a whole number ≥ 1/);
    expect(() => saturationFlow({ lanes: 1.5 })).toThrow(RangeError);
    expect(() => saturationFlow({ lanes: 1, laneWidthFt: 12, laneWidthM: 3.6 })).toThrow(/not both/);
    expect(() => saturationFlow({ lanes: 1, other: { fg: 0 } })).toThrow(/fg = 0/);
  });
});
