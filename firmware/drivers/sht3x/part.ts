// The SHT3x as the node runtime opens it (PartModule, firmware/drivers/types.ts): a polled I2C part. On a
// simulated station the simulator is attached to the FakeI2cBus the runtime hands over, so the driver runs
// unchanged.
import { initOrRelease, openI2cDevice } from '../i2c-device.js';
import type { PartModule } from '../types.js';
import { sht3xDefinition } from './definition.js';
import { sht3xOptionsSchema, type Sht3xOptions } from './options.js';
import { Sht3x } from './sht3x.js';
import { Sht3xSimulator } from './simulator.js';

export const sht3xPart: PartModule<Sht3xOptions> = {
  definition: sht3xDefinition,
  options: sht3xOptionsSchema,
  // Datasheet SHT3x-DIS V5 §2: VDD 2.15–5.5 V, I/O levels follow VDD — on a 5 V bus, power it from 5 V. §3: ADDR
  // low 0x44, high 0x45.
  wiring: (o) => ({
    buses: ['i2c'],
    i2c: [
      {
        address: o.address,
        optionKey: 'address',
        choices: [
          { address: 0x44, how: 'ADDR pin low', rewire: true },
          { address: 0x45, how: 'ADDR pin high', rewire: true },
        ],
      },
    ],
    logic: { maxInputV: 5.5, source: 'Sensirion SHT3x-DIS datasheet V5 §2, VDD ≤ 5.5 V' },
  }),
  async open(options, env) {
    const device = await openI2cDevice(env, options.address, () => new Sht3xSimulator({ address: options.address }));
    const driver = new Sht3x(device.bus, options);
    await initOrRelease(device, () => driver.init());
    return {
      read: async () => ({ values: await driver.read() }),
      close: async () => device.release(),
    };
  },
};
