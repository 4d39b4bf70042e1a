// The simulated pole the integration and browser tests run: the demo's parts, sampled fast so a test sees data
// within a second or two. The NO2 constants are the demo's real calibration sheet (sensor 202440338).
import { sheet202440338 } from '../../firmware/drivers/no2-b43f/fixtures.js';

/** One node with a PMS5003 on the UART and a BME280 and NO2-B43F (through an ADS1115) on I2C-1. */
export function fastSimulatedNode(id = 'pole-1', everyS = 0.5, pmsIntervalMs = 300) {
  return {
    id,
    parts: [
      // warmup_s 0: the simulated sensor counts as long awake, so its PM takes part in the windows at once.
      { part: 'pms5003', bus: { type: 'uart', path: '/dev/ttyAMA0' }, options: { sim_interval_ms: pmsIntervalMs, warmup_s: 0 } },
      { part: 'bme280', bus: { type: 'i2c', bus: 1 }, every_s: everyS },
      { part: 'no2-b43f', bus: { type: 'i2c', bus: 1 }, every_s: everyS, options: sheet202440338 },
    ],
  };
}
