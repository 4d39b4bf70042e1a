import { describe, expect, it } from 'vitest';
import {
  compensate, compensateHumidity, compensatePressureQ24_8, compensateTemperature, encodeCalibration, packData,
  parseCalibration, unpackData,
} from './compensation.js';
import { datasheetExample, pimoroniExample, realDumpClaudiomattera } from './fixtures.js';

describe('BME280 compensation — Bosch datasheet example', () => {
  const { calibration, adcT, adcP, expected } = datasheetExample;

  it('gives t_fine 128422 and 25.08 °C', () => {
    const t = compensateTemperature(calibration, adcT);
    expect(t.tFine).toBe(expected.tFine);
    expect(t.centiC / 100).toBe(expected.temperatureC);
  });

  it('gives 100653.25 Pa with the int64 form (the double form would give 100653.27)', () => {
    const q = compensatePressureQ24_8(calibration, adcP, expected.tFine);
    expect(q).toBe(25767233);
    expect(Math.round((q / 256) * 100) / 100).toBe(expected.pressurePaInt64);
    expect(Math.abs(q / 256 - expected.pressurePaDouble)).toBeLessThan(0.03);
  });
});

describe('BME280 compensation — real register dump (claudiomattera/bme280-rs)', () => {
  const f = realDumpClaudiomattera;

  it('decodes the 33 calibration bytes to the published coefficients', () => {
    expect(parseCalibration(f.tp, f.h1, f.h)).toEqual(f.calibration);
  });

  it('re-encodes the coefficients to the same register bytes', () => {
    const { tp, h1, h } = encodeCalibration(f.calibration);
    expect([...tp]).toEqual([...f.tp]);
    expect(h1).toBe(f.h1);
    expect([...h]).toEqual([...f.h]);
  });

  it('matches the integer results for t_fine and pressure exactly', () => {
    const t = compensateTemperature(f.calibration, f.adcT);
    expect(t.tFine).toBe(f.expected.tFine);
    expect(compensatePressureQ24_8(f.calibration, f.adcP, t.tFine)).toBe(f.expected.pressureQ24_8);
  });

  it('agrees with the integer humidity to within 0.01 %RH (double form)', () => {
    const h = compensateHumidity(f.calibration, f.adcH, f.expected.tFine);
    expect(Math.abs(h - f.expected.humidityQ22_10 / 1024)).toBeLessThan(0.01);
    expect(h).toBeCloseTo(32.904, 3);
  });
});

describe('BME280 compensation — Pimoroni test values (double reference)', () => {
  const f = pimoroniExample;
  const c = compensate(f.calibration, { adcT: f.adcT, adcP: f.adcP, adcH: f.adcH });

  it('agrees within the integer forms\' quantisation', () => {
    expect(c.temperature_c).toBe(24.79); // 0.01 °C steps of the int32 form; double gives 24.7895
    expect(Math.abs(c.pressure_pa / 100 - f.expected.pressureHpa)).toBeLessThan(0.01);
    expect(Math.abs(c.humidity_pct - f.expected.humidityPct)).toBeLessThan(0.01);
  });
});

describe('BME280 calibration H4/H5 sign handling', () => {
  // Synthetic bytes (not from a chip): E4=0xF8, E5=0xA3, E6=0xFE gives H4 = 0xF83 → −125 and
  // H5 = 0xFEA → −22 as 12-bit two's complement. Read unsigned, they would be 3971 and 4074.
  it('sign-extends the 12-bit H4 and H5', () => {
    const c = parseCalibration(new Uint8Array(24), 0, Uint8Array.of(0x6a, 0x01, 0x00, 0xf8, 0xa3, 0xfe, 0x1e));
    expect(c.h4).toBe(-125);
    expect(c.h5).toBe(-22);
    expect(c.h2).toBe(362);
    const back = encodeCalibration(c).h;
    expect([...back]).toEqual([0x6a, 0x01, 0x00, 0xf8, 0xa3, 0xfe, 0x1e]);
  });

  it('reads H6 as int8 and H1/H3 as uint8', () => {
    const c = parseCalibration(new Uint8Array(24), 0xfa, Uint8Array.of(0, 0, 0xf0, 0, 0, 0, 0x9c));
    expect(c.h1).toBe(250);
    expect(c.h3).toBe(240);
    expect(c.h6).toBe(-100);
  });
});

describe('BME280 data burst', () => {
  it('splits 20-bit P/T and 16-bit H from the 8 bytes at 0xF7 and packs them back', () => {
    const raw = { adcP: 0x4f570, adcT: 0x84510, adcH: 0x5eb4 };
    const bytes = packData(raw);
    expect([...bytes]).toEqual([0x4f, 0x57, 0x00, 0x84, 0x51, 0x00, 0x5e, 0xb4]);
    expect(unpackData(bytes)).toEqual(raw);
  });
});
