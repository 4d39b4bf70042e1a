// The PMSA003I as the node runtime opens it (PartModule, firmware/drivers/types.ts): a polled I2C part, read
// every `every_s`. Samples within warmup_s of opening are flagged `warmup` (the runtime discards them). On a
// simulated station the simulator is attached to the FakeI2cBus the runtime hands over.
import { initOrRelease, openI2cDevice } from '../i2c-device.js';
import type { PartModule } from '../types.js';
import { pmsa003iDefinition } from './definition.js';
import { pmsa003iOptionsSchema, type Pmsa003iOptions } from './options.js';
import { Pmsa003i } from './pmsa003i.js';
import { Pmsa003iSimulator } from './simulator.js';

export const pmsa003iPart: PartModule<Pmsa003iOptions> = {
  definition: pmsa003iDefinition,
  options: pmsa003iOptionsSchema,
  // One fixed address, 0x12 (options.ts). 3.3 V data pins as the Plantower family's "Circuit Attentions"; PyPMS
  // docs/sensors/Plantower.md: "the I/O pins are not 5V tolerant" [U: the PMSA003I manual's own wording not re-read].
  wiring: (o) => ({
    buses: ['i2c'],
    i2c: [{ address: o.address }],
    logic: { maxInputV: 3.3, source: 'Plantower PMSA003I manual V2.6 [U]; PyPMS docs/sensors/Plantower.md: not 5 V tolerant' },
  }),
  async open(options, env) {
    const device = await openI2cDevice(env, options.address, () => new Pmsa003iSimulator());
    const driver = new Pmsa003i(device.bus, options);
    return {
      warmupS: options.warmup_s,
      async read() {
        const r = await driver.read();
        return r.flags.length ? { values: r.values, flags: r.flags } : { values: r.values };
      },
      close: async () => device.release(),
    };
  },
};
