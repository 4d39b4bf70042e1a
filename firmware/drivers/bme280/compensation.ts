// BME280 calibration parsing and compensation (Bosch BST-BME280-DS002 §4.2.2, §4.2.3, §8.1; the same
// formulas are written out in /work/shared/reference/protocols.md §4). Pure functions: no bus, no timing.
//
// Which forms, and why:
//   temperature  — the 32-bit integer form of §4.2.3 (0.01 °C steps), which also yields t_fine;
//   pressure     — the 64-bit integer form of §4.2.3, in BigInt so nothing overflows or rounds (Q24.8 Pa);
//   humidity     — the double form of §8.1 (the integer form only adds quantisation).
// Integer right shifts go through `sar()` (floor division) rather than `>>`, because `>>` first truncates its
// operand to int32 and some intermediate products here exceed 2^31.

import { CALIB_H_LENGTH, CALIB_TP_LENGTH } from './registers.js';

export interface Bme280Calibration {
  t1: number; t2: number; t3: number;
  p1: number; p2: number; p3: number; p4: number; p5: number; p6: number; p7: number; p8: number; p9: number;
  h1: number; h2: number; h3: number; h4: number; h5: number; h6: number;
}

export interface RawSample {
  adcT: number;
  adcP: number;
  adcH: number;
}

/** Arithmetic shift right without int32 truncation. */
const sar = (x: number, n: number): number => Math.floor(x / 2 ** n);

const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const s16le = (b: Uint8Array, i: number): number => {
  const v = u16le(b, i);
  return v & 0x8000 ? v - 0x10000 : v;
};
const s8 = (v: number): number => (v & 0x80 ? v - 0x100 : v);
const s12 = (v: number): number => (v & 0x800 ? v - 0x1000 : v);

/**
 * Decode the trimming parameters (§4.2.2): `tp` = 24 bytes from 0x88, `h1` = byte 0xA1, `h` = 7 bytes from 0xE1.
 * H4 and H5 are 12-bit two's-complement values packed around the shared nibble register 0xE5; Bosch's reference
 * driver reads E4/E6 as int8 before shifting, which is the same sign extension as s12() here. Treating them as
 * unsigned (or getting the precedence wrong while sign-extending) is the usual bug.
 */
export function parseCalibration(tp: Uint8Array, h1: number, h: Uint8Array): Bme280Calibration {
  if (tp.length < CALIB_TP_LENGTH) throw new RangeError(`BME280 calibration block 0x88 needs ${CALIB_TP_LENGTH} bytes, got ${tp.length}`);
  if (h.length < CALIB_H_LENGTH) throw new RangeError(`BME280 calibration block 0xE1 needs ${CALIB_H_LENGTH} bytes, got ${h.length}`);
  const e4 = h[3] ?? 0;
  const e5 = h[4] ?? 0;
  const e6 = h[5] ?? 0;
  return {
    t1: u16le(tp, 0), t2: s16le(tp, 2), t3: s16le(tp, 4),
    p1: u16le(tp, 6), p2: s16le(tp, 8), p3: s16le(tp, 10), p4: s16le(tp, 12), p5: s16le(tp, 14),
    p6: s16le(tp, 16), p7: s16le(tp, 18), p8: s16le(tp, 20), p9: s16le(tp, 22),
    h1: h1 & 0xff,
    h2: s16le(h, 0),
    h3: h[2] ?? 0,
    h4: s12((e4 << 4) | (e5 & 0x0f)),
    h5: s12((e6 << 4) | (e5 >> 4)),
    h6: s8(h[6] ?? 0),
  };
}

/** Inverse of parseCalibration: the register bytes a chip with this calibration holds (for the simulator). */
export function encodeCalibration(c: Bme280Calibration): { tp: Uint8Array; h1: number; h: Uint8Array } {
  const tp = new Uint8Array(CALIB_TP_LENGTH);
  const words = [c.t1, c.t2, c.t3, c.p1, c.p2, c.p3, c.p4, c.p5, c.p6, c.p7, c.p8, c.p9];
  words.forEach((w, i) => {
    tp[2 * i] = w & 0xff;
    tp[2 * i + 1] = (w >> 8) & 0xff;
  });
  const h4 = c.h4 & 0xfff;
  const h5 = c.h5 & 0xfff;
  const h = Uint8Array.of(c.h2 & 0xff, (c.h2 >> 8) & 0xff, c.h3 & 0xff, h4 >> 4, (h4 & 0x0f) | ((h5 & 0x0f) << 4), h5 >> 4, c.h6 & 0xff);
  return { tp, h1: c.h1 & 0xff, h };
}

