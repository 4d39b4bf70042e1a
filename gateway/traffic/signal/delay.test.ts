import { describe, expect, it } from 'vitest';
import { fullWebsterDelay, intersectionDelay, stopRate, uniformDelay, websterDelay } from './index.js';

// byjus.com "The uniform arrival and uniform service rates … are 20 and 50 vehicles/minute … red 30 s, effective
// green 30 s, cycle 60 s … average delay per vehicle" = 60(1 − 30/60)² / (2(1 − 20/50)) = 12.5 s.
// https://byjus.com/question-answer/the-uniform-arrival-and-uniform-service-rates-observed-on-an-approach-road-to-a-signalized
const byjus = { cycle: 60, green: 30, flow_vph: 20 * 60, saturation_vph: 50 * 60 };

describe('uniform delay d1 (toolsforengineers signal_delay_los_basic; = Webster first term)', () => {
  it('byjus example: 12.5 s/veh', () => {
    expect(uniformDelay(byjus)).toBeCloseTo(12.5, 12);
  });

  it('X is capped at 1: any oversaturated flow gives the X = 1 value 0.5·C(1 − g/C)', () => {
    const atCapacity = uniformDelay({ ...byjus, flow_vph: 1500 });
    expect(atCapacity).toBeCloseTo(15, 12);
    expect(uniformDelay({ ...byjus, flow_vph: 2400 })).toBeCloseTo(atCapacity, 12);
  });

  it('refuses a green longer than the cycle and a zero saturation flow', () => {
    expect(() => uniformDelay({ ...byjus, green: 61 })).toThrow(/at most the cycle/);
    expect(() => uniformDelay({ ...byjus, saturation_vph: 0 })).toThrow(/saturation flow 0/);
  });
});

describe('full Webster delay (TP39 three-term form as printed in Salter, Highway Traffic Analysis and Design, ch. 43)', () => {
  // No published number was found for this form; the case below is the cited formula's arithmetic written out.
  it('byjus inputs: 12.5 + 0.8²/(2·(1/3)·0.2) − 0.65·(60/(1/3)²)^(1/3)·0.8^4.5', () => {
    const expected = 12.5 + 4.8 - 0.65 * Math.cbrt(540) * 0.8 ** 4.5;
    expect(fullWebsterDelay(byjus)).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(15.36, 2);
  });

  it('equals the uniform term without flow, and is null from X = 1 on', () => {
    expect(fullWebsterDelay({ ...byjus, flow_vph: 0 })).toBeCloseTo(0.5 * 60 * 0.25, 12);
    expect(fullWebsterDelay({ ...byjus, flow_vph: 1500 })).toBeNull();
    expect(fullWebsterDelay({ ...byjus, flow_vph: 1499 })).toBeGreaterThan(uniformDelay({ ...byjus, flow_vph: 1499 }));
  });

  it('websterDelay reports X, d1 and the full form together', () => {
    const r = websterDelay(byjus);
    expect(r.x).toBeCloseTo(0.8, 12);
    expect(r.uniform_s).toBeCloseTo(12.5, 12);
    expect(r.webster_s).toBeCloseTo(15.36, 2);
  });
});

describe('intersection delay = flow-weighted mean', () => {
  it('Σ q·d / Σ q', () => {
    expect(intersectionDelay([{ flow_vph: 600, delay_s: 10 }, { flow_vph: 200, delay_s: 30 }])).toBe(15);
    expect(intersectionDelay([])).toBe(0);
    expect(() => intersectionDelay([{ flow_vph: 100, delay_s: Number.NaN }])).toThrow(/movement 1: delay NaN/);
  });
});

describe('stops per vehicle h = (1 − g/C)/(1 − y)', () => {
  it('byjus inputs: (1 − 0.5)/(1 − 0.4) = 0.833', () => {
    expect(stopRate(byjus)).toBeCloseTo(0.5 / 0.6, 12);
  });

  it('every vehicle stops once at or above saturation; none would stop with an all-green cycle', () => {
    expect(stopRate({ ...byjus, flow_vph: 1500 })).toBe(1);
    expect(stopRate({ ...byjus, flow_vph: 3000 })).toBe(1);
    expect(stopRate({ ...byjus, green: 60 })).toBe(0);
  });
});
