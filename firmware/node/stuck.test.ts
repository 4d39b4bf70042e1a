import { describe, expect, it } from 'vitest';
import { StuckWatch } from './stuck.js';

describe('StuckWatch', () => {
  it('flags identical values held longer than the limit, until one changes', () => {
    const w = new StuckWatch(900_000);
    const same = { pm25_ugm3: 0, n0_3_per_dl: 120 };
    const seen: boolean[] = [];
    for (let t = 0; t <= 1_200_000; t += 300_000) seen.push(w.observe({ ...same }, t));
    expect(seen).toEqual([false, false, false, false, true]); // 0, 300, 600, 900 (not longer), 1200 s
    expect(w.observe({ ...same, n0_3_per_dl: 121 }, 1_500_000)).toBe(false);
    expect(w.stuck).toBe(false);
  });

  it('does not flag PM 0 µg/m³ in clean air while the counts move', () => {
    const w = new StuckWatch(900_000);
    for (let t = 0; t < 3_600_000; t += 2300) expect(w.observe({ pm25_ugm3: 0, n0_3_per_dl: 100 + ((t / 2300) % 3) }, t)).toBe(false);
  });

  it('treats a new quantity set as a change, and is off with a limit of 0', () => {
    const w = new StuckWatch(1000);
    w.observe({ a: 1 }, 0);
    expect(w.observe({ a: 1, b: 2 }, 5000)).toBe(false);
    const off = new StuckWatch(0);
    off.observe({ a: 1 }, 0);
    expect(off.observe({ a: 1 }, 1e9)).toBe(false);
  });
});
