// The analog input's options: this schema is the only place their types and defaults live (STYLE.md).
import { z } from 'zod';
import { quantityName } from '../../contract.js';

const point = z.tuple([z.number(), z.number()]);

export const analogOptionsSchema = z
  .strictObject({
    /**
     * Turns the voltage into a measured quantity: two or more [mV, value] points, linear between them and beyond
     * (ESPHome's `calibrate_linear`; calibration is configuration, not code). Without it only analog_mv is reported.
     */
    calibrate_linear: z.array(point).min(2, 'give at least two [mV, value] points').optional(),
    /** Canonical name of the calibrated quantity, unit in the name (e.g. noise_dba, wind_speed_ms). */
    quantity: quantityName.optional(),
    /** Simulated stations only: the voltage the virtual pin sees, in mV. */
    sim_mv: z.number().min(0).max(5500).default(1650),
  })
  .refine((o) => (o.calibrate_linear === undefined) === (o.quantity === undefined), {
    message: 'calibrate_linear and quantity go together: name the quantity the calibration yields',
    path: ['quantity'],
  });
export type AnalogOptions = z.output<typeof analogOptionsSchema>;
