// Vehicle counts from detector pulses (inductive loop detector outputs, pneumatic tube counters) on an Arduino's
// digital pins. Each activation is one vehicle; its on-time gives heavy-vehicle classification and occupancy. Counts
// are emitted per wall-clock-aligned interval, stamped with the interval START (traffic.md §3).
//
// Choices:
// - A vehicle belongs to the interval in which its pulse starts. Occupancy is the share of the interval during which
//   the detector was active, clipped to the interval (loop occupancy as in traffic.md §3, MnDOT 30-s volume/occupancy).
// - An interval [a, b) is emitted at b + heavy_min_pulse_ms + debounce_ms: by then every vehicle that started before
//   b is known to be heavy or not, and no bounce can still reopen its pulse.
// - The first, partial interval after start() is dropped, and so is the one in progress at stop(): TrafficCount has
//   no completeness field, and a shorter interval_s would break series that aggregators sum by interval.
// - Times are the host's arrival times of Firmata port messages: USB latency shifts edges by milliseconds, alike for
//   both edges of a pulse, so on-times hold.
import { TrafficCountSchema, describeIssues, type TrafficCount } from '../../contract.js';
import type { DetectorOptions, VehicleCounterOptions } from './options.js';

/** Firmata pin modes (firmata/protocol protocol.md "Set pin mode"; PULLUP is 0x0B since 2.5). */
const MODE_INPUT = 0x00;
const MODE_PULLUP = 0x0b;

/**
 * What the counter needs from a board: a johnny-five Board satisfies it (its pinMode/digitalRead pass through to
 * firmata.js), and tests can drive it without one.
 */
export interface DigitalPinBoard {
  pinMode(pin: number, mode: number): unknown;
  /** Calls back with the pin's level (0/1) on every port report, repeated levels included. */
  digitalRead(pin: number, handler: (level: number) => void): unknown;
  /** johnny-five's Board emits "close" when the serial link goes; counting then stops. */
  on?(event: 'close', listener: () => void): unknown;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** One detector activation, after debouncing: a vehicle over the loop from `start` to `end` (null while present). */
interface Occupation {
  start: number;
  end: number | null;
}

interface DetectorState {
  options: DetectorOptions;
  activeLevel: 0 | 1;
  level: 0 | 1 | null;
  occupations: Occupation[];
}

export interface VehicleCounterDeps {
  clock?: Clock;
  /** Problems that stop or skip counting (board closed, a count failing its schema); counting itself never throws. */
  onError?: (error: Error) => void;
}

export class VehicleCounter {
  private readonly clock: Clock;
  private readonly onError: (error: Error) => void;
  private readonly intervalMs: number;
  private readonly holdMs: number;
  private readonly detectors: DetectorState[];
  private emit: ((count: TrafficCount) => void) | null = null;
  private timer: unknown = null;
  /** End of the next interval to emit. */
  private nextEnd = 0;

  constructor(
    private readonly board: DigitalPinBoard,
    private readonly options: VehicleCounterOptions,
    deps: VehicleCounterDeps = {},
  ) {
    this.clock = deps.clock ?? systemClock;
    this.onError = deps.onError ?? (() => undefined);
    this.intervalMs = options.interval_s * 1000;
    this.holdMs = options.heavy_min_pulse_ms + options.debounce_ms;
    this.detectors = options.detectors.map((d) => ({
      options: d,
      activeLevel: d.active === 'low' ? 0 : 1,
      level: null,
      occupations: [],
    }));
  }

  /**
   * Configure the pins and start counting. The first count covers the first full interval, and arrives
   * heavy_min_pulse_ms + debounce_ms after it ends.
   */
  start(emit: (count: TrafficCount) => void): void {
    if (this.emit) throw new Error('vehicle counter already started');
    this.emit = emit;
    for (const d of this.detectors) {
      const { pin, detector, active } = d.options;
      try {
        this.board.pinMode(pin, active === 'low' ? MODE_PULLUP : MODE_INPUT);
        this.board.digitalRead(pin, (level) => this.onLevel(d, level));
      } catch (e) {
        this.emit = null;
        throw new Error(`vehicle counter, detector "${detector}": cannot read pin ${pin} (${(e as Error).message}); check the pin exists on this board`);
      }
    }
    this.board.on?.('close', () => {
      if (!this.emit) return;
      this.stop();
      this.onError(new Error(`vehicle counter for site "${this.options.site}": the board closed; counting stopped and the interval in progress was dropped`));
    });
    const now = this.clock.now();
    // Strictly after `now`: the interval containing the start is partial even if `now` sits on its boundary.
    this.nextEnd = Math.floor(now / this.intervalMs) * this.intervalMs + 2 * this.intervalMs;
    this.schedule();
  }

  /** Stop emitting; the interval in progress is dropped. The board keeps reporting until its link is closed. */
  stop(): void {
    this.emit = null;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const d of this.detectors) {
      d.occupations = [];
      d.level = null;
    }
  }

  private onLevel(d: DetectorState, raw: number): void {
    if (!this.emit) return;
    const level: 0 | 1 = raw ? 1 : 0;
    const previous = d.level;
    d.level = level;
    if (previous === level) return; // a port report for another pin of the same port
    const now = this.clock.now();
    const active = level === d.activeLevel;
    if (previous === null) {
      // The first report is the pin's state at start: a vehicle already present is never counted (it started
      // before the first full interval), but its presence still counts as occupancy.
      if (active) d.occupations.push({ start: now, end: null });
      return;
    }
    const last = d.occupations.at(-1);
    if (active) {
      if (last && last.end !== null && now - last.end < this.options.debounce_ms) last.end = null;
      else d.occupations.push({ start: now, end: null });
    } else if (last && last.end === null) {
      last.end = now;
    }
  }

  private schedule(): void {
    const due = this.nextEnd + this.holdMs;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, due - this.clock.now()));
  }

  private tick(): void {
    this.timer = null;
    // Catch up when the event loop was blocked past several boundaries: every interval was observed.
    while (this.emit && this.nextEnd + this.holdMs <= this.clock.now()) {
      this.emitInterval(this.nextEnd);
      this.nextEnd += this.intervalMs;
    }
    if (this.emit) this.schedule();
  }

  private emitInterval(end: number): void {
    const start = end - this.intervalMs;
    const now = this.clock.now();
    for (const d of this.detectors) {
      let vehicles = 0;
      let heavy = 0;
      let occupiedMs = 0;
      for (const o of d.occupations) {
        const until = o.end ?? now;
        if (o.start >= start && o.start < end) {
          vehicles++;
          if (until - o.start >= this.options.heavy_min_pulse_ms) heavy++;
        }
        occupiedMs += Math.max(0, Math.min(until, end) - Math.max(o.start, start));
      }
      // Finished before this interval's end: nothing later can need them (a bounce reopen is past its window).
      d.occupations = d.occupations.filter((o) => o.end === null || o.end > end || o.start >= end);
      const count = TrafficCountSchema.safeParse({
        v: 1,
        site: this.options.site,
        detector: d.options.detector,
        lane: d.options.lane,
        direction: d.options.direction,
        time: new Date(start).toISOString(),
        interval_s: this.options.interval_s,
        values: {
          vehicles,
          heavy_vehicles: heavy,
          occupancy_pct: Math.round((occupiedMs / this.intervalMs) * 1000) / 10,
        },
      });
      if (!count.success) {
        this.onError(new Error(`vehicle counter, detector "${d.options.detector}": count rejected: ${describeIssues(count.error)}`));
        continue;
      }
      try {
        this.emit?.(count.data);
      } catch (e) {
        this.onError(e as Error);
      }
    }
  }
}
