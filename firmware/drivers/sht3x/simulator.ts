// An SHT3x on a FakeI2cBus: answers the 16-bit commands like the chip (Datasheet SHT3x-DIS V5 §4): single-shot
// measurements whose result is NACKed for `busyReads` reads and then read once (§4.4, §4.6: no data → NACK),
// soft reset, status register with its reset-detected and command-failed bits, clear status, serial number.
// Values come from urbanConditions() so the demo's humidity follows its simulated day.
import { I2cError, type I2cDeviceSim } from '../../buses/i2c.js';
import { encodeWords } from '../../protocols/sensirion-words.js';
import { urbanConditions } from '../../sim/urban-day.js';
import {
  CLEAR_STATUS, MEASURE_COMMAND, READ_SERIAL, READ_STATUS, rawFromHumidity, rawFromTemperature, SOFT_RESET,
} from './protocol.js';

export interface Sht3xTarget {
  temperature_c: number;
  humidity_pct: number;
}

export interface Sht3xSimulatorOptions {
  /** Fixed conditions, or a function of time; default: urbanConditions(clock()). */
  target?: Sht3xTarget | ((at: Date) => Sht3xTarget);
  clock?: () => Date;
  /** How many reads are NACKed after a measurement command (the measurement still running). Default 0. */
  busyReads?: number;
  serialNumber?: number;
  /** Address reported in the NACK errors. Default 0x44. */
  address?: number;
}

const MEASURE_COMMANDS = new Set(Object.values(MEASURE_COMMAND));
// Status bits (§4.11, Table 18).
const STATUS_RESET_DETECTED = 1 << 4;
const STATUS_COMMAND_FAILED = 1 << 1;

export class Sht3xSimulator implements I2cDeviceSim {
  /** Power-up: the reset-detected bit is set (Table 18 default '1'). */
  status = STATUS_RESET_DETECTED;
  /** Commands received, for tests. */
  readonly commands: number[] = [];
  measurements = 0;
  private reply: Uint8Array | undefined;
  private busyLeft = 0;

  constructor(private readonly opts: Sht3xSimulatorOptions = {}) {}

  target(): Sht3xTarget {
    const t = this.opts.target;
    const at = (this.opts.clock ?? (() => new Date()))();
    if (typeof t === 'function') return t(at);
    if (t) return t;
    const u = urbanConditions(at);
    return { temperature_c: u.temperature_c, humidity_pct: u.humidity_pct };
  }

  onWrite(data: Uint8Array): void {
    if (data.length !== 2) {
      // A command is exactly two bytes; anything else is not processed (§4, Table 18 bit 1).
      this.status |= STATUS_COMMAND_FAILED;
      return;
    }
    const command = (data[0]! << 8) | data[1]!;
    this.commands.push(command);
    // A new command discards a result that was never read.
    this.reply = undefined;
    this.busyLeft = 0;
    if (MEASURE_COMMANDS.has(command)) {
      const t = this.target();
      this.measurements++;
      this.reply = encodeWords([rawFromTemperature(t.temperature_c), rawFromHumidity(t.humidity_pct)]);
      this.busyLeft = this.opts.busyReads ?? 0;
      this.status &= ~STATUS_COMMAND_FAILED;
      return;
    }
    switch (command) {
      case SOFT_RESET:
        this.status = STATUS_RESET_DETECTED;
        return;
      case READ_STATUS:
        this.reply = encodeWords([this.status]);
        return;
      case CLEAR_STATUS:
        // Clears bits 15, 11, 10 and 4 (§4.11, Table 19).
        this.status &= ~(0x8000 | 0x0800 | 0x0400 | STATUS_RESET_DETECTED);
        return;
      case READ_SERIAL: {
        const sn = this.opts.serialNumber ?? 0x12345678; // arbitrary
        this.reply = encodeWords([Math.floor(sn / 0x10000) & 0xffff, sn & 0xffff]);
        return;
      }
      default:
        this.status |= STATUS_COMMAND_FAILED;
    }
  }

  onRead(length: number): Uint8Array {
    const address = this.opts.address ?? 0x44;
    if (!this.reply) throw new I2cError(`SHT3x simulator at 0x${address.toString(16)}: no data to read (NACK)`, address);
    if (this.busyLeft > 0) {
      this.busyLeft--;
      throw new I2cError(`SHT3x simulator at 0x${address.toString(16)}: still measuring (NACK)`, address);
    }
    const out = this.reply.slice(0, length);
    // Data is read once (§4.6: after the read-out the data memory is cleared).
    this.reply = undefined;
    return out;
  }
}
