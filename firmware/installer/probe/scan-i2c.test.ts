import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../buses/i2c.js';
import { Ads1115Simulator } from '../../drivers/ads1115/simulator.js';
import { Bme280Simulator } from '../../drivers/bme280/simulator.js';
import { CHIP_ID_BMP280 } from '../../drivers/bme280/registers.js';
import { Pmsa003iSimulator } from '../../drivers/pmsa003i/simulator.js';
import { Sht3xSimulator } from '../../drivers/sht3x/simulator.js';
import { Sht4xSimulator } from '../../drivers/sht4x/simulator.js';
import { Sps30I2cSimulator } from '../../drivers/sps30/simulator-i2c.js';
import { probeLinuxI2cBus, scanI2cBus } from './scan-i2c.js';

const noSleep = async () => undefined;

describe('scanI2cBus', () => {
  it('names every part Airlane knows at its address, confirmed by an id register or a CRC-valid reply', async () => {
    const bus = new FakeI2cBus()
      .attach(0x12, new Pmsa003iSimulator())
      .attach(0x44, new Sht3xSimulator())
      .attach(0x45, new Sht4xSimulator({ address: 0x45 }))
      .attach(0x48, new Ads1115Simulator())
      .attach(0x69, new Sps30I2cSimulator())
      .attach(0x76, new Bme280Simulator())
      .attach(0x77, new Bme280Simulator({ chipId: CHIP_ID_BMP280 }));
    const found = await scanI2cBus(bus, 1, noSleep);
    expect(found.map((f) => [f.address, f.candidates, f.confirmed])).toEqual([
      ['0x12', ['PMSA003I'], true],
      ['0x44', ['SHT3x'], true],
      ['0x45', ['SHT4x'], true],
      ['0x48', ['ADS1115'], false],
      ['0x69', ['SPS30'], true],
      ['0x76', ['BME280'], true],
      ['0x77', ['BMP280'], true],
    ]);
    const at = (a: string) => found.find((f) => f.address === a)?.detail;
    expect(at('0x44')).toEqual({ status: '0x0010' }); // power-up status: reset detected (SHT3x Table 18)
    expect(at('0x45')).toEqual({ serial: '0fbaf98f' });
    expect(at('0x48')).toEqual({ config: '0x8583' }); // ADS1115 config register reset value (§9.6.3)
    expect(at('0x69')).toEqual({ product_type: '00080000' });
    expect(at('0x76')).toEqual({ chip_id: '0x60' });
    expect(found.every((f) => f.bus === 1)).toBe(true);
  });

  it('lists both Bosch parts when the chip id is neither', async () => {
    const bus = new FakeI2cBus().attach(0x76, new Bme280Simulator({ chipId: 0x55 }));
    expect(await scanI2cBus(bus, 0, noSleep)).toEqual([{ bus: 0, address: '0x76', candidates: ['BME280', 'BMP280'], confirmed: false, detail: { chip_id: '0x55' } }]);
  });

  it('finds nothing on an empty bus', async () => {
    expect(await scanI2cBus(new FakeI2cBus(), 1, noSleep)).toEqual([]);
  });
});

describe('probeLinuxI2cBus', () => {
  it('turns a missing /dev/i2c-N into a plain one-line hint', async () => {
    expect(await probeLinuxI2cBus(1, { exists: () => false })).toEqual({ bus: 1, found: [], error: 'I2C bus 1 not enabled: raspi-config → Interface → I2C' });
  });
});
