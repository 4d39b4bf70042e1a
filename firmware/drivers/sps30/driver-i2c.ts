// Host side of an SPS30 on I2C (address 0x69, ≤ 100 kHz) over an injected I2cBus (firmware/buses/i2c.ts). Writes are
// a 16-bit command plus CRC-protected words; reads are "set pointer" (the command) then a read of words + CRCs.
// Waits after each command follow Sensirion's own driver (python-i2c-sps30 commands.py, device_busy_delay).
import type { I2cBus } from '../../buses/i2c.js';
import type { Values } from '../types.js';
import { asciiz, checkInterval, type Sps30Version } from './commands.js';
import {
  commandFrame, i2cCommandName, I2C_CMD, I2C_READ_LENGTH, I2C_START_FLOAT, SPS30_I2C_ADDRESS, unpackWords,
} from './i2c-protocol.js';
import { decodeMeasurement } from './measurement.js';

export interface Sps30I2cOptions {
  /** 7-bit address; the SPS30 has only 0x69. */
  address?: number;
  /** Injected so tests run without real waits; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** ms to wait after a command before the next transfer (python-i2c-sps30 device_busy_delay). */
const BUSY_MS = { start: 20, stop: 20, sleep: 5, wake: 5, fanClean: 5, autoCleanWrite: 20, reset: 100 } as const;
/**
 * Between a read command (pointer) and the read itself: 5 ms, SPS_CMD_DELAY_USEC of Sensirion's embedded-sps as
 * carried in patricab/nrf9160-aqi src/lib/sps30_I2C.h.
 */
const READ_DELAY_MS = 5;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Sps30I2c {
  readonly address: number;
  asleep = false;
  private readonly sleepFor: (ms: number) => Promise<void>;
  private cachedVersion: Sps30Version | undefined;

  constructor(
    private readonly bus: I2cBus,
    options: Sps30I2cOptions = {},
  ) {
    this.address = options.address ?? SPS30_I2C_ADDRESS;
    if (!Number.isInteger(this.address) || this.address < 0 || this.address > 0x7f) {
      throw new TypeError(`address must be a 7-bit I2C address; got ${options.address}`);
    }
    this.sleepFor = options.sleep ?? defaultSleep;
  }

  /** Start measurement, float output: `00 10 03 00 AC`. */
  async start(): Promise<void> {
    await this.command(I2C_CMD.start, [I2C_START_FLOAT], BUSY_MS.start);
  }

  async stop(): Promise<void> {
    await this.command(I2C_CMD.stop, [], BUSY_MS.stop);
  }

  /** True when a measurement not yet read is waiting (data-ready flag word 0x0001). */
  async dataReady(): Promise<boolean> {
    const d = await this.read(I2C_CMD.dataReady, I2C_READ_LENGTH.dataReady);
    return d[1] === 0x01;
  }

  /** The latest measured values (the read also clears the data-ready flag). */
  async readMeasurement(): Promise<Values> {
    return decodeMeasurement(await this.read(I2C_CMD.read, I2C_READ_LENGTH.read));
  }

  /** Sleep mode: fan, laser and the I2C interface off (firmware ≥ 2.0, idle mode only). */
  async sleep(): Promise<void> {
    const v = await this.version();
    if (v.firmware.major < 2) {
      throw new Error(`SPS30: sleep needs firmware 2.0 or later; this sensor runs ${v.firmware.major}.${v.firmware.minor} — stop the measurement instead`);
    }
    await this.command(I2C_CMD.sleep, [], BUSY_MS.sleep);
    this.asleep = true;
  }

  /**
   * Wake from sleep: a low pulse on SDA first (an empty write: start then stop condition, which the sleeping
   * sensor does not acknowledge), then the wake-up command within 100 ms (datasheet v1.0 §6 (I2C); python-i2c-sps30
   * WakeUp). If the pulse did not take, the datasheet's alternative applies: the command twice in a row.
   */
  async wake(): Promise<void> {
    await this.bus.write(this.address, new Uint8Array(0)).catch(() => undefined);
    try {
      await this.command(I2C_CMD.wake, [], BUSY_MS.wake);
    } catch {
      await this.command(I2C_CMD.wake, [], BUSY_MS.wake);
    }
    this.asleep = false;
  }

  async fanClean(): Promise<void> {
    await this.command(I2C_CMD.fanClean, [], BUSY_MS.fanClean);
  }

  async autoCleanInterval(): Promise<number> {
    const d = await this.read(I2C_CMD.autoClean, I2C_READ_LENGTH.autoClean);
    return Buffer.from(d).readUInt32BE(0);
  }

  async setAutoCleanInterval(seconds: number): Promise<void> {
    const s = checkInterval(seconds);
    await this.command(I2C_CMD.autoClean, [Math.floor(s / 0x10000), s & 0xffff], BUSY_MS.autoCleanWrite);
  }

  /** Serial number: up to 32 ASCII characters, null-terminated (48 bytes with CRCs). */
  async serialNumber(): Promise<string> {
    return asciiz(await this.read(I2C_CMD.serial, I2C_READ_LENGTH.serial));
  }

  /** Product type: 8 ASCII characters ("00080000"). */
  async productType(): Promise<string> {
    return asciiz(await this.read(I2C_CMD.productType, I2C_READ_LENGTH.productType));
  }

  /** Firmware version (major.minor); I2C carries no hardware or SHDLC version, so those read 0. */
  async version(): Promise<Sps30Version> {
    if (!this.cachedVersion) {
      const d = await this.read(I2C_CMD.version, I2C_READ_LENGTH.version);
      this.cachedVersion = { firmware: { major: d[0]!, minor: d[1]! }, hardware: 0, shdlc: { major: 0, minor: 0 } };
    }
    return this.cachedVersion;
  }

  async reset(): Promise<void> {
    await this.command(I2C_CMD.reset, [], BUSY_MS.reset);
    this.asleep = false;
  }

  private async command(cmd: number, words: number[], busyMs: number): Promise<void> {
    await this.bus.write(this.address, commandFrame(cmd, words));
    await this.sleepFor(busyMs);
  }

  /** Pointer write, then a read of `length` bytes; every word's CRC is checked (Sps30CrcError names the word). */
  private async read(cmd: number, length: number): Promise<Uint8Array> {
    await this.bus.write(this.address, commandFrame(cmd));
    await this.sleepFor(READ_DELAY_MS);
    const bytes = await this.bus.read(this.address, length);
    if (bytes.length !== length) {
      throw new Error(`SPS30 I2C: '${i2cCommandName(cmd)}' read ${bytes.length} bytes; expected ${length}`);
    }
    return unpackWords(bytes, cmd);
  }
}
