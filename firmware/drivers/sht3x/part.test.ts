import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { simulatedI2cEnv } from '../../../test/fakes/part-env.js';
import { sht3xPart } from './part.js';

const simulatedEnv = (bus: FakeI2cBus) => simulatedI2cEnv(bus);

describe('sht3xPart', () => {
  it('opens on a simulated station, attaches its simulator and reads plausible values', async () => {
    const bus = new FakeI2cBus();
    const handle = await sht3xPart.open(sht3xPart.options.parse({}), simulatedEnv(bus));
    const s = await handle.read?.();
    expect(Object.keys(s?.values ?? {}).sort()).toEqual(['humidity_pct', 'temperature_c']);
    for (const q of sht3xPart.definition.quantities) {
      expect(s?.values[q.name]).toBeGreaterThanOrEqual(q.min);
      expect(s?.values[q.name]).toBeLessThanOrEqual(q.max);
    }
    await handle.close();
    await expect(bus.read(0x44, 6)).rejects.toThrow(/no device answered at I2C address 0x44/);
  });

  it('defaults to address 0x44, high repeatability', () => {
    expect(sht3xPart.options.parse({})).toEqual({ address: 0x44, repeatability: 'high', max_read_attempts: 5 });
  });

});
