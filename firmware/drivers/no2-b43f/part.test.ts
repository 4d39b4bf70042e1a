import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { simulatedI2cEnv } from '../../../test/fakes/part-env.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { aan803, algorithm1 } from './algorithm.js';
import { sheet202440338 } from './fixtures.js';
import { no2B43fPart } from './part.js';

const simulatedEnv = (bus: FakeI2cBus, temperature: number | undefined) => simulatedI2cEnv(bus, temperature === undefined ? {} : { temperature_c: temperature });

describe('no2B43fPart', () => {
  const options = no2B43fPart.options.parse({ ...sheet202440338, sps: 860 });

  it('corrects with the temperature another part on the node reported', async () => {
    const bus = new FakeI2cBus();
    // The simulator follows urbanConditions(now); give the part the same temperature a BME280 would report.
    const u = urbanConditions(new Date());
    const handle = await no2B43fPart.open(options, simulatedEnv(bus, u.temperature_c));
    const s = await handle.read?.();
    const after = urbanConditions(new Date());
    const v = s?.values ?? {};
    // Exactly algorithm 1 at the temperature the node reported…
    expect(v.no2_ppb).toBe(algorithm1(options, 'B4', v.we_mv ?? NaN, v.ae_mv ?? NaN, u.temperature_c).ppb);
    // …and close to the scenario (the simulator may have sampled it a second later: allow its noise step).
    expect(v.no2_ppb).toBeGreaterThanOrEqual(Math.min(u.no2_ppb, after.no2_ppb) - 2);
    expect(v.no2_ppb).toBeLessThanOrEqual(Math.max(u.no2_ppb, after.no2_ppb) + 2);
    expect(s?.values.ae_mv).toBeCloseTo(217.2 - 18.396, 1);
    await handle.close();
  });

  it('applies the configured algorithm (station file `algorithm: 3`)', async () => {
    const three = no2B43fPart.options.parse({ ...sheet202440338, algorithm: 3, sps: 860 });
    const handle = await no2B43fPart.open(three, simulatedEnv(new FakeI2cBus(), 21.4));
    const v = (await handle.read?.())?.values ?? {};
    expect(v.no2_ppb).toBe(aan803(three, v.we_mv ?? NaN, v.ae_mv ?? NaN, 21.4).ppb);
    // Algorithm 1 on the same voltages differs: the simulator solved algorithm 3 for WE.
    expect(Math.abs((v.no2_ppb ?? NaN) - algorithm1(three, 'B4', v.we_mv ?? NaN, v.ae_mv ?? NaN, 21.4).ppb)).toBeGreaterThan(10);
    await handle.close();
  });

  it('says what it needs when no temperature has been reported', async () => {
    const handle = await no2B43fPart.open(options, simulatedEnv(new FakeI2cBus(), undefined));
    await expect(handle.read?.()).rejects.toThrow(/needs temperature_c from another part on the same node/);
    await handle.close();
  });
});
