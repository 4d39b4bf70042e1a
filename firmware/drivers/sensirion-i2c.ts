// What the Sensirion I2C humidity sensors (SHT3x, SHT4x) share in their drivers: the read that the sensor NACKs
// while it measures (retried by readWhenReady, then reported with the part's own wiring hint), and CRC-checked
// words whose failure becomes a data error naming the part, the word and the bytes (protocols/sensirion-words).
import { I2cError, readWhenReady, type I2cBus } from '../buses/i2c.js';
import { SensirionWordError } from '../protocols/sensirion-words.js';

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const hex = (n: number, width = 2) => `0x${n.toString(16).padStart(width, '0')}`;

/** A reply that failed its CRC or had the wrong length, with where it came from. */
export class SensirionDataError extends I2cError {
  constructor(
    message: string,
    address: number,
    readonly code: 'crc' | 'length',
    /** Which word failed ('temperature', 'humidity', 'status', …). */
    readonly word: string,
    readonly hex: string,
  ) {
    super(message, address);
    this.name = new.target.name;
  }
}

type DataErrorClass = new (message: string, address: number, code: 'crc' | 'length', word: string, hex: string) => SensirionDataError;

export abstract class SensirionI2cDriver {
  protected constructor(
    protected readonly bus: I2cBus,
    protected readonly address: number,
    private readonly maxReadAttempts: number,
    protected readonly sleep: (ms: number) => Promise<void>,
    /** e.g. "SHT3x" */
    private readonly model: string,
    /** What to check when the part does not answer (its address pin, its supply range). */
    private readonly noAnswerHint: string,
    private readonly DataError: DataErrorClass,
  ) {}

  protected where(): string {
    return `${this.model} at I2C address ${hex(this.address)}`;
  }

  /** Reads `length` bytes, retrying while the sensor NACKs because it is still busy. */
  protected async readReply(length: number, what: string): Promise<Uint8Array> {
    const attempts = this.maxReadAttempts;
    try {
      return await readWhenReady(this.bus, this.address, length, attempts, this.sleep);
    } catch (e) {
      if (!(e instanceof I2cError)) throw e;
      throw new I2cError(`${this.where()} did not answer the ${what} read after ${attempts} attempts (${e.message}); ${this.noAnswerHint}`, this.address);
    }
  }

  protected decode<T>(reply: Uint8Array, decode: (r: Uint8Array) => T): T {
    try {
      return decode(reply);
    } catch (e) {
      if (!(e instanceof SensirionWordError)) throw e;
      throw new this.DataError(`${this.where()}: ${e.message}; reading dropped`, this.address, e.code, e.word, e.hex);
    }
  }
}
