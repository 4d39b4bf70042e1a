// The SHT4x as the node runtime opens it (PartModule, firmware/drivers/types.ts): a polled I2C part. On a
// simulated station the simulator is attached to the FakeI2cBus the runtime hands over.
import { initOrRelease, openI2cDevice } from '../i2c-device.js';
import type { PartModule } from '../types.js';
import { sht4xDefinition } from './definition.js';
import { sht4xOptionsSchema, type Sht4xOptions } from './options.js';
import { Sht4x } from './sht4x.js';
import { Sht4xSimulator } from './simulator.js';

export const sht4xPart: PartModule<Sht4xOptions> = {
  definition: sht4xDefinition,
  options: sht4xOptionsSchema,
  // Datasheet SHT4x v3 (2022), features and §3.1: VDD 1.08–3.6 V, so SDA/SCL not 5 V tolerant; the address comes
  // with the part number (product list): no strap changes it.
  wiring: (o) => ({
    buses: ['i2c'],
    i2c: [
      {
        address: o.address,
        optionKey: 'address',
        choices: [
          { address: 0x44, how: 'fit an SHT40/41/45-AD1B', rewire: false },
          { address: 0x45, how: 'fit an SHT40-BD1B', rewire: false },
          { address: 0x46, how: 'fit an SHT40-CD1B', rewire: false },
        ],
      },
    ],
    logic: { maxInputV: 3.6, source: 'Sensirion SHT4x datasheet v3, VDD 1.08–3.6 V' },
  }),
  async open(options, env) {
    const device = await openI2cDevice(env, options.address, () => new Sht4xSimulator({ address: options.address }));
    const driver = new Sht4x(device.bus, options);
    await initOrRelease(device, () => driver.init());
    return {
      async read() {
        const r = await driver.read();
        return r.flags.length ? { values: r.values, flags: r.flags } : { values: r.values };
      },
      close: async () => device.release(),
    };
  },
};
