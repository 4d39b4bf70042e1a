import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { Ads1115Simulator } from '../ads1115/simulator.js';
import { aan803, nT, type AlgorithmId, type Series } from './algorithm.js';
import { sheet202440338, sheet202440340, sheet212060308 } from './fixtures.js';
import { No2B43f } from './no2-b43f.js';
import { no2B43fOptionsSchema, type No2B43fOptions, type No2B43fOptionsInput } from './options.js';
import { No2B43fSimulator } from './simulator.js';

const noSleep = async () => {};

/** Worst-case error from ADC quantisation: half an LSB on WE plus nT times half an LSB on AE. */
function quantisationPpb(fsrV: number, sensitivity: number, temperatureC: number): number {
  const halfLsbMv = (fsrV / 32768 / 2) * 1000;
  return (halfLsbMv * (1 + Math.abs(nT('B4', temperatureC)))) / Math.abs(sensitivity);
}

/** The same for any algorithm: half an LSB on WE plus half an LSB on AE times how much WEc moves per mV of AE. */
function quantisationPpbFor(s: No2B43fOptions, temperatureC: number): number {
  const halfLsbMv = (s.fsr_v / 32768 / 2) * 1000;
  const aeGain = Math.abs(aan803(s, 0, 1, temperatureC).weCorrectedMv - aan803(s, 0, 0, temperatureC).weCorrectedMv);
  return (halfLsbMv * (1 + aeGain)) / Math.abs(s.sensitivity_mv_per_ppb);
}

describe('No2B43f driver on a FakeI2cBus with an ISB simulator', () => {
  const cases = [
    { sheet: sheet202440338, no2_ppb: 35.2, temperature_c: 15 },
    { sheet: sheet202440338, no2_ppb: 0, temperature_c: -12 },
    { sheet: sheet202440340, no2_ppb: 180.4, temperature_c: 33.3 },
  ];

  for (const { sheet, no2_ppb, temperature_c } of cases) {
    it(`round-trips ${no2_ppb} ppb at ${temperature_c} °C (sensor ${sheet.serial_number})`, async () => {
      const sim = new No2B43fSimulator(sheet, { target: { no2_ppb, temperature_c } });
      const bus = sim.attachTo(new FakeI2cBus());
      const v = await new No2B43f(bus, sheet, { sleep: noSleep }).read(temperature_c);
      const tolerance = quantisationPpb(1.024, sheet.sensitivity_mv_per_ppb, temperature_c);
      expect(tolerance).toBeLessThan(0.3);
      expect(Math.abs((v.no2_ppb ?? NaN) - no2_ppb)).toBeLessThanOrEqual(tolerance);
      expect(v.no2_ugm3).toBeCloseTo((v.no2_ppb ?? NaN) * 1.9125, 9);
      // AE sits at the sheet's zero-air value AEe + AEo.
      expect(Math.abs((v.ae_mv ?? NaN) - (sheet.ae_zero_electronic_mv + sheet.ae_zero_sensor_mv))).toBeLessThanOrEqual(0.016);
    });
  }

  it('follows urbanConditions by default and reads WE on AIN0, AE on AIN1 at ±1.024 V, 8 SPS', async () => {
    const at = new Date('2024-05-14T08:00:00Z');
    const sim = new No2B43fSimulator(sheet202440338, { clock: () => at });
    const bus = sim.attachTo(new FakeI2cBus());
    const u = urbanConditions(at);
    const v = await new No2B43f(bus, sheet202440338, { sleep: noSleep }).read(u.temperature_c);
    expect(Math.abs((v.no2_ppb ?? NaN) - u.no2_ppb)).toBeLessThanOrEqual(quantisationPpb(1.024, 0.247543, u.temperature_c));
    expect(sim.adc.starts).toEqual([0xc703, 0xd703]);
  });

  it('honours other channels, address and range', async () => {
    const opts = { ...sheet202440340, ads1115_address: 0x4a as const, we_channel: 2 as const, ae_channel: 3 as const, fsr_v: 2.048 as const };
    const sim = new No2B43fSimulator(opts, { target: { no2_ppb: 60, temperature_c: 20 } });
    const v = await new No2B43f(sim.attachTo(new FakeI2cBus()), opts, { sleep: noSleep }).read(20);
    expect(Math.abs((v.no2_ppb ?? NaN) - 60)).toBeLessThanOrEqual(quantisationPpb(2.048, 0.27448, 20));
    expect(sim.adc.starts.map((w) => (w >> 12) & 0x7)).toEqual([0b110, 0b111]);
  });

  it('refuses a reading whose WE input is clipped at the full-scale range', async () => {
    const adc = new Ads1115Simulator({ voltage: (ch) => (ch === 0 ? 1.5 : 0.2) });
    const bus = new FakeI2cBus().attach(0x48, adc);
    await expect(new No2B43f(bus, sheet202440338, { sleep: noSleep }).read(20)).rejects.toThrow(
      /WE on ADS1115 0x48 AIN0 is at the ±1.024 V full-scale limit/,
    );
  });

  it('needs a temperature', async () => {
    const sim = new No2B43fSimulator(sheet202440338, { target: { no2_ppb: 10, temperature_c: 20 } });
    const driver = new No2B43f(sim.attachTo(new FakeI2cBus()), sheet202440338, { sleep: noSleep });
    await expect(driver.read(Number.NaN)).rejects.toThrow(/needs the sensor temperature/);
  });
});

