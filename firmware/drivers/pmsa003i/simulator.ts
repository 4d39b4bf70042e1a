// A PMSA003I on a FakeI2cBus: every read returns the current 32-byte block, built with the PMS5003 simulator's
// encodeFrame from the shared urban scenario, so the demo's PM follows its simulated traffic. Writes are
// accepted and ignored (the sensor has no registers a driver needs to set).
import type { I2cDeviceSim } from '../../buses/i2c.js';
import { urbanConditions } from '../../sim/urban-day.js';
import { encodeFrame, valuesFromConditions } from '../pms5003/simulator.js';
import type { Values } from '../types.js';

export interface Pmsa003iSimulatorOptions {
  /** Where values come from. Default: valuesFromConditions(urbanConditions(clock()), 'pms5003'). */
  values?: () => Values;
  clock?: () => Date;
  /** Byte 29 of every block (non-zero: the sensor reports a fault). Default 0. */
  errorCode?: number;
}

export class Pmsa003iSimulator implements I2cDeviceSim {
  reads = 0;
  private readonly valueSource: () => Values;

  constructor(private readonly opts: Pmsa003iSimulatorOptions = {}) {
    const clock = opts.clock ?? (() => new Date());
    this.valueSource = opts.values ?? (() => valuesFromConditions(urbanConditions(clock()), 'pms5003'));
  }

  /** The block a read would return now. */
  block(): Buffer {
    return encodeFrame(this.valueSource(), 'pms5003', { errorCode: this.opts.errorCode ?? 0 });
  }

  onWrite(): void {}

  onRead(length: number): Uint8Array {
    this.reads++;
    const out = new Uint8Array(length);
    // Past the 32 bytes a longer read sees zeros here; what a real sensor sends there is undocumented.
    out.set(this.block().subarray(0, length));
    return out;
  }
}
