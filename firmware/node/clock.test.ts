import { describe, expect, it } from 'vitest';
import { NodeClock, PartTimeline, type ClockStep } from './clock.js';

function clocks() {
  const c = { wall: Date.parse('2026-11-25T08:00:00.000Z'), mono: 1000 };
  const steps: ClockStep[] = [];
  const clock = new NodeClock({ now: () => c.wall, monotonic: () => c.mono, onStep: (s) => steps.push(s) });
  const tick = (ms: number) => ((c.wall += ms), (c.mono += ms));
  return { c, steps, clock, tick };
}

describe('NodeClock', () => {
  it('reports a step back or forward once, by its size, and not the creep of a slewing clock', () => {
    const { c, steps, clock, tick } = clocks();
    expect(clock.observe().epoch).toBe(0);
    for (let i = 0; i < 100; i++) {
      tick(60_000);
      c.wall += 30; // 500 ppm of slewing: adds up to 3 s over 100 minutes, never a step
      clock.observe();
    }
    expect(steps).toEqual([]);
    c.wall -= 3_600_000;
    tick(1000);
    expect(clock.observe().epoch).toBe(1);
    tick(1000);
    expect(clock.observe().epoch).toBe(1);
    c.wall += 5000;
    expect(clock.observe().epoch).toBe(2);
    expect(steps).toEqual([
      { direction: 'back', ms: 3_600_000 },
      { direction: 'forward', ms: 5000 },
    ]);
  });
});

describe('PartTimeline', () => {
  it('keeps times strictly increasing through a step back and flags the held readings', () => {
    const t = new PartTimeline();
    expect(t.stamp(10_000, 0)).toEqual({ time: 10_000, clockStep: false });
    // the clock went back 5 s (seen by NodeClock: epoch 1); readings hold at last + 1 ms until it catches up
    expect(t.stamp(7_000, 1)).toEqual({ time: 10_001, clockStep: true });
    expect(t.stamp(9_000, 1)).toEqual({ time: 10_002, clockStep: true });
    expect(t.stamp(10_500, 1)).toEqual({ time: 10_500, clockStep: false });
  });

  it('reports the size of a step too small for NodeClock once per episode', () => {
    const t = new PartTimeline();
    t.stamp(10_000, 0);
    expect(t.stamp(9_200, 0)).toEqual({ time: 10_001, clockStep: true, heldBackMs: 800 });
    expect(t.stamp(9_900, 0)).toEqual({ time: 10_002, clockStep: true });
    expect(t.stamp(12_000, 0)).toEqual({ time: 12_000, clockStep: false });
    expect(t.stamp(11_000, 0)).toEqual({ time: 12_001, clockStep: true, heldBackMs: 1000 });
  });

  it('moves a tie by 1 ms without a flag, and flags the first reading after a forward step', () => {
    const t = new PartTimeline();
    t.stamp(5000, 0);
    expect(t.stamp(5000, 0)).toEqual({ time: 5001, clockStep: false });
    expect(t.stamp(3_600_000, 1)).toEqual({ time: 3_600_000, clockStep: true });
    expect(t.stamp(3_602_000, 1)).toEqual({ time: 3_602_000, clockStep: false });
  });
});
