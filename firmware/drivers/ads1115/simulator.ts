// An ADS1115 on a FakeI2cBus (TI SBAS444 §9.5, §9.6): a pointer register, a config register whose OS bit reads 0
// while a single-shot conversion runs and 1 when idle, threshold registers, and a conversion register holding the
// int16 code of the selected input's voltage, clipped to the full-scale range like the chip. Input voltages come
// from a callback per channel, so another simulator (an Alphasense ISB, say) can drive the inputs.
import type { I2cDeviceSim } from '../../buses/i2c.js';
import { decodeConfig, muxInputs, POINTER, voltsToCode, type Channel } from './config.js';

export interface Ads1115SimulatorOptions {
  /** Volts on AIN0..AIN3 against GND at the moment a conversion starts; default 0 V. */
  voltage?: (channel: Channel) => number;
  /** How many config reads report "converting" after a single-shot start. */
  busyReads?: number;
}

const RESET_CONFIG = 0x8583;

export class Ads1115Simulator implements I2cDeviceSim {
  private pointer = 0;
  private config = RESET_CONFIG;
  private conversion = 0;
  private loThresh = 0x8000;
  private hiThresh = 0x7fff;
  private busyLeft = 0;
  private pendingCode = 0;
  private readonly busyReads: number;
  /** Config words written with OS=1, for tests. */
  readonly starts: number[] = [];

  constructor(private readonly opts: Ads1115SimulatorOptions = {}) {
    this.busyReads = opts.busyReads ?? 1;
  }

  private inputVolts(): number {
    const { mux } = decodeConfig(this.config);
    const [p, n] = muxInputs(mux);
    const v = this.opts.voltage ?? (() => 0);
    return v(p) - (n === null ? 0 : v(n));
  }

  private sample(): number {
    return voltsToCode(this.inputVolts(), decodeConfig(this.config).fsr);
  }

  onWrite(data: Uint8Array): void {
    if (data.length === 0) return;
    this.pointer = (data[0] ?? 0) & 0x03;
    if (data.length < 3) return;
    const word = ((data[1] ?? 0) << 8) | (data[2] ?? 0);
    switch (this.pointer) {
      case POINTER.CONFIG: {
        const idle = this.busyLeft === 0;
        // OS is write-only-as-a-command; the stored bits are everything else.
        this.config = word & 0x7fff;
        const single = (word & 0x100) !== 0;
        if (single && word & 0x8000 && idle) {
          this.starts.push(word);
          this.pendingCode = this.sample();
          this.busyLeft = this.busyReads;
          if (this.busyLeft === 0) this.conversion = this.pendingCode;
        }
        return;
      }
      case POINTER.LO_THRESH:
        this.loThresh = word;
        return;
      case POINTER.HI_THRESH:
        this.hiThresh = word;
        return;
      default:
        return; // the conversion register is read-only
    }
  }

  private registerValue(): number {
    switch (this.pointer) {
      case POINTER.CONVERSION:
        // Continuous mode converts all the time: every read sees a fresh sample.
        if ((this.config & 0x100) === 0) this.conversion = this.sample();
        return this.conversion & 0xffff;
      case POINTER.CONFIG: {
        const busy = this.busyLeft > 0;
        if (busy) {
          this.busyLeft--;
          if (this.busyLeft === 0) this.conversion = this.pendingCode;
        }
        return (busy ? 0 : 0x8000) | this.config;
      }
      case POINTER.LO_THRESH:
        return this.loThresh;
      default:
        return this.hiThresh;
    }
  }

  onRead(length: number): Uint8Array {
    const word = this.registerValue();
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = i % 2 === 0 ? word >> 8 : word & 0xff;
    return out;
  }
}
