import { describe, expect, it } from 'vitest';
import { TrafficCountSchema, type TrafficCount } from '../../contract.js';
import { VehicleCounter, type Clock, type DigitalPinBoard } from './counter.js';
import { vehicleCounterDefinition } from './definition.js';
import { parseVehicleCounterOptions, type VehicleCounterOptionsInput } from './options.js';

/** A clock the test moves by hand; timers fire in due order with now() at their due time. */
class ManualClock implements Clock {
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  private nextId = 1;
  constructor(private t: number) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Move to an ISO time (or ms), running every timer due on the way. */
  to(when: string | number): void {
    const target = typeof when === 'string' ? Date.parse(when) : when;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = target;
  }
  /** Move to a time without firing timers on the way, then fire the overdue ones late (a blocked event loop). */
  late(when: string): void {
    this.t = Date.parse(when);
    this.to(this.t);
  }
  get pending(): number {
    return this.timers.length;
  }
}

/** A board whose pins the test sets; every level change is reported like a Firmata port message (all pins). */
class FakeBoard implements DigitalPinBoard {
  readonly modes = new Map<number, number>();
  private readonly handlers = new Map<number, (level: number) => void>();
  private readonly levels = new Map<number, number>();
  private closeListener: (() => void) | null = null;
  pinMode(pin: number, mode: number) {
    this.modes.set(pin, mode);
    if (!this.levels.has(pin)) this.levels.set(pin, mode === 0x0b ? 1 : 0); // undriven: pull-up reads HIGH
  }
  digitalRead(pin: number, handler: (level: number) => void) {
    this.handlers.set(pin, handler);
    handler(this.levels.get(pin) ?? 0); // reporting on: the port value is sent at once
  }
  on(_event: 'close', listener: () => void) {
    this.closeListener = listener;
  }
  set(pin: number, level: 0 | 1) {
    this.levels.set(pin, level);
    for (const [p, h] of this.handlers) h(this.levels.get(p) ?? 0);
  }
  close() {
    this.closeListener?.();
  }
}

const base: VehicleCounterOptionsInput = {
  site: 'rue-test',
  detectors: [
    { detector: 'loop-a', lane: '1', direction: 'northbound', pin: 2 },
    { detector: 'loop-a', lane: '2', direction: 'northbound', pin: 3 },
  ],
};

function rig(options: Partial<VehicleCounterOptionsInput> = {}, startAt = '2024-05-14T12:00:30.000Z') {
  const clock = new ManualClock(Date.parse(startAt));
  const board = new FakeBoard();
  const errors: Error[] = [];
  const counter = new VehicleCounter(board, parseVehicleCounterOptions({ ...base, ...options }), {
    clock,
    onError: (e) => errors.push(e),
  });
  const counts: TrafficCount[] = [];
  counter.start((c) => counts.push(c));
  /** A vehicle on an active-low pin from `from` for `ms`. */
  const vehicle = (pin: number, from: string, ms: number) => {
    clock.to(from);
    board.set(pin, 0);
    clock.to(Date.parse(from) + ms);
    board.set(pin, 1);
  };
  return { clock, board, counter, counts, errors, vehicle };
}

const byLane = (counts: TrafficCount[], lane: string) => counts.filter((c) => c.lane === lane);

