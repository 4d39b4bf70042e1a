// BME280 driver: forced-mode measurements over an injected I2cBus (BST-BME280-DS002 §3.3.3, §4, §5).
import type { I2cBus } from '../../buses/i2c.js';
import { I2cError } from '../../buses/i2c.js';
import type { Values } from '../types.js';
import { compensate, parseCalibration, unpackData, type Bme280Calibration } from './compensation.js';
import { bme280OptionsSchema, type Bme280Options, type Bme280OptionsInput } from './options.js';
import {
  CALIB_H_LENGTH, CALIB_TP_LENGTH, CHIP_ID_BME280, CHIP_ID_BMP280, DATA_LENGTH, MODE_FORCED, OVERSAMPLING_CODE,
  REG, RESET_COMMAND, STATUS_IM_UPDATE, STATUS_MEASURING,
} from './registers.js';

export interface Bme280Deps {
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** Skipped or never-run measurements leave the reset values in the data registers (§5.4.7–5.4.9). */
const ADC_TP_RESET = 0x80000;
const ADC_H_RESET = 0x8000;

/** §9.1: maximum measurement time in ms for the given oversampling of T, P and H. */
export function maxMeasurementMs(os: number): number {
  return 1.25 + 2.3 * os + (2.3 * os + 0.575) + (2.3 * os + 0.575);
}

export class Bme280 {
  readonly options: Bme280Options;
  private calibration: Bme280Calibration | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly bus: I2cBus,
    options: Bme280OptionsInput = {},
    deps: Bme280Deps = {},
  ) {
    this.options = bme280OptionsSchema.parse(options);
    this.sleep = deps.sleep ?? defaultSleep;
  }

  private where(): string {
    return `BME280 at I2C address ${hex(this.options.address)}`;
  }

  /** Check the chip id, reset the chip and read its calibration. Safe to call again after a power cycle. */
  async init(): Promise<Bme280Calibration> {
    const address = this.options.address;
    const [id = -1] = await this.bus.readRegister(address, REG.CHIP_ID, 1);
    if (id === CHIP_ID_BMP280) {
      throw new I2cError(
        `${this.where()} answered chip id 0x58, which is a BMP280 (pressure and temperature only, no humidity); ` +
          'fit a real BME280 (boards sold as "BME280" often carry a BMP280) or configure a bmp280 part',
        address,
      );
    }
    if (id !== CHIP_ID_BME280) {
      throw new I2cError(`${this.where()} answered chip id ${hex(id)}, expected 0x60; check the address (SDO pin) and the part`, address);
    }
    // A soft reset puts the chip in sleep mode with known settings, then the NVM is copied (§5.4.2, §5.4.4).
    await this.bus.write(address, Uint8Array.of(REG.RESET, RESET_COMMAND));
    await this.sleep(2); // start-up time, §1 Table 1
    await this.pollStatus(STATUS_IM_UPDATE, 'copying its calibration (im_update)');
    const tp = await this.bus.readRegister(address, REG.CALIB_TP, CALIB_TP_LENGTH);
    const [h1 = 0] = await this.bus.readRegister(address, REG.CALIB_H1, 1);
    const h = await this.bus.readRegister(address, REG.CALIB_H, CALIB_H_LENGTH);
    this.calibration = parseCalibration(tp, h1, h);
    // Filter off, standby irrelevant in forced mode (§5.4.6); config is only writable in sleep mode, as now.
    await this.bus.write(address, Uint8Array.of(REG.CONFIG, 0x00));
    return this.calibration;
  }

  /** One forced measurement: temperature_c, humidity_pct, pressure_hpa. */
  async read(): Promise<Values> {
    const calibration = this.calibration ?? (await this.init());
    const { address, oversampling } = this.options;
    const code = OVERSAMPLING_CODE[oversampling];
    // ctrl_hum only takes effect on the next ctrl_meas write, so it must go first (§5.4.3).
    await this.bus.write(address, Uint8Array.of(REG.CTRL_HUM, code));
    await this.bus.write(address, Uint8Array.of(REG.CTRL_MEAS, (code << 5) | (code << 2) | MODE_FORCED));
    await this.sleep(Math.ceil(maxMeasurementMs(oversampling)));
    await this.pollStatus(STATUS_MEASURING, 'measuring');
    const raw = unpackData(await this.bus.readRegister(address, REG.DATA, DATA_LENGTH));
    if (raw.adcT === ADC_TP_RESET || raw.adcP === ADC_TP_RESET || raw.adcH === ADC_H_RESET) {
      throw new I2cError(`${this.where()} returned the data registers' reset value: the forced measurement did not run`, address);
    }
    const c = compensate(calibration, raw);
    return { temperature_c: c.temperature_c, humidity_pct: c.humidity_pct, pressure_hpa: c.pressure_pa / 100 };
  }

  private async pollStatus(bit: number, what: string): Promise<void> {
    for (let i = 0; i < this.options.max_status_polls; i++) {
      const [status = 0] = await this.bus.readRegister(this.options.address, REG.STATUS, 1);
      if ((status & bit) === 0) return;
      await this.sleep(1);
    }
    throw new I2cError(
      `${this.where()} was still ${what} after ${this.options.max_status_polls} status polls; check its supply and wiring`,
      this.options.address,
    );
  }
}
