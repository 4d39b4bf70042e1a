import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { simulatedI2cEnv } from '../../../test/fakes/part-env.js';
import { sht4xPart } from './part.js';

const simulatedEnv = (bus: FakeI2cBus) => simulatedI2cEnv(bus);

describe('sht4xPart', () => {
  it('opens on a simulated station, attaches its simulator and reads plausible values', async () => {
    const bus = new FakeI2cBus();
    const handle = await sht4xPart.open(sht4xPart.options.parse({ address: 0x45 }), simulatedEnv(bus));
    const s = await handle.read?.();
    expect(Object.keys(s?.values ?? {}).sort()).toEqual(['humidity_pct', 'temperature_c']);
    expect(s?.flags).toBeUndefined();
    for (const q of sht4xPart.definition.quantities) {
      expect(s?.values[q.name]).toBeGreaterThanOrEqual(q.min);
      expect(s?.values[q.name]).toBeLessThanOrEqual(q.max);
    }
    await handle.close();
    await expect(bus.read(0x45, 6)).rejects.toThrow(/no device answered at I2C address 0x45/);
  });

  it('defaults to address 0x44, high precision', () => {
    expect(sht4xPart.options.parse({})).toEqual({ address: 0x44, precision: 'high', max_read_attempts: 5 });
  });

});
