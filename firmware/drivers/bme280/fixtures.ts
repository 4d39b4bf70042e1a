// Calibration sets and raw samples with their published results. Each carries its source; expected values are
// the source's own numbers, never recomputed here.
import type { Bme280Calibration } from './compensation.js';

/**
 * Bosch datasheet example (pressure/temperature only; the worked example table of the BMP280
 * datasheet BST-BMP280-DS001, section "Calculating pressure and temperature", whose T/P compensation the BME280 shares —
 * BST-BME280-DS002 §4.2.3). Copied in /work/shared/reference/protocols.md §4.
 * Expected: t_fine 128422, T 25.08 °C, p 100653.27 Pa with the double formulas, 100653.25 Pa with int64 (CALC in
 * protocols.md). This driver uses the int64 form and matches 100653.25.
 */
export const datasheetExample = {
  calibration: {
    t1: 27504, t2: 26435, t3: -1000,
    p1: 36477, p2: -10685, p3: 3024, p4: 2855, p5: 140, p6: -7, p7: 15500, p8: -14600, p9: 6000,
    h1: 0, h2: 0, h3: 0, h4: 0, h5: 0, h6: 0, // not part of the example
  } satisfies Bme280Calibration,
  adcT: 519888,
  adcP: 415148,
  expected: { tFine: 128422, temperatureC: 25.08, pressurePaDouble: 100653.27, pressurePaInt64: 100653.25 },
};

/**
 * A BME280 register dump: the 33 bytes read from 0x88 (26 bytes, 0x88–0xA1) and 0xE1 (7 bytes), with raw ADC
 * values and the integer results of Bosch's §4.2.3 formulas.
 * Source: github.com/claudiomattera/bme280-rs, src/calibration.rs (commit 05900e4eff6d6599206b17989c7c06d862c0b4a7),
 * tests test_parse_calibration_data / test_compensate_temperature / _pressure / _humidity.
 * Expected: t_fine 0x22391 = 140177 (the crate's "temperature" is t_fine), pressure 0x018B663F Q24.8 Pa,
 * humidity 0x8399 Q22.10 %RH (integer form; our double form must agree to within 0.01 %RH).
 */
const claudiomatteraBytes = Uint8Array.of(
  0xb1, 0x6f, 0x2e, 0x6a, 0x32, 0x00, 0xe2, 0x8f, 0x0a, 0xd7, 0xd0, 0x0b, 0x75, 0x1f,
  0xc5, 0xff, 0xf9, 0xff, 0xac, 0x26, 0x0a, 0xd8, 0xbd, 0x10, 0x00, 0x4b, 0x77, 0x01,
  0x00, 0x12, 0x20, 0x03, 0x1e,
);

export const realDumpClaudiomattera = {
  /** Registers 0x88..0x9F (T1..P9). */
  tp: claudiomatteraBytes.slice(0, 24),
  /** Register 0xA1 (H1); byte 24 of the dump is 0xA0, unused. */
  h1: claudiomatteraBytes[25] ?? 0,
  /** Registers 0xE1..0xE7 (H2..H6). */
  h: claudiomatteraBytes.slice(26, 33),
  /** The decoded values the crate's test asserts (TEST_CALIBRATION_DATA). */
  calibration: {
    t1: 0x6fb1, t2: 0x6a2e, t3: 0x32,
    p1: 0x8fe2, p2: -10486, p3: 0x0bd0, p4: 0x1f75, p5: -59, p6: -7, p7: 0x26ac, p8: -10230, p9: 0x10bd,
    h1: 0x4b, h2: 0x0177, h3: 0x00, h4: 0x0120, h5: 0x0032, h6: 0x1e,
  } satisfies Bme280Calibration,
  adcT: 0x84510,
  adcP: 0x4f570,
  adcH: 0x5eb4,
  expected: { tFine: 0x22391, pressureQ24_8: 0x018b663f, humidityQ22_10: 0x8399 },
};

/**
 * Decoded calibration and raw samples from Pimoroni's test suite, whose library uses the §8.1 double formulas
 * throughout (t_fine kept as a double), so our integer T/P results differ in the last digits.
 * Source: github.com/pimoroni/bme280-python, tests/calibration.py (commit 5e072bb4bb8ab31baa7d0140f70ec9ca904a327f)
 * and tests/test_compensation.py (commit 19db39480c6ab42a4254ce3e78b1abe8b830083a).
 */
export const pimoroniExample = {
  calibration: {
    t1: 28009, t2: 25654, t3: 50,
    p1: 39145, p2: -10750, p3: 3024, p4: 5667, p5: -120, p6: -7, p7: 15500, p8: -14600, p9: 6000,
    h1: 75, h2: 376, h3: 0, h4: 286, h5: 50, h6: 30,
  } satisfies Bme280Calibration,
  adcT: 529191,
  adcP: 326816,
  adcH: 30281,
  expected: { temperatureC: 24.7894877676, pressureHpa: 1006.61517564, humidityPct: 68.66996648709039 },
};