describe('VehicleCounter', () => {
  it('reads active-low detectors with the pull-up (mode 0x0B) and active-high ones without (mode 0)', () => {
    const { board } = rig({
      detectors: [
        { detector: 'loop-a', pin: 2 },
        { detector: 'tube-b', pin: 5, active: 'high' },
      ],
    });
    expect([...board.modes]).toEqual([
      [2, 0x0b],
      [5, 0x00],
    ]);
  });

  it('skips the first partial interval and stamps each count with its interval start', () => {
    const { clock, counts, vehicle } = rig();
    vehicle(2, '2024-05-14T12:00:40.000Z', 400); // in the partial interval: never counted
    vehicle(2, '2024-05-14T12:01:05.000Z', 400);
    vehicle(2, '2024-05-14T12:01:10.000Z', 400);
    vehicle(2, '2024-05-14T12:01:20.000Z', 400);
    vehicle(2, '2024-05-14T12:01:30.000Z', 1500); // heavy: >= 1000 ms
    vehicle(3, '2024-05-14T12:01:31.000Z', 1000); // heavy: exactly the threshold
    vehicle(3, '2024-05-14T12:01:40.000Z', 999);
    // Emitted heavy_min_pulse_ms + debounce_ms (1000 + 30) after the interval ends.
    clock.to('2024-05-14T12:02:01.029Z');
    expect(counts).toEqual([]);
    clock.to('2024-05-14T12:02:01.030Z');
    expect(counts).toEqual([
      {
        v: 1,
        site: 'rue-test',
        detector: 'loop-a',
        lane: '1',
        direction: 'northbound',
        time: '2024-05-14T12:01:00.000Z',
        interval_s: 60,
        // (3 × 400 + 1500) ms of 60 000 ms
        values: { vehicles: 4, heavy_vehicles: 1, occupancy_pct: 4.5 },
      },
      {
        v: 1,
        site: 'rue-test',
        detector: 'loop-a',
        lane: '2',
        direction: 'northbound',
        time: '2024-05-14T12:01:00.000Z',
        interval_s: 60,
        // 1999 ms of 60 000 ms = 3.33 %
        values: { vehicles: 2, heavy_vehicles: 1, occupancy_pct: 3.3 },
      },
    ]);
    for (const c of counts) expect(TrafficCountSchema.parse(c)).toEqual(c);
  });

  it('emits zeros for an empty interval, then one count per detector per interval', () => {
    const { clock, counts } = rig({ interval_s: 30 });
    clock.to('2024-05-14T12:02:01.030Z');
    expect(counts.map((c) => [c.lane, c.time, c.values])).toEqual([
      ['1', '2024-05-14T12:01:00.000Z', { vehicles: 0, heavy_vehicles: 0, occupancy_pct: 0 }],
      ['2', '2024-05-14T12:01:00.000Z', { vehicles: 0, heavy_vehicles: 0, occupancy_pct: 0 }],
      ['1', '2024-05-14T12:01:30.000Z', { vehicles: 0, heavy_vehicles: 0, occupancy_pct: 0 }],
      ['2', '2024-05-14T12:01:30.000Z', { vehicles: 0, heavy_vehicles: 0, occupancy_pct: 0 }],
    ]);
    expect(counts.every((c) => c.interval_s === 30)).toBe(true);
  });

  it('counts a vehicle crossing a boundary in the interval it started, occupancy split at the boundary', () => {
    const { clock, counts, vehicle } = rig();
    vehicle(2, '2024-05-14T12:01:59.500Z', 1200);
    clock.to('2024-05-14T12:03:01.030Z');
    expect(byLane(counts, '1').map((c) => [c.time, c.values])).toEqual([
      ['2024-05-14T12:01:00.000Z', { vehicles: 1, heavy_vehicles: 1, occupancy_pct: 0.8 }], // 500 ms
      ['2024-05-14T12:02:00.000Z', { vehicles: 0, heavy_vehicles: 0, occupancy_pct: 1.2 }], // 700 ms
    ]);
  });

  it('classifies a vehicle still on the loop at emission time as heavy', () => {
    const { clock, board, counts } = rig();
    clock.to('2024-05-14T12:01:59.900Z');
    board.set(2, 0); // stays on the loop
    clock.to('2024-05-14T12:02:01.030Z');
    expect(byLane(counts, '1')[0]!.values).toEqual({ vehicles: 1, heavy_vehicles: 1, occupancy_pct: 0.2 });
  });

  it('merges a gap shorter than debounce_ms (contact bounce) and counts a longer one as a second vehicle', () => {
    const { clock, board, counts } = rig();
    clock.to('2024-05-14T12:01:10.000Z');
    board.set(2, 0);
    clock.to('2024-05-14T12:01:10.600Z');
    board.set(2, 1);
    clock.to('2024-05-14T12:01:10.610Z'); // 10 ms gap: bounce
    board.set(2, 0);
    clock.to('2024-05-14T12:01:10.800Z');
    board.set(2, 1);
    clock.to('2024-05-14T12:01:10.850Z'); // 50 ms gap: a second vehicle
    board.set(2, 0);
    clock.to('2024-05-14T12:01:11.050Z');
    board.set(2, 1);
    clock.to('2024-05-14T12:02:01.030Z');
    // First vehicle 800 ms (bounce gap included), second 200 ms.
    expect(byLane(counts, '1')[0]!.values).toEqual({ vehicles: 2, heavy_vehicles: 0, occupancy_pct: 1.7 });
  });

  it('ignores repeated levels (port reports for the other pins of the port)', () => {
    const { clock, board, counts } = rig();
    clock.to('2024-05-14T12:01:10.000Z');
    board.set(2, 0);
    board.set(3, 1);
    board.set(3, 1);
    clock.to('2024-05-14T12:01:10.300Z');
    board.set(2, 1);
    board.set(2, 1);
    clock.to('2024-05-14T12:02:01.030Z');
    expect(counts.map((c) => [c.lane, c.values.vehicles])).toEqual([
      ['1', 1],
      ['2', 0],
    ]);
  });

  it('does not count a vehicle already present at start, but counts its occupancy', () => {
    const clock = new ManualClock(Date.parse('2024-05-14T12:00:59.000Z'));
    const board = new FakeBoard();
    board.pinMode(2, 0x0b);
    board.set(2, 0); // a vehicle is on loop 1 before the counter starts
    const counts: TrafficCount[] = [];
    new VehicleCounter(board, parseVehicleCounterOptions(base), { clock }).start((c) => counts.push(c));
    clock.to('2024-05-14T12:01:00.500Z');
    board.set(2, 1);
    clock.to('2024-05-14T12:02:01.030Z');
    expect(byLane(counts, '1')[0]!.values).toEqual({ vehicles: 0, heavy_vehicles: 0, occupancy_pct: 0.8 });
  });

  it('treats a start exactly on a boundary as the start of a partial interval', () => {
    const { clock, counts } = rig({}, '2024-05-14T12:01:00.000Z');
    clock.to('2024-05-14T12:02:01.030Z');
    expect(counts).toEqual([]);
    clock.to('2024-05-14T12:03:01.030Z');
    expect(counts.map((c) => c.time)).toEqual(['2024-05-14T12:02:00.000Z', '2024-05-14T12:02:00.000Z']);
  });

  it('catches up every interval when its timer fires late, in order', () => {
    const { clock, counts, vehicle } = rig();
    vehicle(2, '2024-05-14T12:02:10.000Z', 300);
    clock.late('2024-05-14T12:05:30.000Z');
    expect(byLane(counts, '1').map((c) => [c.time, c.values.vehicles])).toEqual([
      ['2024-05-14T12:01:00.000Z', 0],
      ['2024-05-14T12:02:00.000Z', 1],
      ['2024-05-14T12:03:00.000Z', 0],
      ['2024-05-14T12:04:00.000Z', 0],
    ]);
    // Never two counts for one series and timestamp (traffic.md §3).
    const keys = counts.map((c) => `${c.detector}/${c.lane}/${c.direction}@${c.time}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('stops and says so when the board closes; stop() cancels its timer', () => {
    const { clock, board, counts, errors, counter } = rig();
    board.close();
    expect(errors.map((e) => e.message)).toEqual([
      'vehicle counter for site "rue-test": the board closed; counting stopped and the interval in progress was dropped',
    ]);
    expect(clock.pending).toBe(0);
    clock.to('2024-05-14T12:05:00.000Z');
    expect(counts).toEqual([]);
    counter.stop();
    expect(() => counter.start(() => {})).not.toThrow();
    expect(clock.pending).toBe(1);
  });

  it('emits exactly the quantities its part definition declares, within their ranges', () => {
    const { clock, counts, vehicle } = rig();
    vehicle(2, '2024-05-14T12:01:05.000Z', 1200);
    clock.to('2024-05-14T12:02:01.030Z');
    const specs = vehicleCounterDefinition.quantities;
    expect(vehicleCounterDefinition.bus).toBe('firmata');
    for (const c of counts) {
      expect(Object.keys(c.values).sort()).toEqual(specs.map((q) => q.name).sort());
      for (const q of specs) {
        const v = c.values[q.name as keyof typeof c.values]!;
        expect(v).toBeGreaterThanOrEqual(q.min);
        expect(v).toBeLessThanOrEqual(q.max);
      }
    }
  });

  it('names the detector and pin when the board refuses a pin', () => {
    const board: DigitalPinBoard = {
      pinMode: (pin) => {
        throw new TypeError(`Cannot set properties of undefined (setting 'mode') [pin ${pin}]`);
      },
      digitalRead: () => undefined,
    };
    const counter = new VehicleCounter(board, parseVehicleCounterOptions({ site: 's', detectors: [{ detector: 'd', pin: 90 }] }));
    expect(() => counter.start(() => {})).toThrow(/detector "d": cannot read pin 90 .*check the pin exists on this board/);
  });
});
