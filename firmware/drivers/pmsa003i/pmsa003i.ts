// PMSA003I driver: one 32-byte read per sample over an injected I2cBus at 0x12 (adafruit/Adafruit_PM25AQI,
// Adafruit_PM25AQI_PMSA003I::read: i2c_dev->read(buffer, 32), then start bytes and checksum). No register
// pointer is written: the sensor returns its latest block from the start.
import { I2cError, type I2cBus } from '../../buses/i2c.js';
import type { Values } from '../types.js';
import { pmsa003iOptionsSchema, type Pmsa003iOptions, type Pmsa003iOptionsInput } from './options.js';
import { decodeBlock, PMSA003I_BLOCK_BYTES, type Pmsa003iBlockErrorCode } from './protocol.js';

export interface Pmsa003iDeps {
  now?: () => number;
}

/** A block that failed its checks: which check, why, and the bytes. */
export class Pmsa003iFrameError extends I2cError {
  constructor(
    message: string,
    address: number,
    readonly code: Pmsa003iBlockErrorCode,
    readonly reason: string,
    readonly hex: string,
  ) {
    super(message, address);
    this.name = 'Pmsa003iFrameError';
  }
}

export interface Pmsa003iReading {
  values: Values;
  /** 'warmup' within warmup_s of opening; 'sensor_error' when the frame's error byte is non-zero. */
  flags: string[];
  /** Byte 28 ("reserved" in the manual; firmware version in practice) and byte 29 (error code). */
  version: number;
  errorCode: number;
}

export class Pmsa003i {
  readonly options: Pmsa003iOptions;
  private readonly now: () => number;
  private readonly openedAt: number;

  constructor(
    private readonly bus: I2cBus,
    options: Pmsa003iOptionsInput = {},
    deps: Pmsa003iDeps = {},
  ) {
    this.options = pmsa003iOptionsSchema.parse(options);
    this.now = deps.now ?? Date.now;
    // A sensor that was just powered (or the node just started) is treated as warming up.
    this.openedAt = this.now();
  }

  async read(): Promise<Pmsa003iReading> {
    const { address } = this.options;
    const block = await this.bus.read(address, PMSA003I_BLOCK_BYTES);
    const r = decodeBlock(block);
    if (!r.ok) {
      throw new Pmsa003iFrameError(
        `PMSA003I at I2C address 0x${address.toString(16)}: ${r.code} check failed (${r.reason}); block dropped`,
        address,
        r.code,
        r.reason,
        r.hex,
      );
    }
    const flags: string[] = [];
    if (this.now() - this.openedAt < this.options.warmup_s * 1000) flags.push('warmup');
    if (r.errorCode) flags.push('sensor_error');
    return { values: r.values, flags, version: r.version, errorCode: r.errorCode };
  }
}
