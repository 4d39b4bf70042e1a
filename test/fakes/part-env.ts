// What a part sees on a simulated station with one I2C bus: the fake bus the test holds (so it can look at what
// the part attached), no serial line, and `latest` values from the node's other parts.
import type { FakeI2cBus } from '../../firmware/buses/i2c.js';
import type { PartEnv } from '../../firmware/drivers/types.js';
import { silentLogger } from '../../gateway/core/log.js';

export function simulatedI2cEnv(bus: FakeI2cBus, latest: Record<string, number> = {}): PartEnv {
  return {
    bus: { type: 'i2c', bus: 1 },
    simulate: true,
    log: silentLogger,
    serial: () => Promise.reject(new Error('no serial line on this test bus')),
    i2c: async () => bus,
    latest: (q) => latest[q],
  };
}
