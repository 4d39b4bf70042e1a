// Alphasense NO2-B43F (or NO2-A43F) on an ISB, read through an ADS1115 (WE and AE single-ended), corrected with
// the configured AAN 803 algorithm at the temperature the caller supplies (e.g. from a BME280 on the same node).
import type { I2cBus } from '../../buses/i2c.js';
import { I2cError } from '../../buses/i2c.js';
import { Ads1115, type Ads1115Deps } from '../ads1115/ads1115.js';
import { singleEnded, type Channel } from '../ads1115/config.js';
import type { Values } from '../types.js';
import { aan803, no2PpbToUgm3 } from './algorithm.js';
import { no2B43fOptionsSchema, type No2B43fOptions, type No2B43fOptionsInput } from './options.js';

export class No2B43f {
  readonly options: No2B43fOptions;
  private readonly adc: Ads1115;

  constructor(bus: I2cBus, options: No2B43fOptionsInput, deps: Ads1115Deps = {}) {
    this.options = no2B43fOptionsSchema.parse(options);
    this.adc = new Ads1115(bus, { address: this.options.ads1115_address }, deps);
  }

  /** One reading: no2_ppb, no2_ugm3 (20 °C, 101.325 kPa), and the raw we_mv / ae_mv. */
  async read(temperatureC: number): Promise<Values> {
    if (!Number.isFinite(temperatureC)) {
      throw new TypeError(`NO2-B43F needs the sensor temperature in °C for the AAN 803 correction, got ${temperatureC}`);
    }
    const { weMv, aeMv } = await this.readVoltages();
    return this.correct(weMv, aeMv, temperatureC);
  }

  /** The raw ISB outputs in mV, WE then AE. */
  async readVoltages(): Promise<{ weMv: number; aeMv: number }> {
    const weMv = await this.readMv(this.options.we_channel, 'WE');
    const aeMv = await this.readMv(this.options.ae_channel, 'AE');
    return { weMv, aeMv };
  }

  /** AAN 803 correction of a pair of raw voltages at the sensor temperature. */
  correct(weMv: number, aeMv: number, temperatureC: number): Values {
    if (!Number.isFinite(temperatureC)) {
      throw new TypeError(`NO2-B43F needs the sensor temperature in °C for the AAN 803 correction, got ${temperatureC}`);
    }
    const { ppb } = aan803(this.options, weMv, aeMv, temperatureC);
    return { no2_ppb: ppb, no2_ugm3: no2PpbToUgm3(ppb), we_mv: weMv, ae_mv: aeMv };
  }

  private async readMv(channel: Channel, electrode: string): Promise<number> {
    const o = this.options;
    const c = await this.adc.convert(singleEnded(channel), { fsr: o.fsr_v, sps: o.sps });
    if (c.clipped) {
      throw new I2cError(
        `NO2-B43F ${electrode} on ADS1115 0x${o.ads1115_address.toString(16)} AIN${channel} is at the ±${o.fsr_v} V ` +
          'full-scale limit; check the ISB wiring or raise fsr_v',
        o.ads1115_address,
      );
    }
    return c.volts * 1000;
  }
}
