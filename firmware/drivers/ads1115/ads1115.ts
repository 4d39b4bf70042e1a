// ADS1115 driver: single-shot conversions over an injected I2cBus (TI SBAS444 §9.4.2.1, §9.6).
import type { I2cBus } from '../../buses/i2c.js';
import { I2cError } from '../../buses/i2c.js';
import {
  buildConfig, codeToVolts, conversionMs, POINTER, singleEnded, type Channel, type Fsr, type Mux, type Sps,
} from './config.js';
import { ads1115OptionsSchema, type Ads1115Options, type Ads1115OptionsInput } from './options.js';

export interface Ads1115Deps {
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ConversionSettings {
  fsr?: Fsr;
  sps?: Sps;
}

export interface Conversion {
  /** Signed 16-bit result. */
  code: number;
  volts: number;
  /** True when the code sits at the clip limit: the input is at or beyond the full-scale range. */
  clipped: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Ads1115 {
  readonly options: Ads1115Options;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly bus: I2cBus,
    options: Ads1115OptionsInput = {},
    deps: Ads1115Deps = {},
  ) {
    this.options = ads1115OptionsSchema.parse(options);
    this.sleep = deps.sleep ?? defaultSleep;
  }

  /** Volts on AIN`channel` against GND. */
  async readSingleEnded(channel: Channel, settings: ConversionSettings = {}): Promise<number> {
    return (await this.convert(singleEnded(channel), settings)).volts;
  }

  /** One single-shot conversion of any MUX setting. */
  async convert(mux: Mux, settings: ConversionSettings = {}): Promise<Conversion> {
    const { address, max_polls } = this.options;
    const fsr = settings.fsr ?? this.options.fsr_v;
    const sps = settings.sps ?? this.options.sps;
    const word = buildConfig({ start: true, mux, fsr, sps, mode: 'single-shot' });
    await this.bus.write(address, Uint8Array.of(POINTER.CONFIG, word >> 8, word & 0xff));
    await this.sleep(Math.ceil(conversionMs(sps)));
    // OS reads 0 while the conversion runs and 1 once the device is idle again (§9.6.3).
    let done = false;
    for (let i = 0; i < max_polls && !done; i++) {
      const [msb = 0] = await this.bus.readRegister(address, POINTER.CONFIG, 2);
      done = (msb & 0x80) !== 0;
      if (!done) await this.sleep(1);
    }
    if (!done) {
      throw new I2cError(
        `ADS1115 at I2C address 0x${address.toString(16)} did not finish a conversion after ${max_polls} polls; check its supply`,
        address,
      );
    }
    const [hi = 0, lo = 0] = await this.bus.readRegister(address, POINTER.CONVERSION, 2);
    const raw = (hi << 8) | lo;
    const code = raw & 0x8000 ? raw - 0x10000 : raw;
    return { code, volts: codeToVolts(code, fsr), clipped: code === 32767 || code === -32768 };
  }
}
