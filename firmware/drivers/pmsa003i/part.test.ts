import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { simulatedI2cEnv } from '../../../test/fakes/part-env.js';
import { pmsa003iPart } from './part.js';

const simulatedEnv = (bus: FakeI2cBus) => simulatedI2cEnv(bus);

describe('pmsa003iPart', () => {
  it('opens on a simulated station, flags warm-up, reads all quantities in range', async () => {
    const bus = new FakeI2cBus();
    const handle = await pmsa003iPart.open(pmsa003iPart.options.parse({}), simulatedEnv(bus));
    expect(handle.warmupS).toBe(30);
    const s = await handle.read?.();
    expect(s?.flags).toEqual(['warmup']);
    expect(Object.keys(s?.values ?? {}).sort()).toEqual(pmsa003iPart.definition.quantities.map((q) => q.name).sort());
    for (const q of pmsa003iPart.definition.quantities) {
      expect(s?.values[q.name]).toBeGreaterThanOrEqual(q.min);
      expect(s?.values[q.name]).toBeLessThanOrEqual(q.max);
    }
    await handle.close();
    await expect(bus.read(0x12, 32)).rejects.toThrow(/no device answered at I2C address 0x12/);
  });

  it('without warm-up, samples carry no flags', async () => {
    const handle = await pmsa003iPart.open(pmsa003iPart.options.parse({ warmup_s: 0 }), simulatedEnv(new FakeI2cBus()));
    expect((await handle.read?.())?.flags).toBeUndefined();
    await handle.close();
  });

});