describe('NO2-B43F options', () => {
  it('fills the documented defaults', () => {
    const o = no2B43fOptionsSchema.parse(sheet202440338);
    expect(o).toMatchObject({ series: 'B4', algorithm: 1, ads1115_address: 0x48, we_channel: 0, ae_channel: 1, fsr_v: 1.024, sps: 8 });
  });

  it('requires the sheet constants and says which one is missing', () => {
    const { sensitivity_mv_per_ppb: _omit, ...rest } = sheet202440338;
    const r = no2B43fOptionsSchema.safeParse(rest);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['sensitivity_mv_per_ppb']);
  });

  it('rejects WE and AE on the same input, a zero sensitivity, an unknown series and an unknown algorithm', () => {
    expect(no2B43fOptionsSchema.safeParse({ ...sheet202440338, ae_channel: 0 }).error?.issues[0]?.path).toEqual(['ae_channel']);
    expect(no2B43fOptionsSchema.safeParse({ ...sheet202440338, sensitivity_mv_per_ppb: 0 }).success).toBe(false);
    expect(no2B43fOptionsSchema.safeParse({ ...sheet202440338, series: 'C4' }).error?.issues[0]?.path).toEqual(['series']);
    expect(no2B43fOptionsSchema.safeParse({ ...sheet202440338, algorithm: 5 }).error?.issues[0]?.path).toEqual(['algorithm']);
  });

  it('accepts every algorithm for B4 and algorithms 1 and 3 for A4', () => {
    for (const algorithm of [1, 2, 3, 4]) expect(no2B43fOptionsSchema.parse({ ...sheet202440338, algorithm }).algorithm).toBe(algorithm);
    for (const algorithm of [1, 3]) expect(no2B43fOptionsSchema.parse({ ...sheet212060308, algorithm }).series).toBe('A4');
  });

  it('refuses an algorithm the series has no table for, in plain words, at the algorithm key', () => {
    const two = no2B43fOptionsSchema.safeParse({ ...sheet212060308, algorithm: 2 });
    expect(two.error?.issues).toEqual([
      expect.objectContaining({
        path: ['algorithm'],
        message: 'AAN 803 algorithm 2 needs a kT table, and there is none for series A4 (NO2-A43F) — only for B4; set algorithm: 1 or 3',
      }),
    ]);
    const four = no2B43fOptionsSchema.safeParse({ ...sheet212060308, algorithm: 4 });
    expect(four.error?.issues[0]?.message).toBe(
      "AAN 803 algorithm 4 needs a k''T table, and there is none for series A4 (NO2-A43F) — only for B4; set algorithm: 1 or 3",
    );
  });

  it('refuses algorithm 2 with a zero AEo (it divides by it), at the ae_zero_sensor_mv key', () => {
    const r = no2B43fOptionsSchema.safeParse({ ...sheet202440338, algorithm: 2, ae_zero_sensor_mv: 0 });
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        path: ['ae_zero_sensor_mv'],
        message:
          'AAN 803 algorithm 2 scales AE by WEo/AEo and ae_zero_sensor_mv (AEo) is 0; copy AEo from the calibration sheet, or use algorithm 1, 3 or 4',
      }),
    ]);
    // The other algorithms do not divide by AEo.
    expect(no2B43fOptionsSchema.safeParse({ ...sheet202440338, algorithm: 3, ae_zero_sensor_mv: 0 }).success).toBe(true);
  });
});

describe('the simulator inverts whichever algorithm is configured', () => {
  type Combo = [No2B43fOptionsInput, Series, AlgorithmId];
  const combos: Combo[] = [
    ...([1, 2, 3, 4] as const).map((a): Combo => [sheet202440338, 'B4', a]),
    ...([1, 2, 3, 4] as const).map((a): Combo => [sheet202440340, 'B4', a]),
    [sheet212060308, 'A4', 1],
    [sheet212060308, 'A4', 3],
  ];
  const targets = [
    { no2_ppb: 0, temperature_c: -12 },
    { no2_ppb: 35.2, temperature_c: 15 },
    { no2_ppb: 180.4, temperature_c: 44.5 },
  ];

  for (const [sheet, series, algorithm] of combos) {
    it(`round-trips series ${series} algorithm ${algorithm} (sensor ${sheet.serial_number})`, async () => {
      const options = { ...sheet, series, algorithm };
      const parsed = no2B43fOptionsSchema.parse(options);
      for (const target of targets) {
        const sim = new No2B43fSimulator(options, { target });
        const v = await new No2B43f(sim.attachTo(new FakeI2cBus()), options, { sleep: noSleep }).read(target.temperature_c);
        const tolerance = quantisationPpbFor(parsed, target.temperature_c);
        expect(tolerance).toBeLessThan(1);
        expect(Math.abs((v.no2_ppb ?? NaN) - target.no2_ppb)).toBeLessThanOrEqual(tolerance);
        // The reading is exactly the configured algorithm applied to the voltages read.
        expect(v.no2_ppb).toBe(aan803(parsed, v.we_mv ?? NaN, v.ae_mv ?? NaN, target.temperature_c).ppb);
      }
    });
  }

  it('the algorithms put different WE voltages on the ADC for the same target', () => {
    const target = { no2_ppb: 40, temperature_c: 30 };
    const we = ([1, 2, 3, 4] as const).map((algorithm) => new No2B43fSimulator({ ...sheet202440338, algorithm }, { target }).outputsMv().weMv);
    // WEe + 40·s = 242.85172; AE at zero air, so AEt = AEo = −18.396 mV; plus each background at 30 °C:
    // 1: 0.4·(−18.396) = −7.3584; 2: 0.7·(−29.492) = −20.6444; 3: −11.096 + 0.4·(−18.396) = −18.4544; 4: −29.492 + 0.5.
    expect(we[0]).toBeCloseTo(235.49332, 5);
    expect(we[1]).toBeCloseTo(222.20732, 5);
    expect(we[2]).toBeCloseTo(224.39732, 5);
    expect(we[3]).toBeCloseTo(213.85972, 5);
  });
});
