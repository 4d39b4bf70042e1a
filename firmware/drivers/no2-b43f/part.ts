// The NO2-B43F as the node runtime opens it (PartModule, firmware/drivers/types.ts). The AAN 803 correction needs
// the sensor temperature: it is taken from the latest temperature_c another part on the same node (a BME280 next
// to the ISB) reported. On a simulated station the ISB simulator's ADS1115 is attached to the FakeI2cBus.
import { FakeI2cBus } from '../../buses/i2c.js';
import type { PartModule } from '../types.js';
import { no2B43fDefinition } from './definition.js';
import { No2B43f } from './no2-b43f.js';
import { no2B43fOptionsSchema, type No2B43fOptions } from './options.js';
import { No2B43fSimulator } from './simulator.js';

export const no2B43fPart: PartModule<No2B43fOptions> = {
  definition: no2B43fDefinition,
  options: no2B43fOptionsSchema,
  // The part on the bus is its ADS1115: TI SBAS444 §9.5.1.1 (ADDR to GND 0x48, VDD 0x49, SDA 0x4A, SCL 0x4B); §7.1
  // digital inputs up to 5.5 V whatever VDD [U: absolute maximum table not re-read].
  wiring: (o) => ({
    buses: ['i2c'],
    i2c: [
      {
        address: o.ads1115_address,
        chip: 'ADS1115',
        optionKey: 'ads1115_address',
        choices: [
          { address: 0x48, how: 'ADDR to GND', rewire: true },
          { address: 0x49, how: 'ADDR to VDD', rewire: true },
          { address: 0x4a, how: 'ADDR to SDA', rewire: true },
          { address: 0x4b, how: 'ADDR to SCL', rewire: true },
        ],
      },
    ],
    logic: { maxInputV: 5.5, source: 'TI ADS1115 SBAS444 §7.1, digital inputs ≤ 5.5 V [U]' },
  }),
  async open(options, env) {
    const bus = await env.i2c();
    const simulated = env.simulate && bus instanceof FakeI2cBus;
    if (simulated) new No2B43fSimulator(options).attachTo(bus);
    const driver = new No2B43f(bus, options);
    return {
      async read() {
        // Read the voltages first: a temperature part polled at the same moment has reported by then.
        const { weMv, aeMv } = await driver.readVoltages();
        const t = env.latest('temperature_c');
        if (t === undefined) {
          throw new Error('no2-b43f needs temperature_c from another part on the same node (e.g. a bme280) and none has reported yet');
        }
        return { values: driver.correct(weMv, aeMv, t) };
      },
      async close() {
        if (simulated) bus.detach(options.ads1115_address);
      },
    };
  },
};
