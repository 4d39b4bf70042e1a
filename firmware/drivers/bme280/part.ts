// The BME280 as the node runtime opens it (PartModule, firmware/drivers/types.ts): on a simulated station the
// simulator is attached to the FakeI2cBus the runtime hands over, so the driver runs unchanged.
import { initOrRelease, openI2cDevice } from '../i2c-device.js';
import type { PartModule } from '../types.js';
import { Bme280 } from './bme280.js';
import { bme280Definition } from './definition.js';
import { bme280OptionsSchema, type Bme280Options } from './options.js';
import { Bme280Simulator } from './simulator.js';

export const bme280Part: PartModule<Bme280Options> = {
  definition: bme280Definition,
  options: bme280OptionsSchema,
  // BST-BME280-DS002 §1: VDD 1.71–3.6 V, VDDIO 1.2–3.6 V (a bare chip's SDA/SCL stay within VDDIO); §6.2: SDO to
  // GND 0x76, to VDDIO 0x77. Breakouts with a regulator and level shifter take 5 V; the config cannot tell.
  wiring: (o) => ({
    buses: ['i2c'],
    i2c: [
      {
        address: o.address,
        optionKey: 'address',
        choices: [
          { address: 0x76, how: 'SDO to GND', rewire: true },
          { address: 0x77, how: 'SDO to VDDIO', rewire: true },
        ],
      },
    ],
    logic: { maxInputV: 3.6, source: 'Bosch BST-BME280-DS002 §1, VDDIO ≤ 3.6 V' },
  }),
  async open(options, env) {
    const device = await openI2cDevice(env, options.address, () => new Bme280Simulator());
    const driver = new Bme280(device.bus, options);
    await initOrRelease(device, () => driver.init());
    return {
      read: async () => ({ values: await driver.read() }),
      close: async () => device.release(),
    };
  },
};
