// The NO2-B43F's options: this schema is the only place their types and defaults live (STYLE.md).
// The five calibration numbers come from the sensor's Alphasense calibration sheet (sensor + ISB); they are
// per sensor, so they have no defaults.
import { z } from 'zod';
import { FSR_VALUES, SPS_VALUES } from '../ads1115/config.js';
import { ALGORITHMS, SERIES, settingsProblem } from './algorithm.js';

const channel = z.literal([0, 1, 2, 3]);

export const no2B43fOptionsSchema = z
  .strictObject({
    /** Sensor serial number from the sheet (records which sheet the numbers came from). */
    serial_number: z.string().optional(),
    /** AAN 803 factor tables to use: B4 for an NO2-B43F, A4 for an NO2-A43F (the rows differ; match the cell). */
    series: z.enum(SERIES).default('B4'),
    /**
     * AAN 803 algorithm: 1 nT·AE, 2 kT·(WEo/AEo)·AE, 3 (WEo − AEo) + k'T·AE, 4 WEo + k''T. Series A4 has tables
     * for 1 and 3 only (algorithm.ts says why).
     */
    algorithm: z.literal([...ALGORITHMS]).default(1),
    /** WEe: the ISB's working-electrode output with no sensor fitted, mV. */
    we_zero_electronic_mv: z.number(),
    /** AEe: the ISB's auxiliary-electrode output with no sensor fitted, mV. */
    ae_zero_electronic_mv: z.number(),
    /** WEo: the sensor's working-electrode zero in zero air, mV (used by AAN 803 algorithms 2–4). */
    we_zero_sensor_mv: z.number(),
    /** AEo: the sensor's auxiliary-electrode zero in zero air, mV (used by AAN 803 algorithms 2–4). */
    ae_zero_sensor_mv: z.number(),
    /**
     * WE sensitivity in mV/ppb with the ISB gain folded in (sheet: nA/ppb × ISB gain mV/nA). NO2 cells give a
     * negative current (e.g. −0.339 nA/ppb); the NO2 ISB's gain is negative too (−0.73 mV/nA), so the mV/ppb
     * figure is usually positive. Use the sheet's value and sign.
     */
    sensitivity_mv_per_ppb: z.number().refine((v) => v !== 0, 'sensitivity_mv_per_ppb must not be 0'),
    /** I2C address of the ADS1115 the ISB outputs are wired to. */
    ads1115_address: z.literal([0x48, 0x49, 0x4a, 0x4b]).default(0x48),
    /** ADS1115 input carrying the ISB's WE output (OP1). */
    we_channel: channel.default(0),
    /** ADS1115 input carrying the ISB's AE output (OP2). */
    ae_channel: channel.default(1),
    /**
     * ADS1115 full-scale range. ±1.024 V: ISB outputs sit at ~200–400 mV (the electronic zero) plus
     * ~0.25–0.5 mV/ppb, so this leaves headroom for a few ppm while one LSB (31.25 µV) stays near 0.1 ppb, far
     * below the cell's noise. ±0.512 V would clip a 350 mV zero board above ~600 ppb.
     */
    fsr_v: z.literal([...FSR_VALUES]).default(1.024),
    /** ADS1115 data rate. 8 SPS: lowest noise; 2 × 125 ms per reading is nothing next to a 1-minute schedule. */
    sps: z.literal([...SPS_VALUES]).default(8),
  })
  .refine((o) => o.we_channel !== o.ae_channel, { message: 'we_channel and ae_channel must differ', path: ['ae_channel'] })
  .superRefine((o, ctx) => {
    const problem = settingsProblem(o);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
  });

export type No2B43fOptionsInput = z.input<typeof no2B43fOptionsSchema>;
export type No2B43fOptions = z.output<typeof no2B43fOptionsSchema>;