/** Split the 8-byte burst from 0xF7 (§5.4.7–5.4.9): 20-bit P and T (MSB, LSB, XLSB[7:4]), 16-bit H. */
export function unpackData(d: Uint8Array): RawSample {
  const b = (i: number) => d[i] ?? 0;
  return {
    adcP: (b(0) << 12) | (b(1) << 4) | (b(2) >> 4),
    adcT: (b(3) << 12) | (b(4) << 4) | (b(5) >> 4),
    adcH: (b(6) << 8) | b(7),
  };
}

export function packData(s: RawSample): Uint8Array {
  return Uint8Array.of(
    (s.adcP >> 12) & 0xff, (s.adcP >> 4) & 0xff, (s.adcP & 0x0f) << 4,
    (s.adcT >> 12) & 0xff, (s.adcT >> 4) & 0xff, (s.adcT & 0x0f) << 4,
    (s.adcH >> 8) & 0xff, s.adcH & 0xff,
  );
}

/** §4.2.3 BME280_compensate_T_int32: t_fine (shared with P and H) and T in 0.01 °C. */
export function compensateTemperature(c: Bme280Calibration, adcT: number): { tFine: number; centiC: number } {
  const var1 = sar((sar(adcT, 3) - c.t1 * 2) * c.t2, 11);
  const d = sar(adcT, 4) - c.t1;
  const var2 = sar(sar(d * d, 12) * c.t3, 14);
  const tFine = var1 + var2;
  return { tFine, centiC: sar(tFine * 5 + 128, 8) };
}

/** §4.2.3 BME280_compensate_P_int64: pressure in Pa as Q24.8 (divide by 256). Returns 0 where the chip would divide by zero. */
export function compensatePressureQ24_8(c: Bme280Calibration, adcP: number, tFine: number): number {
  let var1 = BigInt(tFine) - 128000n;
  let var2 = var1 * var1 * BigInt(c.p6);
  var2 += (var1 * BigInt(c.p5)) << 17n;
  var2 += BigInt(c.p4) << 35n;
  var1 = ((var1 * var1 * BigInt(c.p3)) >> 8n) + ((var1 * BigInt(c.p2)) << 12n);
  var1 = (((1n << 47n) + var1) * BigInt(c.p1)) >> 33n;
  if (var1 === 0n) return 0;
  let p = 1048576n - BigInt(adcP);
  // BigInt division truncates toward zero, like the C int64 division the datasheet uses.
  p = (((p << 31n) - var2) * 3125n) / var1;
  var1 = (BigInt(c.p9) * (p >> 13n) * (p >> 13n)) >> 25n;
  var2 = (BigInt(c.p8) * p) >> 19n;
  p = ((p + var1 + var2) >> 8n) + (BigInt(c.p7) << 4n);
  return Number(p);
}

/** §8.1 BME280_compensate_H_double: relative humidity in %, clamped to 0..100 as the datasheet does. */
export function compensateHumidity(c: Bme280Calibration, adcH: number, tFine: number): number {
  const x = tFine - 76800;
  let h = (adcH - (c.h4 * 64 + (c.h5 / 16384) * x)) *
    ((c.h2 / 65536) * (1 + (c.h6 / 67108864) * x * (1 + (c.h3 / 67108864) * x)));
  h = h * (1 - (c.h1 * h) / 524288);
  return Math.min(100, Math.max(0, h));
}

export interface Compensated {
  temperature_c: number;
  pressure_pa: number;
  humidity_pct: number;
  tFine: number;
}

export function compensate(c: Bme280Calibration, raw: RawSample): Compensated {
  const { tFine, centiC } = compensateTemperature(c, raw.adcT);
  return {
    temperature_c: centiC / 100,
    pressure_pa: compensatePressureQ24_8(c, raw.adcP, tFine) / 256,
    humidity_pct: compensateHumidity(c, raw.adcH, tFine),
    tFine,
  };
}
