// SHT3x driver: single-shot measurements over an injected I2cBus (Datasheet SHT3x-DIS V5 §4.3–4.4). The read
// header is NACKed while the sensor measures (no clock stretching), which the bus reports as an I2cError: the
// driver waits the datasheet's maximum measurement time, then retries the read a bounded number of times.
import { I2cError, readWhenReady, type I2cBus } from '../../buses/i2c.js';
import { SensirionWordError } from '../../protocols/sensirion-words.js';
import { sht3xOptionsSchema, type Sht3xOptions, type Sht3xOptionsInput } from './options.js';
import {
  CLEAR_STATUS, commandBytes, decodeMeasurement, decodeSerial, decodeStatus, MEASURE_COMMAND, MEASURE_MS, READ_SERIAL,
  READ_STATUS, SOFT_RESET, SOFT_RESET_MS, type Sht3xMeasurement, type Sht3xStatus,
} from './protocol.js';

export interface Sht3xDeps {
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const hex = (n: number, width = 2) => `0x${n.toString(16).padStart(width, '0')}`;

/** A reply that failed its CRC or had the wrong length, with where it came from. */
export class Sht3xDataError extends I2cError {
  constructor(
    message: string,
    address: number,
    readonly code: 'crc' | 'length',
    /** Which word failed ('temperature', 'humidity', 'status', …). */
    readonly word: string,
    readonly hex: string,
  ) {
    super(message, address);
    this.name = 'Sht3xDataError';
  }
}

export class Sht3x {
  readonly options: Sht3xOptions;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly bus: I2cBus,
    options: Sht3xOptionsInput = {},
    deps: Sht3xDeps = {},
  ) {
    this.options = sht3xOptionsSchema.parse(options);
    this.sleep = deps.sleep ?? defaultSleep;
  }

  private where(): string {
    return `SHT3x at I2C address ${hex(this.options.address)}`;
  }

  private command(command: number): Promise<void> {
    return this.bus.write(this.options.address, commandBytes(command));
  }

  /** Reads `length` bytes, retrying while the sensor NACKs because it is still busy. */
  private async readReply(length: number, what: string): Promise<Uint8Array> {
    const attempts = this.options.max_read_attempts;
    try {
      return await readWhenReady(this.bus, this.options.address, length, attempts, this.sleep);
    } catch (e) {
      if (!(e instanceof I2cError)) throw e;
      throw new I2cError(
        `${this.where()} did not answer the ${what} read after ${attempts} attempts (${e.message}); ` +
          'check wiring, the ADDR pin and the supply',
        this.options.address,
      );
    }
  }

  private decode<T>(reply: Uint8Array, decode: (r: Uint8Array) => T): T {
    try {
      return decode(reply);
    } catch (e) {
      if (!(e instanceof SensirionWordError)) throw e;
      throw new Sht3xDataError(`${this.where()}: ${e.message}; reading dropped`, this.options.address, e.code, e.word, e.hex);
    }
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
