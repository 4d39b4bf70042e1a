// Expected numbers come from the worked examples cited beside each case, not from this code.
import { describe, expect, it } from 'vitest';
import {
  criticalFlowRatio,
  degreeOfSaturation,
  flowRatios,
  hcmCriticalVc,
  hcmCycleForVc,
  minimumCycle,
  webster,
  websterOptimumCycle,
} from './index.js';

describe('Webster optimum cycle (textbook examples)', () => {
  it('byjus.com "If the normal flows on two approach roads … are 500 and 300 pcu/h, saturation 1600, L 16 s": Y 0.5, C0 58 s', () => {
    // https://byjus.com/question-answer/if-the-normal-flows-on-two-approach-roads-at-an-intersection-are-respectively-500-pcu
    const r = webster({ ratios: flowRatios([500, 300], [1600, 1600]), lostTime: 16 });
    expect(r.Y).toBeCloseTo(0.5, 12);
    expect(r.cycle_s).toBeCloseTo(58, 12);
  });

  it('interviewmania.com 92661: y 1000/2500 and 900/3000, L = 12 s → Y 0.7, C0 = 23/0.3 ≈ 77 s', () => {
    // https://interviewmania.com/discussion/92661-traffic-engineering-traffic-engineering-miscellaneous (option B, 77)
    const r = webster({ ratios: flowRatios([1000, 900], [2500, 3000]), lostTime: 12 });
    expect(r.Y).toBeCloseTo(0.7, 12);
    expect(Math.round(r.cycle_s)).toBe(77);
    expect(r.cycle_s).toBeCloseTo(76.667, 3);
  });

  it('CAE419 Fall 2017 HW5 solution, problem 2: y 0.208/0.192/0.200, L = 3 × 4 s → C0 = 57.5 s', () => {
    // https://www.coursehero.com/file/27706105/HW5-solutionsdocx/
    const r = webster({ ratios: [0.208, 0.192, 0.2], lostTime: 12 });
    expect(r.Y).toBeCloseTo(0.6, 12);
    expect(r.cycle_s).toBeCloseTo(57.5, 9);
  });

  it('Rogers, Highway Engineering, Example 5.6: ymax 0.25/0.25/0.22, L = 12 s → C0 = 23/0.28 = 82 s', () => {
    // issuhub.com/view/index?id=4685&pageIndex=158 (Highway Engineering §5.5, Example 5.6, p. 142)
    const r = webster({ ratios: [0.25, 0.25, 0.22], lostTime: 12 });
    expect(r.Y).toBeCloseTo(0.72, 12);
    expect(Math.round(r.cycle_s)).toBe(82);
  });

  it('four-phase pretimed example: C 125 s, L 4 × (3 + 1) s, y 0.282/0.218/0.162/0.147 → greens 37.995/29.372/21.827/19.806 s', () => {
    // transtutors.com/questions/question-1-the-analysis-findings-for-a-four-phase-pretimed-intersection-are-summariz-13188463.htm
    // (table: available time 109 s, CS 0.809, green per phase)
    const r = webster({ ratios: [0.282, 0.218, 0.162, 0.147], lostTime: 16, cycle: 125 });
    expect(r.Y).toBeCloseTo(0.809, 12);
    expect(r.cycle_s).toBe(125);
    expect(r.clamped_cycle_s).toBe(125);
    const expected = [37.995, 29.372, 21.827, 19.806];
    r.greens_s.forEach((g, i) => expect(g).toBeCloseTo(expected[i] as number, 3));
    expect(r.greens_s.reduce((a, b) => a + b, 0)).toBeCloseTo(109, 9);
    expect(r.notes).toEqual([]);
  });

  it('websterOptimumCycle and minimumCycle: Infinity at Y ≥ 1', () => {
    expect(websterOptimumCycle(1, 10)).toBe(Number.POSITIVE_INFINITY);
    expect(minimumCycle(1.2, 10)).toBe(Number.POSITIVE_INFINITY);
    expect(minimumCycle(0.6, 10)).toBeCloseTo(25, 12); // L/(1 − Y), studylib 8358892 §3.2
  });
});

