// An Alphasense ISB carrying an NO2-B43F, as seen through an ADS1115: the WE and AE output voltages for a target
// NO2 concentration and temperature, obtained by inverting the configured AAN 803 algorithm (series and 1–4)
// with the sheet constants, served as the input voltages of an Ads1115Simulator. AE is held at its zero-air
// value (AEe + AEo), so the background the correction removes is the sheet's own.
import type { FakeI2cBus } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import type { Channel } from '../ads1115/config.js';
import { Ads1115Simulator } from '../ads1115/simulator.js';
import { aan803WeMv } from './algorithm.js';
import { no2B43fOptionsSchema, type No2B43fOptions, type No2B43fOptionsInput } from './options.js';

export interface No2Target {
  no2_ppb: number;
  temperature_c: number;
}

export interface No2B43fSimulatorOptions {
  /** Fixed conditions, or a function of time; default: urbanConditions(clock()). */
  target?: No2Target | ((at: Date) => No2Target);
  clock?: () => Date;
  /** Passed to the Ads1115Simulator. */
  busyReads?: number;
}

export class No2B43fSimulator {
  readonly options: No2B43fOptions;
  /** The ADC to attach at `options.ads1115_address`. */
  readonly adc: Ads1115Simulator;

  constructor(options: No2B43fOptionsInput, private readonly sim: No2B43fSimulatorOptions = {}) {
    this.options = no2B43fOptionsSchema.parse(options);
    this.adc = new Ads1115Simulator({ voltage: (ch) => this.voltage(ch), busyReads: sim.busyReads ?? 1 });
  }

  target(): No2Target {
    const t = this.sim.target;
    const at = (this.sim.clock ?? (() => new Date()))();
    if (typeof t === 'function') return t(at);
    if (t) return t;
    const u = urbanConditions(at);
    return { no2_ppb: u.no2_ppb, temperature_c: u.temperature_c };
  }

  /** ISB outputs in mV for the current target. */
  outputsMv(): { weMv: number; aeMv: number } {
    const o = this.options;
    const { no2_ppb, temperature_c } = this.target();
    const aeMv = o.ae_zero_electronic_mv + o.ae_zero_sensor_mv;
    return { weMv: aan803WeMv(o, no2_ppb, aeMv, temperature_c), aeMv };
  }

  /** The ADS1115 input voltage callback: WE and AE on their channels, other inputs grounded. */
  voltage(channel: Channel): number {
    const { weMv, aeMv } = this.outputsMv();
    if (channel === this.options.we_channel) return weMv / 1000;
    if (channel === this.options.ae_channel) return aeMv / 1000;
    return 0;
  }

  attachTo(bus: FakeI2cBus): FakeI2cBus {
    return bus.attach(this.options.ads1115_address, this.adc);
  }
}
