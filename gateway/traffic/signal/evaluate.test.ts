import { describe, expect, it } from 'vitest';
import { evaluatePlan, uniformDelay, webster } from './index.js';

// Two phases; the byjus delay example (1200 veh/h on 3000, C 60, g 30 → d1 12.5 s, X 0.8) is movement A.
const plan = {
  cycle_s: 60,
  lostTime_s: 0,
  phases: [
    { green_s: 30, movements: [{ id: 'A', flow_vph: 1200, saturation_vph: 3000 }, { id: 'A2', flow_vph: 300, saturation_vph: 3000 }] },
    { green_s: 30, movements: [{ id: 'B', flow_vph: 600, saturation_vph: 3000 }] },
  ],
};

describe('evaluatePlan', () => {
  it('per movement: X, d1, full Webster delay and stops', () => {
    const r = evaluatePlan(plan);
    const a = r.movements.find((m) => m.id === 'A');
    expect(a).toMatchObject({ phase: 0, y: 0.4 });
    expect(a?.x).toBeCloseTo(0.8, 12);
    expect(a?.uniform_delay_s).toBeCloseTo(12.5, 12); // byjus.com uniform-delay example
    expect(a?.stops_per_veh).toBeCloseTo(0.5 / 0.6, 12);
    expect(r.movements.map((m) => m.id)).toEqual(['A', 'A2', 'B']);
  });

  it('intersection: X_c from the critical movement of each phase, flow-weighted delay and stops', () => {
    const r = evaluatePlan(plan);
    expect(r.critical_vc).toBeCloseTo(0.4 + 0.2, 12); // L = 0 → X_c = Y
    expect(r.max_x).toBeCloseTo(0.8, 12);
    const d = r.movements.map((m) => m.flow_vph * m.uniform_delay_s).reduce((x, y) => x + y, 0) / 2100;
    expect(r.delay_s).toBeCloseTo(d, 12);
    expect(r.stops_per_hour).toBeCloseTo(r.movements.reduce((x, m) => x + m.flow_vph * m.stops_per_veh, 0), 9);
    expect(r.webster_delay_s).not.toBeNull();
  });

  it('an oversaturated movement: d1 stays finite, the full Webster mean is null', () => {
    const r = evaluatePlan({ ...plan, phases: [{ green_s: 20, movements: [{ id: 'A', flow_vph: 1200, saturation_vph: 3000 }] }, plan.phases[1]!] });
    expect(r.max_x).toBeCloseTo(1.2, 12);
    expect(r.webster_delay_s).toBeNull();
    expect(r.movements[0]?.uniform_delay_s).toBeCloseTo(uniformDelay({ cycle: 60, green: 20, flow_vph: 3000 * 20 / 60, saturation_vph: 3000 }), 12);
    expect(r.movements[0]?.stops_per_veh).toBe(1);
  });

  it('Webster greens give every critical movement the same X = Y·C/(C − L)', () => {
    const w = webster({ ratios: [0.4, 0.2], lostTime: 10 });
    const r = evaluatePlan({
      cycle_s: w.clamped_cycle_s,
      lostTime_s: 10,
      phases: [
        { green_s: w.greens_s[0]!, movements: [{ id: 'A', flow_vph: 1200, saturation_vph: 3000 }] },
        { green_s: w.greens_s[1]!, movements: [{ id: 'B', flow_vph: 600, saturation_vph: 3000 }] },
      ],
    });
    expect(r.movements[0]?.x).toBeCloseTo(r.critical_vc, 12);
    expect(r.movements[1]?.x).toBeCloseTo(r.critical_vc, 12);
  });

  it('refuses an empty plan or phase', () => {
    expect(() => evaluatePlan({ ...plan, phases: [] })).toThrow(/at least one phase/);
    expect(() => evaluatePlan({ ...plan, phases: [{ green_s: 30, movements: [] }] })).toThrow(/phase 1 serves no movement/);
  });
});
