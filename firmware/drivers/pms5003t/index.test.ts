import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { createDriver, createSimulator, definition } from './index.js';
import { duplexPair } from '../pms5003/test-pair.js';
import { valuesFromConditions } from '../pms5003/simulator.js';
import { urbanConditions } from '../../sim/urban-day.js';
import type { PmsDriverReading } from '../pms5003/driver.js';

describe('pms5003t part', () => {
  it('drives the shared PMS5003 code with the T layout: temperature and humidity, no >5 µm counts', async () => {
    const at = new Date('2024-01-10T06:00:00Z');
    const { host, device } = duplexPair();
    const sim = createSimulator(device, { clock: () => at });
    const driver = createDriver(host);
    const got = once(driver, 'reading');
    sim.sendFrame();
    const [reading] = (await got) as [PmsDriverReading];
    expect(reading.values).toEqual(valuesFromConditions(urbanConditions(at), 'pms5003t'));
    expect(Object.keys(reading.values).sort()).toEqual(definition.quantities.map((q) => q.name).sort());
    expect(reading.values.n5_0_per_dl).toBeUndefined();
    driver.close();
  });
});
