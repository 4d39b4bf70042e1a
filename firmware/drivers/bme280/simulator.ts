// A BME280 on a FakeI2cBus: a 256-byte register map that answers like the chip (BST-BME280-DS002 §5): chip id,
// calibration NVM, reset, ctrl_hum latched by the ctrl_meas write, a forced measurement that keeps status bit 3
// set for a few polls and only then updates the data registers. The raw ADC values are found by inverting the
// compensation numerically, so the driver under test decodes them back to the target conditions.
import type { I2cDeviceSim } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import {
  compensateHumidity, compensatePressureQ24_8, compensateTemperature, encodeCalibration, packData,
  type Bme280Calibration, type RawSample,
} from './compensation.js';
import { realDumpClaudiomattera } from './fixtures.js';
import {
  CHIP_ID_BME280, MODE_SLEEP, REG, RESET_COMMAND, STATUS_IM_UPDATE, STATUS_MEASURING,
} from './registers.js';

export interface Bme280Target {
  temperature_c: number;
  humidity_pct: number;
  pressure_hpa: number;
}

export interface Bme280SimulatorOptions {
  /** Fixed conditions, or a function of time; default: urbanConditions(clock()). */
  target?: Bme280Target | ((at: Date) => Bme280Target);
  clock?: () => Date;
  /** Calibration held in the simulated NVM; default: a real chip's dump (fixtures.ts). */
  calibration?: Bme280Calibration;
  /** Chip id register value (0x58 makes it look like a BMP280). */
  chipId?: number;
  /** How many status reads report "measuring" after a forced trigger. */
  busyReads?: number;
}

/** Smallest |f(x) − target| over the integers lo..hi for a monotonic f (either direction), by bisection. */
export function invertMonotonic(f: (x: number) => number, target: number, lo: number, hi: number): number {
  const rising = f(hi) >= f(lo);
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const m = Math.floor((a + b) / 2);
    if (f(m) >= target === rising) b = m;
    else a = m;
  }
  return Math.abs(f(a) - target) <= Math.abs(f(b) - target) ? a : b;
}

/** The raw ADC triple a chip with calibration `c` would report under conditions `t`. */
export function rawForTarget(c: Bme280Calibration, t: Bme280Target): RawSample {
  const ADC20 = 0xfffff;
  // Temperature first: t_fine feeds the pressure and humidity compensation.
  const adcT = invertMonotonic((x) => compensateTemperature(c, x).centiC / 100, t.temperature_c, 0, ADC20);
  const { tFine } = compensateTemperature(c, adcT);
  const adcP = invertMonotonic((x) => compensatePressureQ24_8(c, x, tFine) / 25600, t.pressure_hpa, 0, ADC20 - 1);
  const adcH = invertMonotonic((x) => compensateHumidity(c, x, tFine), t.humidity_pct, 0, 0xffff - 1);
  return { adcT, adcP, adcH };
}

const POWER_ON: ReadonlyArray<[number, number]> = [
  [REG.CTRL_HUM, 0x00], [REG.STATUS, 0x00], [REG.CTRL_MEAS, 0x00], [REG.CONFIG, 0x00],
  // Data registers hold 0x80000 / 0x8000 until a measurement has run (§5.4.7–5.4.9).
  [0xf7, 0x80], [0xf8, 0x00], [0xf9, 0x00], [0xfa, 0x80], [0xfb, 0x00], [0xfc, 0x00], [0xfd, 0x80], [0xfe, 0x00],
];

export class Bme280Simulator implements I2cDeviceSim {
  private readonly regs = new Uint8Array(256);
  private pointer = 0;
  private latchedCtrlHum = 0;
  private busyLeft = 0;
  private imUpdateLeft = 0;
  private pending: Uint8Array | undefined;
  private readonly calibration: Bme280Calibration;
  private readonly busyReads: number;
  /** Counts forced measurements, for tests. */
  measurements = 0;

