// The BME280 as the node runtime opens it (PartModule, firmware/drivers/types.ts): on a simulated station the
// simulator is attached to the FakeI2cBus the runtime hands over, so the driver runs unchanged.
import { FakeI2cBus } from '../../buses/i2c.js';
import type { PartModule } from '../types.js';
import { Bme280 } from './bme280.js';
import { bme280Definition } from './definition.js';
import { bme280OptionsSchema, type Bme280Options } from './options.js';
import { Bme280Simulator } from './simulator.js';

export const bme280Part: PartModule<Bme280Options> = {
  definition: bme280Definition,
  options: bme280OptionsSchema,
  async open(options, env) {
    const bus = await env.i2c();
    const simulated = env.simulate && bus instanceof FakeI2cBus;
    if (simulated) bus.attach(options.address, new Bme280Simulator());
    const driver = new Bme280(bus, options);
    await driver.init();
    return {
      read: async () => ({ values: await driver.read() }),
      async close() {
        if (simulated) bus.detach(options.address);
      },
    };
  },
};
