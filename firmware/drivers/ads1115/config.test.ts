import { describe, expect, it } from 'vitest';
import { buildConfig, codeToVolts, decodeConfig, voltsToCode } from './config.js';

// Expected words from /work/shared/reference/protocols.md §5 (reset value from TI SBAS444 §9.6.3; the other
// three marked CALC there, i.e. assembled from the documented bit fields).
describe('ADS1115 config word', () => {
  it('builds the reset value 0x8583 from the reset fields', () => {
    expect(buildConfig()).toBe(0x8583);
  });

  it('builds 0xC383 for AIN0/GND ±4.096 V single-shot 128 SPS', () => {
    expect(buildConfig({ mux: 'ain0', fsr: 4.096, sps: 128, mode: 'single-shot', start: true })).toBe(0xc383);
  });

  it('builds 0xD383 for AIN1', () => {
    expect(buildConfig({ mux: 'ain1', fsr: 4.096, sps: 128 })).toBe(0xd383);
  });

  it('builds 0xE703 for AIN2 ±1.024 V 8 SPS', () => {
    expect(buildConfig({ mux: 'ain2', fsr: 1.024, sps: 8 })).toBe(0xe703);
  });

  it('sets the comparator and continuous-mode bits', () => {
    const w = buildConfig({
      start: false, mux: 'ain0-ain3', fsr: 0.256, sps: 860, mode: 'continuous',
      comparator: { window: true, activeHigh: true, latching: true, queue: 'assert-after-1' },
    });
    expect(w).toBe(0b0_001_101_0_111_1_1_1_00);
  });

  it('decodes what it builds', () => {
    const fields = decodeConfig(0xe703);
    expect(fields).toEqual({
      start: true, mux: 'ain2', fsr: 1.024, sps: 8, mode: 'single-shot',
      comparator: { window: false, activeHigh: false, latching: false, queue: 'disabled' },
    });
    expect(buildConfig(fields)).toBe(0xe703);
  });

  it('decodes PGA codes 110 and 111 as ±0.256 V like 101', () => {
    expect(decodeConfig(0x8583 | (0b111 << 9)).fsr).toBe(0.256);
  });

  it('refuses a range or rate the chip does not have', () => {
    expect(() => buildConfig({ fsr: 3.3 as 4.096 })).toThrow(/full-scale range 3.3 V/);
    expect(() => buildConfig({ sps: 100 as 128 })).toThrow(/data rate 100 SPS/);
  });
});

describe('ADS1115 codes and volts', () => {
  it('uses the LSB sizes of SBAS444 §9.3.3 (187.5 µV at ±6.144 V … 7.8125 µV at ±0.256 V)', () => {
    expect(codeToVolts(1, 6.144)).toBeCloseTo(187.5e-6, 12);
    expect(codeToVolts(1, 2.048)).toBeCloseTo(62.5e-6, 12);
    expect(codeToVolts(1, 0.256)).toBeCloseTo(7.8125e-6, 12);
  });

  it('clips at 0x7FFF and 0x8000', () => {
    expect(voltsToCode(5, 4.096)).toBe(32767);
    expect(voltsToCode(-5, 4.096)).toBe(-32768);
    expect(voltsToCode(0.3, 1.024)).toBe(9600);
  });
});
