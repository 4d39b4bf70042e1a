import { describe, expect, it } from 'vitest';
import { urbanConditions } from '../../sim/urban-day.js';
import { bytesOf, I2C_CAPTURE_ISSUE14, PYPMS_CAPTURE } from './fixtures.js';
import { unpackWords } from './i2c-protocol.js';
import { decodeMeasurement, encodeMeasurement, f32, MEASUREMENT_BYTES, SPS30_QUANTITIES } from './measurement.js';
import { isShdlcError, scanAll, type ShdlcFrame } from './shdlc.js';
import { sps30ValuesFromConditions } from './simulator.js';
import { sps30Definition, isWarmingUp } from './definition.js';

describe('decodeMeasurement', () => {
  it.each(PYPMS_CAPTURE.map((c, i) => [i, c] as const))('real UART capture %i decodes to PyPMS\'s own values', (_i, c) => {
    const out = scanAll('miso', bytesOf(c.hex));
    expect(out).toHaveLength(1);
    const f = out[0] as ShdlcFrame;
    expect(isShdlcError(f)).toBe(false);
    expect([f.command, f.state, f.data.length]).toEqual([0x03, 0, MEASUREMENT_BYTES]);
    const v = decodeMeasurement(f.data);
    expect(Object.keys(v)).toEqual([...SPS30_QUANTITIES]);
    // PyPMS prints mass and size with 1 decimal and numbers with 2: agree to within half of that step.
    for (const q of SPS30_QUANTITIES) {
      const step = q.startsWith('nc') ? 0.01 : 0.1;
      expect(Math.abs(v[q]! - c.expected[q]!), q).toBeLessThanOrEqual(step / 2 + 1e-9);
    }
  });

  it('gives the float32 value without widening noise: 0x40a78320 is 5.2347565', () => {
    const f = scanAll('miso', bytesOf(PYPMS_CAPTURE[0]!.hex))[0] as ShdlcFrame;
    expect(decodeMeasurement(f.data).pm1_ugm3).toBe(5.2347565);
    expect(Math.fround(5.2347565)).toBe(new DataView(Uint8Array.of(0x40, 0xa7, 0x83, 0x20).buffer).getFloat32(0));
  });

  it('decodes the real I2C capture (issue #14) once its CRCs are stripped; -0 comes out as 0', () => {
    const v = decodeMeasurement(unpackWords(bytesOf(I2C_CAPTURE_ISSUE14.hex), 0x0300));
    expect(v).toEqual(I2C_CAPTURE_ISSUE14.expected);
    expect(Object.is(v.nc0_5_per_cm3, 0)).toBe(true);
  });

  it('round-trips through encodeMeasurement', () => {
    const values = sps30ValuesFromConditions(urbanConditions(new Date('2024-05-14T08:00:00Z')));
    expect(decodeMeasurement(encodeMeasurement(values))).toEqual(values);
  });

  it('refuses short input and missing quantities', () => {
    expect(() => decodeMeasurement(new Uint8Array(39))).toThrow('an SPS30 measurement is 40 bytes; got 39');
    expect(() => encodeMeasurement({ pm1_ugm3: 1 })).toThrow('values.pm25_ugm3 must be a number');
  });

  it('f32 keeps what float32 can hold and nothing more', () => {
    expect(f32(40.4)).toBe(40.4);
    expect(f32(1 / 3)).toBe(0.33333334);
    expect(f32(-0)).toBe(0);
    expect(Object.is(f32(-0), 0)).toBe(true);
  });
});

describe('definition', () => {
  it('declares exactly the quantities the decoder yields, with the datasheet ranges', () => {
    expect(sps30Definition.quantities.map((q) => q.name)).toEqual([...SPS30_QUANTITIES]);
    const byName = Object.fromEntries(sps30Definition.quantities.map((q) => [q.name, q]));
    expect([byName.pm25_ugm3?.max, byName.nc4_0_per_cm3?.max, byName.typical_size_um?.max]).toEqual([1000, 3000, 10]);
    expect(sps30Definition.warmupS).toBe(16);
  });

  it('warm-up: 16 s always, 30 s while nc4.0 < 300 #/cm³', () => {
    expect(isWarmingUp(15.9, { nc4_0_per_cm3: 1000 })).toBe(true);
    expect(isWarmingUp(16, { nc4_0_per_cm3: 1000 })).toBe(false);
    expect(isWarmingUp(16, { nc4_0_per_cm3: 299 })).toBe(true);
    expect(isWarmingUp(29.9, { nc4_0_per_cm3: 42.4 })).toBe(true);
    expect(isWarmingUp(30, { nc4_0_per_cm3: 42.4 })).toBe(false);
    expect(isWarmingUp(20, {})).toBe(false);
    expect(isWarmingUp(5, { nc4_0_per_cm3: 10 }, 0, 0)).toBe(false);
  });
});

describe('sps30ValuesFromConditions (simulator choice)', () => {
  it('takes mass from the urban scenario and keeps every series cumulative', () => {
    for (const h of [3, 8, 13, 17.5, 22]) {
      const at = new Date(Date.UTC(2024, 4, 14, Math.floor(h), (h % 1) * 60));
      const c = urbanConditions(at);
      const v = sps30ValuesFromConditions(c);
      expect(v.pm25_ugm3).toBe(f32(c.pm25_ugm3));
      expect(v.pm10_ugm3).toBe(f32(c.pm10_ugm3));
      expect(v.pm1_ugm3).toBe(f32(c.pm1_ugm3));
      const mass = [v.pm1_ugm3!, v.pm25_ugm3!, v.pm4_ugm3!, v.pm10_ugm3!];
      const num = [v.nc0_5_per_cm3!, v.nc1_0_per_cm3!, v.nc2_5_per_cm3!, v.nc4_0_per_cm3!, v.nc10_per_cm3!];
      for (const series of [mass, num]) for (let i = 1; i < series.length; i++) expect(series[i]).toBeGreaterThanOrEqual(series[i - 1]!);
      for (const q of sps30Definition.quantities) {
        expect(v[q.name]).toBeGreaterThanOrEqual(q.min);
        expect(v[q.name]).toBeLessThanOrEqual(q.max);
      }
      expect(v.typical_size_um).toBeGreaterThan(0.3);
    }
  });
});
