import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from 1 s to a 60 s cap, and starts over after a reset', () => {
    const b = new Backoff({ random: () => 0.5 }); // 0.5: no jitter
    expect(Array.from({ length: 9 }, () => b.next())).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(b.attempts).toBe(9);
    b.reset();
    expect([b.next(), b.next()]).toEqual([1000, 2000]);
  });

  it('jitters each delay by ±20 % and never waits longer than 60 s', () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 0.999_999 });
    const lows = Array.from({ length: 8 }, () => low.next());
    const highs = Array.from({ length: 8 }, () => high.next());
    expect(lows).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 48_000, 48_000]);
    expect(highs).toEqual([1200, 2400, 4800, 9600, 19_200, 38_400, 60_000, 60_000]);
  });

  it('refuses options that make no schedule', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(TypeError);
    expect(() => new Backoff({ initialMs: 5000, maxMs: 1000 })).toThrow(TypeError);
    expect(() => new Backoff({ jitter: 1 })).toThrow(TypeError);
  });
});