describe('critical movement of a phase', () => {
  it('CE-302 signal design problem (Dr Sajjad Ali): phase I NB-th 400/1700 vs SB-th 425/1700 → SB-th; phase II NB-R 120/1500 vs SB-R 92/1500 → NB-R', () => {
    // scribd.com/document/869498747/Ce-302-Signal-Lecture (table of volumes and saturation flows per phase)
    expect(criticalFlowRatio([
      { id: 'NB-th', flow_vph: 400, saturation_vph: 1700 },
      { id: 'SB-th', flow_vph: 425, saturation_vph: 1700 },
    ])).toEqual({ id: 'SB-th', y: 0.25 });
    expect(criticalFlowRatio([
      { id: 'NB-R', flow_vph: 120, saturation_vph: 1500 },
      { id: 'SB-R', flow_vph: 92, saturation_vph: 1500 },
    ])).toEqual({ id: 'NB-R', y: 0.08 });
  });

  it('ties go to the first movement; an empty phase is refused', () => {
    expect(criticalFlowRatio([
      { id: 'a', flow_vph: 300, saturation_vph: 1800 },
      { id: 'b', flow_vph: 300, saturation_vph: 1800 },
    ]).id).toBe('a');
    expect(() => criticalFlowRatio([])).toThrow(RangeError);
  });

  it('flowRatios refuses unequal lists and a zero saturation flow', () => {
    expect(() => flowRatios([1, 2], [3])).toThrow(/2 flows but 1 saturation flows/);
    expect(() => flowRatios([100], [0])).toThrow(/saturation flow is 0/);
  });
});

describe('oversaturation band (rhces.com/signal-timing-webster.html: Y ≥ 0.95 → redesign)', () => {
  it('Y = 0.95 is oversaturated, Y just below is not', () => {
    expect(webster({ ratios: [0.5, 0.45], lostTime: 10 }).oversaturated).toBe(true);
    expect(webster({ ratios: [0.5, 0.45], lostTime: 10 }).notes).toContain('oversaturated');
    const below = webster({ ratios: [0.5, 0.4499], lostTime: 10 });
    expect(below.oversaturated).toBe(false);
    expect(below.notes).toEqual([]);
  });

  it('Y ≥ 1: refused without a cycle to run at; with maxCycle the plan runs at it', () => {
    expect(() => webster({ ratios: [0.6, 0.4], lostTime: 10 })).toThrow(/Y = 1.000 ≥ 1/);
    const r = webster({ ratios: [0.6, 0.4], lostTime: 10, maxCycle: 120 });
    expect(r.cycle_s).toBe(Number.POSITIVE_INFINITY);
    expect(r.clamped_cycle_s).toBe(120);
    expect(r.notes).toEqual(['oversaturated', 'over_capacity', 'max_cycle']);
    expect(r.greens_s[0]).toBeCloseTo(66, 9);
    expect(r.greens_s[1]).toBeCloseTo(44, 9);
  });
});

// y 0.45 and 0.15, L 10 s: Y 0.6, C0 = (15 + 5)/0.4 = 50 s, greens 30 and 10 s — the clamp cases start here.
const base = { ratios: [0.45, 0.15], lostTime: 10 } as const;

describe('cycle limits: band edges', () => {
  it('unclamped', () => {
    const r = webster(base);
    expect(r.cycle_s).toBeCloseTo(50, 12);
    expect(r.clamped_cycle_s).toBeCloseTo(50, 12);
    expect(r.greens_s[0]).toBeCloseTo(30, 12);
    expect(r.greens_s[1]).toBeCloseTo(10, 12);
    expect(r.notes).toEqual([]);
  });

  it('minCycle at C0 leaves it; just above raises it and re-splits', () => {
    expect(webster({ ...base, minCycle: 49.999 }).notes).toEqual([]);
    const r = webster({ ...base, minCycle: 60 });
    expect(r.cycle_s).toBeCloseTo(50, 12);
    expect(r.clamped_cycle_s).toBe(60);
    expect(r.greens_s[0]).toBeCloseTo(37.5, 12);
    expect(r.greens_s[1]).toBeCloseTo(12.5, 12);
    expect(r.notes).toEqual(['min_cycle']);
  });

  it('maxCycle at C0 leaves it; just below lowers it', () => {
    expect(webster({ ...base, maxCycle: 50.001 }).notes).toEqual([]);
    const r = webster({ ...base, maxCycle: 45 });
    expect(r.clamped_cycle_s).toBe(45);
    expect(r.greens_s[0]).toBeCloseTo(26.25, 12);
    expect(r.greens_s[1]).toBeCloseTo(8.75, 12);
    expect(r.notes).toEqual(['max_cycle']);
  });

  it('a given cycle is clamped too', () => {
    const r = webster({ ...base, cycle: 150, maxCycle: 120 });
    expect(r.cycle_s).toBe(150);
    expect(r.clamped_cycle_s).toBe(120);
    expect(r.notes).toEqual(['max_cycle']);
  });

  it('refuses minCycle > maxCycle and a cycle not above L', () => {
    expect(() => webster({ ...base, minCycle: 90, maxCycle: 60 })).toThrow(/minimum cycle 90 s is above the maximum cycle 60 s/);
    expect(() => webster({ ...base, cycle: 10 })).toThrow(/cycle 10 s must be a number above the lost time 10 s/);
    expect(() => webster({ ratios: [], lostTime: 10 })).toThrow(RangeError);
    expect(() => webster({ ratios: [0.2, -0.1], lostTime: 10 })).toThrow(/flow ratio 2 is -0.1/);
  });
});

