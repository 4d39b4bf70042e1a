// What a simulated SPS30 is, independent of its bus: its operating mode (idle / measuring / sleep — datasheet v1.0
// §4 (functional overview)), a new measurement every intervalMs while measuring, a data-ready flag that the read clears, and the values,
// taken from the shared urban scenario. The UART and I2C simulators (simulator-uart.ts, simulator-i2c.ts) wrap it
// in the real bytes of their bus.
import { urbanConditions, type UrbanConditions } from '../../sim/urban-day.js';
import type { Values } from '../types.js';
import { AUTO_CLEAN_DEFAULT_S } from './commands.js';
import { f32, SPS30_QUANTITIES } from './measurement.js';

export type Sps30Mode = 'idle' | 'measuring' | 'sleep';

export interface Sps30ModelOptions {
  /** Time between measurements while measuring: 1000 ms on a real sensor; 0 = a new one at every read. */
  intervalMs?: number;
  /** Fixed values, or a function of time; default: sps30ValuesFromConditions(urbanConditions(clock())). */
  values?: Values | ((at: Date) => Values);
  clock?: () => Date;
  serial?: string;
  firmware?: { major: number; minor: number };
  /** Sets bit 7 (device error flag) of every UART state byte, as a sensor with a fan or laser fault would. */
  deviceError?: boolean;
}

/**
 * Plausible SPS30 values from the urban scenario. SIMULATOR CHOICE, not a datasheet fact: mass PM1/2.5/10 come
 * from urbanConditions(); PM4 sits 30 % of the way from PM2.5 to PM10; number concentrations are scaled from the
 * mass in each size band with ratios close to the real PyPMS capture in fixtures.ts (≈ 7.8 #/cm³ per µg/m³ below
 * 1 µm, 0.84 of those above 0.5 µm, ≈ 0.9 per µg/m³ for 1–2.5 µm, ≈ 0.3 per µg/m³ for 2.5–10 µm); the typical size
 * grows with the coarse share of PM10. All values are cumulative (non-decreasing with size), as the sensor's are,
 * and rounded to float32 exactly as they travel on the wire.
 */
export function sps30ValuesFromConditions(c: UrbanConditions): Values {
  const pm1 = Math.max(0, c.pm1_ugm3);
  const pm25 = Math.max(pm1, c.pm25_ugm3);
  const pm10 = Math.max(pm25, c.pm10_ugm3);
  const pm4 = pm25 + 0.3 * (pm10 - pm25);
  const nc1 = 7.8 * pm1;
  const nc05 = 0.84 * nc1;
  const nc25 = nc1 + 0.9 * (pm25 - pm1);
  const nc4 = nc25 + 0.3 * (pm4 - pm25);
  const nc10 = nc4 + 0.3 * (pm10 - pm4);
  const size = pm10 > 0 ? Math.min(2.5, Math.max(0.3, 0.5 + 0.6 * ((pm10 - pm1) / pm10))) : 0;
  const raw = [pm1, pm25, pm4, pm10, nc05, nc1, nc25, nc4, nc10, size];
  return Object.fromEntries(SPS30_QUANTITIES.map((q, i) => [q, f32(raw[i]!)]));
}

const ZERO: Values = Object.fromEntries(SPS30_QUANTITIES.map((q) => [q, 0]));

export class Sps30Model {
  mode: Sps30Mode = 'idle';
  autoCleanIntervalS = AUTO_CLEAN_DEFAULT_S;
  fanCleanings = 0;
  readonly serial: string;
  readonly firmware: { major: number; minor: number };
  deviceError: boolean;
  private readonly intervalMs: number;
  private readonly clock: () => Date;
  private measuringSince = 0;
  private lastIndex = 0;
  private reads = 0;

  constructor(private readonly opts: Sps30ModelOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    if (!(this.intervalMs >= 0 && Number.isFinite(this.intervalMs))) throw new TypeError(`intervalMs must be ≥ 0; got ${opts.intervalMs}`);
    this.clock = opts.clock ?? (() => new Date());
    this.serial = opts.serial ?? 'AIRLANESIM0000001';
    this.firmware = opts.firmware ?? { major: 2, minor: 2 };
    this.deviceError = opts.deviceError ?? false;
  }

  now(): number {
    return this.clock().getTime();
  }

  startMeasuring(): void {
    this.mode = 'measuring';
    this.measuringSince = this.now();
    this.lastIndex = 0;
    this.reads = 0;
  }

  /** Measurement mode → idle, or a reset/wake-up: the fan stops. */
  idle(): void {
    this.mode = 'idle';
  }

  sleep(): void {
    this.mode = 'sleep';
  }

  /** How many measurements have been made since the start (interval 0: one more than has been read). */
  private index(): number {
    if (this.mode !== 'measuring') return this.lastIndex;
    if (this.intervalMs === 0) return this.reads + 1;
    return Math.floor((this.now() - this.measuringSince) / this.intervalMs);
  }

  /** The data-ready flag: a measurement not read yet. */
  dataReady(): boolean {
    return this.mode === 'measuring' && this.index() > this.lastIndex;
  }

  /** UART read: the new measurement, or null when there is none (the sensor then sends an empty reply). */
  takeNew(): Values | null {
    if (!this.dataReady()) return null;
    return this.takeLatest();
  }

  /** I2C read: always the latest values (zeros before the first measurement); clears the data-ready flag. */
  takeLatest(): Values {
    const i = this.index();
    this.reads++;
    this.lastIndex = i;
    return i > 0 ? this.values() : { ...ZERO };
  }

  values(): Values {
    const v = this.opts.values;
    const at = this.clock();
    if (typeof v === 'function') return v(at);
    if (v) return { ...v };
    return sps30ValuesFromConditions(urbanConditions(at));
  }
}
