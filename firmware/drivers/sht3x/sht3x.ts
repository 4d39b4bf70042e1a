// SHT3x driver: single-shot measurements over an injected I2cBus (Datasheet SHT3x-DIS V5 §4.3–4.4). The read
// header is NACKed while the sensor measures (no clock stretching), which the bus reports as an I2cError: the
// driver waits the datasheet's maximum measurement time, then retries the read a bounded number of times.
import { I2cError, type I2cBus } from '../../buses/i2c.js';
import { defaultSleep, hex, SensirionDataError, SensirionI2cDriver } from '../sensirion-i2c.js';
import { sht3xOptionsSchema, type Sht3xOptions, type Sht3xOptionsInput } from './options.js';
import {
  CLEAR_STATUS, commandBytes, decodeMeasurement, decodeSerial, decodeStatus, MEASURE_COMMAND, MEASURE_MS, READ_SERIAL,
  READ_STATUS, SOFT_RESET, SOFT_RESET_MS, type Sht3xMeasurement, type Sht3xStatus,
} from './protocol.js';

export interface Sht3xDeps {
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}


/** A reply that failed its CRC or had the wrong length, with where it came from. */
export class Sht3xDataError extends SensirionDataError {}

export class Sht3x extends SensirionI2cDriver {
  readonly options: Sht3xOptions;

  constructor(bus: I2cBus, options: Sht3xOptionsInput = {}, deps: Sht3xDeps = {}) {
    const parsed = sht3xOptionsSchema.parse(options);
    super(bus, parsed.address, parsed.max_read_attempts, deps.sleep ?? defaultSleep, 'SHT3x', 'check wiring, the ADDR pin and the supply', Sht3xDataError);
    this.options = parsed;
  }

  private command(command: number): Promise<void> {
    return this.bus.write(this.options.address, commandBytes(command));
  }

  /** Soft reset, then the status register: proves the chip answers and that the reset took (§4.9, §4.11). */
  async init(): Promise<Sht3xStatus> {
    await this.command(SOFT_RESET);
    await this.sleep(SOFT_RESET_MS);
    const status = await this.readStatus();
    if (!status.resetDetected) {
      throw new I2cError(
        `${this.where()} did not report the soft reset in its status register (${hex(status.raw, 4)}); ` +
          'is it an SHT3x (an SHT4x answers at the same addresses with other commands)?',
        this.options.address,
      );
    }
    await this.command(CLEAR_STATUS);
    return status;
  }

  async readStatus(): Promise<Sht3xStatus> {
    await this.command(READ_STATUS);
    return this.decode(await this.readReply(3, 'status'), decodeStatus);
  }

  async readSerialNumber(): Promise<number> {
    await this.command(READ_SERIAL);
    return this.decode(await this.readReply(6, 'serial number'), decodeSerial);
  }

  /** One single-shot measurement at the configured repeatability. */
  async measure(): Promise<Sht3xMeasurement> {
    const { repeatability } = this.options;
    await this.command(MEASURE_COMMAND[repeatability]);
    await this.sleep(MEASURE_MS[repeatability]);
    return this.decode(await this.readReply(6, 'measurement'), decodeMeasurement);
  }

  /** temperature_c and humidity_pct. */
  async read(): Promise<{ temperature_c: number; humidity_pct: number }> {
    const m = await this.measure();
    return { temperature_c: m.temperature_c, humidity_pct: m.humidity_pct };
  }
}
