import { describe, expect, it } from 'vitest';
import { busiestHour, phf } from './index.js';

describe('peak-hour factor PHF = V / (4 · V15,max) (isarsoft.com/knowledge-hub/phf)', () => {
  it('CAE419 Fall 2017 HW5 solution, problem 1: 350, 369, 414, 427 → 0.913', () => {
    // https://www.coursehero.com/file/27706105/HW5-solutionsdocx/
    expect(phf([350, 369, 414, 427])).toBeCloseTo(0.913, 3);
  });

  it('calculator7 worked problem: 210, 260, 240, 190 → 900/1040 = 0.865', () => {
    // https://calculator7.snowdaycalculatornow.com/?p=4519 ("How to Calculate Peak Hour Factor")
    expect(phf([210, 260, 240, 190])).toBeCloseTo(0.865, 3);
  });

  it('the band edges 1 (uniform) and 0.25 (all in one quarter)', () => {
    expect(phf([100, 100, 100, 100])).toBe(1);
    expect(phf([0, 0, 80, 0])).toBe(0.25);
  });

  it('refuses anything but four counts ≥ 0 with at least one vehicle', () => {
    expect(() => phf([1, 2, 3])).toThrow(new RangeError('PHF needs exactly 4 consecutive 15-min counts (one hour); got 3'));
    expect(() => phf([1, 2, 3, 4, 5])).toThrow(/got 5/);
    expect(() => phf([1, -2, 3, 4])).toThrow(/count 2 is -2/);
    expect(() => phf([1, Number.NaN, 3, 4])).toThrow(/count 2 is NaN/);
    expect(() => phf([0, 0, 0, 0])).toThrow(/no vehicles/);
  });
});

describe('busiest hour of a longer 15-min series', () => {
  it('finds the busiest four consecutive quarters, its PHF and design flow 4·V15,max', () => {
    const r = busiestHour([100, 200, 350, 369, 414, 427, 300, 100]);
    expect(r.start).toBe(2);
    expect(r.volume).toBe(1560);
    expect(r.phf).toBeCloseTo(0.913, 3);
    expect(r.design_flow_vph).toBeCloseTo(4 * 427, 9);
  });

  it('ties go to the earliest hour; fewer than four counts are refused', () => {
    expect(busiestHour([10, 10, 10, 10, 10]).start).toBe(0);
    expect(() => busiestHour([1, 2, 3])).toThrow(/at least 4/);
  });
});
