// An analog voltage on an Arduino satellite (A0–A5 through Firmata), polled: reports analog_mv and, with a
// calibration, the quantity the sensor measures. On a simulated station the virtual board's pin sees sim_mv.
import type { PartModule } from '../types.js';
import { analogDefinition } from './definition.js';
import { analogOptionsSchema, type AnalogOptions } from './options.js';
import { calibrateLinear } from './calibrate.js';

export const analogPart: PartModule<AnalogOptions> = {
  definition: analogDefinition,
  options: analogOptionsSchema,
  // The ADC input takes 0 V to AREF (5 V on a Uno/Nano): a sensor output above the reference clips, never harms.
  wiring: () => ({ buses: ['analog'], logic: { maxInputV: 5, source: 'ATmega328P datasheet §24 (ADC input range 0 V–AREF) [U]' } }),
  async open(options, env) {
    if (!env.analog) throw new Error('analog inputs exist only on an Arduino satellite: give the part bus: { type: firmata-analog, channel: 0 }');
    const input = await env.analog(() => options.sim_mv);
    return {
      async read() {
        const raw = input.latest();
        if (raw === undefined) throw new Error(`no analog report from ${input.where} yet`);
        const mv = (raw * input.referenceMv) / 1023;
        const values: Record<string, number> = { analog_mv: Math.round(mv * 10) / 10 };
        if (options.calibrate_linear && options.quantity) values[options.quantity] = calibrateLinear(options.calibrate_linear, mv);
        return { values };
      },
      close: () => input.close(),
    };
  },
};
