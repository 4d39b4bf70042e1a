// The SPS30 measurement record: ten big-endian IEEE-754 floats (40 bytes), in this order (protocols.md §3;
// SPS30 datasheet v1.0 §5 and §6, "Read Measured Values"; Sensirion/embedded-uart-sps sps30-uart/sps30.c
// sps30_read_measurement): mass PM1.0, PM2.5, PM4.0, PM10 (µg/m³), number PM0.5, PM1.0, PM2.5, PM4.0, PM10 (#/cm³),
// typical particle size (µm). Mass and number values are cumulative: "PMx" covers particles from 0.3 µm up to x µm.
import type { Values } from '../types.js';

export const SPS30_QUANTITIES = [
  'pm1_ugm3',
  'pm25_ugm3',
  'pm4_ugm3',
  'pm10_ugm3',
  'nc0_5_per_cm3',
  'nc1_0_per_cm3',
  'nc2_5_per_cm3',
  'nc4_0_per_cm3',
  'nc10_per_cm3',
  'typical_size_um',
] as const;

export const MEASUREMENT_BYTES = 4 * SPS30_QUANTITIES.length;

/**
 * The shortest decimal that reads back as the same float32: the sensor's value, without the binary noise a
 * float32 → double widening adds (0x40a78320 is 5.234756 rather than 5.234756469726562). -0 becomes 0.
 */
export function f32(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return f;
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d + 0;
  }
  return f + 0;
}

/** Decodes the 40-byte record (a 60-byte I2C read is first stripped of its CRCs). */
export function decodeMeasurement(data: Uint8Array, offset = 0): Values {
  if (data.length - offset < MEASUREMENT_BYTES) {
    throw new RangeError(`an SPS30 measurement is ${MEASUREMENT_BYTES} bytes; got ${data.length - offset}`);
  }
  const view = new DataView(data.buffer, data.byteOffset + offset, MEASUREMENT_BYTES);
  const values: Values = {};
  SPS30_QUANTITIES.forEach((q, i) => (values[q] = f32(view.getFloat32(4 * i, false))));
  return values;
}

/** The 40 bytes a sensor would send for these values; throws on a missing quantity rather than sending a zero. */
export function encodeMeasurement(values: Values): Buffer {
  const b = Buffer.alloc(MEASUREMENT_BYTES);
  SPS30_QUANTITIES.forEach((q, i) => {
    const v = values[q];
    if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`encodeMeasurement: values.${q} must be a number`);
    b.writeFloatBE(v, 4 * i);
  });
  return b;
}