  constructor(private readonly opts: Bme280SimulatorOptions = {}) {
    this.calibration = opts.calibration ?? realDumpClaudiomattera.calibration;
    this.busyReads = opts.busyReads ?? 1;
    const { tp, h1, h } = encodeCalibration(this.calibration);
    this.regs.set(tp, REG.CALIB_TP);
    this.regs[REG.CALIB_H1] = h1;
    this.regs.set(h, REG.CALIB_H);
    this.regs[REG.CHIP_ID] = opts.chipId ?? CHIP_ID_BME280;
    this.powerOn();
  }

  private powerOn(): void {
    for (const [r, v] of POWER_ON) this.regs[r] = v;
    this.latchedCtrlHum = 0;
    this.busyLeft = 0;
    this.pending = undefined;
  }

  target(): Bme280Target {
    const t = this.opts.target;
    const at = (this.opts.clock ?? (() => new Date()))();
    if (typeof t === 'function') return t(at);
    if (t) return t;
    const u = urbanConditions(at);
    return { temperature_c: u.temperature_c, humidity_pct: u.humidity_pct, pressure_hpa: u.pressure_hpa };
  }

  onWrite(data: Uint8Array): void {
    if (data.length === 0) return;
    this.pointer = data[0] ?? 0;
    // I2C writes are (register, value) pairs (§6.2.1); a lone byte only sets the read pointer.
    for (let i = 0; i + 1 < data.length; i += 2) this.writeRegister(data[i] ?? 0, data[i + 1] ?? 0);
  }

  onRead(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.readRegister((this.pointer + i) & 0xff);
    this.pointer = (this.pointer + length) & 0xff;
    return out;
  }

  private writeRegister(reg: number, value: number): void {
    switch (reg) {
      case REG.RESET:
        if (value === RESET_COMMAND) {
          this.powerOn();
          this.imUpdateLeft = 1;
        }
        return;
      case REG.CTRL_HUM:
        this.regs[reg] = value & 0x07;
        return;
      case REG.CONFIG:
        this.regs[reg] = value;
        return;
      case REG.CTRL_MEAS: {
        // ctrl_hum changes only become effective after a write to ctrl_meas (§5.4.3).
        this.latchedCtrlHum = (this.regs[REG.CTRL_HUM] ?? 0) & 0x07;
        this.regs[reg] = value;
        const mode = value & 0x03;
        if (mode === 0b01 || mode === 0b10) this.startForced(value);
        return;
      }
      default:
        // Calibration, id, status and data registers are read-only.
        return;
    }
  }

  private startForced(ctrlMeas: number): void {
    this.measurements++;
    const raw = rawForTarget(this.calibration, this.target());
    const data = packData(raw);
    // A skipped measurement (oversampling code 0) leaves the reset value in its registers (§3.4).
    if ((ctrlMeas >> 5) === 0) data.set([0x80, 0x00, 0x00], 3);
    if (((ctrlMeas >> 2) & 0x07) === 0) data.set([0x80, 0x00, 0x00], 0);
    if (this.latchedCtrlHum === 0) data.set([0x80, 0x00], 6);
    this.pending = data;
    this.busyLeft = this.busyReads;
    if (this.busyLeft === 0) this.finish();
  }

  private finish(): void {
    if (this.pending) this.regs.set(this.pending, REG.DATA);
    this.pending = undefined;
    // Forced mode drops back to sleep when the measurement is done (§3.3.3).
    this.regs[REG.CTRL_MEAS] = ((this.regs[REG.CTRL_MEAS] ?? 0) & ~0x03) | MODE_SLEEP;
  }

  private readRegister(reg: number): number {
    if (reg !== REG.STATUS) return this.regs[reg] ?? 0;
    let status = 0;
    if (this.imUpdateLeft > 0) {
      this.imUpdateLeft--;
      status |= STATUS_IM_UPDATE;
    }
    if (this.busyLeft > 0) {
      this.busyLeft--;
      status |= STATUS_MEASURING;
      if (this.busyLeft === 0) this.finish();
    }
    return status;
  }
}
