import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { simulatedI2cEnv } from '../../../test/fakes/part-env.js';
import { bme280Part } from './part.js';

const simulatedEnv = (bus: FakeI2cBus) => simulatedI2cEnv(bus);

describe('bme280Part', () => {
  it('opens on a simulated station, attaches its simulator and reads plausible values', async () => {
    const bus = new FakeI2cBus();
    const handle = await bme280Part.open(bme280Part.options.parse({}), simulatedEnv(bus));
    const s = await handle.read?.();
    for (const q of bme280Part.definition.quantities) {
      const v = s?.values[q.name];
      expect(v).toBeGreaterThanOrEqual(q.min);
      expect(v).toBeLessThanOrEqual(q.max);
    }
    await handle.close();
    await expect(bus.readRegister(0x76, 0xd0, 1)).rejects.toThrow(/no device answered at I2C address 0x76/);
  });

});
