import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import type { PartEnv } from '../types.js';
import { sht3xPart } from './part.js';

function simulatedEnv(bus: FakeI2cBus): PartEnv {
  return {
    bus: { type: 'i2c', bus: 1 },
    simulate: true,
    log: pino({ level: 'silent' }),
    serial: () => Promise.reject(new Error('no serial here')),
    i2c: async () => bus,
    latest: () => undefined,
  };
}

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
