// An SHT4x on a FakeI2cBus: answers the one-byte commands like the chip (Datasheet SHT4x §4.5): measurements at
// three precisions whose result is NACKed for `busyReads` reads and then read once, soft reset, serial number.
// Reads with nothing pending are NACKed. Values come from urbanConditions() unless a target is given.
import { I2cError, type I2cDeviceSim } from '../../buses/i2c.js';
import { encodeWords } from '../../protocols/sensirion-words.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { MEASURE_COMMAND, rawFromHumidity, rawFromTemperature, READ_SERIAL, SOFT_RESET } from './protocol.js';

export interface Sht4xTarget {
  temperature_c: number;
  humidity_pct: number;
}

export interface Sht4xSimulatorOptions {
  /** Fixed conditions, or a function of time; default: urbanConditions(clock()). */
  target?: Sht4xTarget | ((at: Date) => Sht4xTarget);
  clock?: () => Date;
  /** How many reads are NACKed after a measurement or serial command. Default 0. */
  busyReads?: number;
  /** Default 0x0fbaf98f, the serial in elixir-sensors/sht4x test/sht4x/comm_test.exs. */
  serialNumber?: number;
  /** Address reported in the NACK errors. Default 0x44. */
  address?: number;
}

const MEASURE_COMMANDS = new Set(Object.values(MEASURE_COMMAND));

export class Sht4xSimulator implements I2cDeviceSim {
  readonly commands: number[] = [];
  measurements = 0;
  resets = 0;
  private reply: Uint8Array | undefined;
  private busyLeft = 0;

  constructor(private readonly opts: Sht4xSimulatorOptions = {}) {}

  target(): Sht4xTarget {
    const t = this.opts.target;
    const at = (this.opts.clock ?? (() => new Date()))();
    if (typeof t === 'function') return t(at);
    if (t) return t;
    const u = urbanConditions(at);
    return { temperature_c: u.temperature_c, humidity_pct: u.humidity_pct };
  }

  onWrite(data: Uint8Array): void {
    if (data.length !== 1) return; // every SHT4x command is one byte; anything else is ignored
    const command = data[0]!;
    this.commands.push(command);
    this.reply = undefined;
    this.busyLeft = 0;
    if (MEASURE_COMMANDS.has(command)) {
      const t = this.target();
      this.measurements++;
      this.reply = encodeWords([rawFromTemperature(t.temperature_c), rawFromHumidity(t.humidity_pct)]);
      this.busyLeft = this.opts.busyReads ?? 0;
    } else if (command === READ_SERIAL) {
      const sn = this.opts.serialNumber ?? 0x0fbaf98f;
      this.reply = encodeWords([Math.floor(sn / 0x10000) & 0xffff, sn & 0xffff]);
      this.busyLeft = this.opts.busyReads ?? 0;
    } else if (command === SOFT_RESET) {
      this.resets++;
    }
  }

  onRead(length: number): Uint8Array {
    const address = this.opts.address ?? 0x44;
    if (!this.reply) throw new I2cError(`SHT4x simulator at 0x${address.toString(16)}: no data to read (NACK)`, address);
    if (this.busyLeft > 0) {
      this.busyLeft--;
      throw new I2cError(`SHT4x simulator at 0x${address.toString(16)}: still measuring (NACK)`, address);
    }
    const out = this.reply.slice(0, length);
    this.reply = undefined;
    return out;
  }
}
