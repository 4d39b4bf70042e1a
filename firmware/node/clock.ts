// Reading timestamps that survive the system clock being stepped (NTP, chrony `makestep`, an RTC-less Pi setting
// its clock once the network is up). Two clocks are read together: the wall clock (what timestamps are made of)
// and a monotonic one (which never steps). Their difference only creeps while NTP slews the clock (at most
// 500 ppm); a jump in it is a step.
//
// Per part, timestamps stay strictly increasing: time = max(reading time, last issued + 1 ms). So nothing is
// dropped or reordered, and two readings of one part never share a time — InfluxDB would silently merge them into
// one point (same series and time: influxdb-mqtt.md §2). Readings whose time was affected carry the `clock_step`
// flag so QC can tell them apart.

/** A change of (wall − monotonic) beyond this between two observations is a step, not slewing or scheduling. */
export const CLOCK_STEP_TOLERANCE_MS = 2000;

export interface ClockStep {
  direction: 'back' | 'forward';
  /** Size of the step, ms (positive). */
  ms: number;
}

export interface NodeClockOptions {
  now: () => number;
  monotonic: () => number;
  toleranceMs?: number;
  /** Called once per detected step, node-wide (the runtime logs it). */
  onStep?(step: ClockStep): void;
}

/** The node's two clocks, shared by its parts: steps are detected (and reported) once, whichever part sees one. */
export class NodeClock {
  /** Steps seen so far; a part whose last reading was in an earlier epoch flags its next one. */
  epoch = 0;
  private offset: number | undefined;
  private readonly toleranceMs: number;

  constructor(private readonly options: NodeClockOptions) {
    this.toleranceMs = options.toleranceMs ?? CLOCK_STEP_TOLERANCE_MS;
  }

  /** Reads both clocks; returns the wall time and the current epoch. */
  observe(): { wall: number; epoch: number } {
    const wall = this.options.now();
    const offset = wall - this.options.monotonic();
    if (this.offset !== undefined) {
      const moved = offset - this.offset;
      if (Math.abs(moved) > this.toleranceMs) {
        this.epoch++;
        this.options.onStep?.({ direction: moved > 0 ? 'forward' : 'back', ms: Math.abs(moved) });
      }
    }
    // Compared with the last observation, not the first: slewing never adds up to a step.
    this.offset = offset;
    return { wall, epoch: this.epoch };
  }
}

export interface Stamped {
  /** The time to put on the reading, ms since the epoch. */
  time: number;
  /** The reading's time was moved, or the clock stepped since this part's previous reading. */
  clockStep: boolean;
  /**
   * Set on the first reading held back by a step too small for NodeClock to see (its size, ms): the caller warns
   * once. Steps NodeClock saw were reported by it already.
   */
  heldBackMs?: number;
}

/** One part's timestamps: strictly increasing whatever the wall clock does. */
export class PartTimeline {
  private lastIssued: number | undefined;
  private epoch: number | undefined;
  private holding = false;

  stamp(readingTime: number, epoch: number): Stamped {
    const stepped = this.epoch !== undefined && epoch !== this.epoch;
    this.epoch = epoch;
    const last = this.lastIssued;
    let time = readingTime;
    let clockStep = stepped;
    let heldBackMs: number | undefined;
    if (last !== undefined && time <= last) {
      // Equal times are a tie (two frames completed in the same millisecond), not a step: moved, not flagged.
      if (time < last) {
        clockStep = true;
        if (!this.holding && !stepped) heldBackMs = last - time;
        this.holding = true;
      }
      time = last + 1;
    } else this.holding = false;
    this.lastIssued = time;
    return heldBackMs === undefined ? { time, clockStep } : { time, clockStep, heldBackMs };
  }
}