describe('minimum (pedestrian) and maximum greens: band edges', () => {
  it('a minimum equal to the split changes nothing', () => {
    const r = webster({ ...base, minGreens: [0, 9.999] });
    expect(r.notes).toEqual([]);
  });

  it('a minimum above the split pins the phase; the rest goes to the others', () => {
    const r = webster({ ...base, minGreens: [0, 12] });
    expect(r.greens_s[0]).toBeCloseTo(28, 12);
    expect(r.greens_s[1]).toBe(12);
    expect(r.clamped_cycle_s).toBeCloseTo(50, 12);
    expect(r.notes).toEqual(['min_green']);
  });

  it('minimums that exactly fill C − L keep the cycle', () => {
    const r = webster({ ...base, minGreens: [25, 15] });
    expect(r.clamped_cycle_s).toBeCloseTo(50, 12);
    expect(r.greens_s[0]).toBeCloseTo(25, 12);
    expect(r.greens_s[1]).toBe(15);
    expect(r.notes).toEqual(['min_green']);
  });

  it('minimums that do not fit lengthen the cycle, even past maxCycle (they are pedestrian safety)', () => {
    const r = webster({ ...base, minGreens: [25, 20], maxCycle: 52 });
    expect(r.clamped_cycle_s).toBe(55);
    expect(r.greens_s).toEqual([25, 20]);
    expect(r.notes).toEqual(['cycle_raised_for_min_greens', 'min_greens_exceed_max_cycle', 'min_green']);
  });

  it('a maximum green caps a phase and gives the rest to the others; at the split it changes nothing', () => {
    expect(webster({ ...base, maxGreens: [30.001, 60] }).notes).toEqual([]);
    const r = webster({ ...base, maxGreens: [26, 60] });
    expect(r.greens_s[0]).toBe(26);
    expect(r.greens_s[1]).toBeCloseTo(14, 12);
    expect(r.notes).toEqual(['max_green']);
  });

  it('every phase capped: the cycle shrinks to L + Σ maximum greens', () => {
    const r = webster({ ...base, maxGreens: [20, 5] });
    expect(r.greens_s).toEqual([20, 5]);
    expect(r.clamped_cycle_s).toBe(35);
    expect(r.notes).toEqual(['max_green', 'cycle_shortened_for_max_greens']);
  });

  it('refuses a minimum above its maximum and lists of the wrong length', () => {
    expect(() => webster({ ...base, minGreens: [10, 10], maxGreens: [5, 60] })).toThrow(/phase 1: minimum green 10 s is above its maximum 5 s/);
    expect(() => webster({ ...base, minGreens: [10] })).toThrow(/minimum green has 1 entries for 2 phases/);
  });

  it('no demand at all: equal shares', () => {
    const r = webster({ ratios: [0, 0], lostTime: 10 });
    expect(r.cycle_s).toBe(20);
    expect(r.greens_s).toEqual([5, 5]);
  });
});

describe('HCM critical v/c (NPTEL 105101008 lecture 37, eq. 3: X_c = Σ(v/s)·C/(C − L))', () => {
  it('the four-phase example above: X_c = 0.809 × 125/109 (arithmetic of the cited formula)', () => {
    expect(hcmCriticalVc({ ratios: [0.282, 0.218, 0.162, 0.147], lostTime: 16, cycle: 125 })).toBeCloseTo((0.809 * 125) / 109, 12);
  });

  it('X_c = 1 exactly at the minimum cycle L/(1 − Y) (studylib 8358892 §3.2), and hcmCycleForVc inverts it', () => {
    const ratios = [0.3, 0.25, 0.2];
    const cMin = minimumCycle(0.75, 12);
    expect(cMin).toBeCloseTo(48, 12);
    expect(hcmCriticalVc({ ratios, lostTime: 12, cycle: cMin })).toBeCloseTo(1, 12);
    const c = hcmCycleForVc({ ratios, lostTime: 12, targetVc: 0.9 });
    expect(hcmCriticalVc({ ratios, lostTime: 12, cycle: c })).toBeCloseTo(0.9, 12);
    expect(hcmCycleForVc({ ratios, lostTime: 12, targetVc: 0.75 })).toBe(Number.POSITIVE_INFINITY);
    expect(() => hcmCriticalVc({ ratios, lostTime: 12, cycle: 12 })).toThrow(/must exceed the lost time/);
  });

  it('degree of saturation of one movement X = y·C/g', () => {
    expect(degreeOfSaturation(0.4, 60, 30)).toBeCloseTo(0.8, 12);
    expect(() => degreeOfSaturation(0.4, 60, 0)).toThrow(RangeError);
  });
});
