import { describe, expect, it } from 'vitest';
import { runCalcPhf, runCalcWebster } from './calc-traffic.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

function json(c: ReturnType<typeof capture>): { Y: number; cycle_s: number; greens_s: number[] } {
  expect(c.err).toEqual([]);
  expect(c.out).toHaveLength(1);
  return JSON.parse(c.out[0] ?? '') as { Y: number; cycle_s: number; greens_s: number[] };
}

describe('airlane calc webster', () => {
  it('--flows/--saturation: interviewmania.com 92661 (1000/2500, 900/3000, L 12 s → C0 ≈ 77 s), exactly the three keys', () => {
    const c = capture();
    expect(runCalcWebster({ flows: '1000,900', saturation: '2500,3000', lostTime: '12' }, c.io)).toBe(0);
    const r = json(c);
    expect(Object.keys(r)).toEqual(['Y', 'cycle_s', 'greens_s']);
    expect(r.Y).toBeCloseTo(0.7, 12);
    expect(Math.round(r.cycle_s)).toBe(77);
    expect(r.cycle_s).not.toBe(77); // unrounded optimum
    // effective greens (y_i/Y)(C0 − L), and they fill C0 − L
    expect(r.greens_s).toHaveLength(2);
    expect((r.greens_s[0] ?? 0) + (r.greens_s[1] ?? 0)).toBeCloseTo(r.cycle_s - 12, 9);
    expect((r.greens_s[0] ?? 0) / (r.greens_s[1] ?? 1)).toBeCloseTo(0.4 / 0.3, 9);
  });

  it('--ratios with --cycle: the four-phase pretimed example (C 125, L 16 → greens 37.995/29.372/21.827/19.806 s)', () => {
    // transtutors.com question 13188463 (four-phase pretimed intersection, table of greens)
    const c = capture();
    expect(runCalcWebster({ ratios: '0.282,0.218,0.162,0.147', lostTime: '16', cycle: '125' }, c.io)).toBe(0);
    const r = json(c);
    expect(r.cycle_s).toBe(125);
    expect(r.Y).toBeCloseTo(0.809, 12);
    [37.995, 29.372, 21.827, 19.806].forEach((g, i) => expect(r.greens_s[i]).toBeCloseTo(g, 3));
  });

  it('byjus.com: flows 500 and 300 pcu/h, saturation 1600, L 16 s → C0 58 s; spaces are tolerated', () => {
    const c = capture();
    expect(runCalcWebster({ flows: '500, 300', saturation: '1600 ,1600', lostTime: ' 16 ' }, c.io)).toBe(0);
    expect(json(c).cycle_s).toBeCloseTo(58, 9);
  });

  const usage: [string, Parameters<typeof runCalcWebster>[0], RegExp][] = [
    ['nothing', { lostTime: '12' }, /^give --flows q1,q2,… with --saturation s1,s2,… \(veh\/h, one per phase\), or --ratios y1,y2,…$/],
    ['flows without saturation', { flows: '100,200', lostTime: '12' }, /^--saturation is required with --flows/],
    ['ratios and flows', { ratios: '0.3', flows: '100', lostTime: '12' }, /^--ratios replaces --flows and --saturation/],
    ['unequal lists', { flows: '100,200', saturation: '1800', lostTime: '12' }, /^--flows has 2 phases but --saturation has 1/],
    ['bad flow entry', { flows: '100,abc', saturation: '1800,1800', lostTime: '12' }, /^--flows entry 2 "abc" is not a number/],
    ['zero saturation', { flows: '100', saturation: '0', lostTime: '12' }, /^--saturation 0 is zero; give a saturation flow > 0/],
    ['negative ratio', { ratios: '0.3,-0.1', lostTime: '12' }, /^--ratios entry 2 -0.1 is negative/],
    ['missing lost time', { ratios: '0.3,0.2' }, /^--lost-time is required: lost time per cycle L, s$/],
    ['bad lost time', { ratios: '0.3,0.2', lostTime: '12s' }, /^--lost-time "12s" is not a number/],
    ['cycle not above L', { ratios: '0.3,0.2', lostTime: '12', cycle: '12' }, /^--cycle 12 s must be longer than --lost-time 12 s$/],
    ['Y ≥ 1', { ratios: '0.6,0.45', lostTime: '12' }, /^Y = 1.050 ≥ 1: no cycle serves this demand/],
  ];
  for (const [what, opts, message] of usage) {
    it(`exit 2 with one plain line on stderr: ${what}`, () => {
      const c = capture();
      expect(runCalcWebster(opts, c.io)).toBe(2);
      expect(c.out).toEqual([]);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(message);
    });
  }

  it('Y ≥ 1 with a given cycle still splits it', () => {
    const c = capture();
    expect(runCalcWebster({ ratios: '0.6,0.45', lostTime: '10', cycle: '115' }, c.io)).toBe(0);
    expect(json(c).greens_s[0]).toBeCloseTo(60, 9);
  });
});

describe('airlane calc phf', () => {
  it('CAE419 HW5 problem 1: 350,369,414,427 → {"phf": 0.913…}', () => {
    // https://www.coursehero.com/file/27706105/HW5-solutionsdocx/
    const c = capture();
    expect(runCalcPhf({ counts: '350,369,414,427' }, c.io)).toBe(0);
    expect(c.err).toEqual([]);
    const r = JSON.parse(c.out[0] ?? '') as { phf: number };
    expect(Object.keys(r)).toEqual(['phf']);
    expect(r.phf).toBeCloseTo(0.913, 3);
  });

  const usage: [string, { counts?: string }, RegExp][] = [
    ['missing', {}, /^--counts is required: four consecutive 15-min counts/],
    ['three counts', { counts: '1,2,3' }, /^--counts has 3 values; give exactly four consecutive 15-min counts \(one hour\)$/],
    ['not a number', { counts: '1,2,x,4' }, /^--counts entry 3 "x" is not a number; give a 15-min vehicle count ≥ 0$/],
    ['negative', { counts: '1,2,-3,4' }, /^--counts entry 3 -3 is negative/],
    ['all zero', { counts: '0,0,0,0' }, /^--counts are all 0/],
  ];
  for (const [what, opts, message] of usage) {
    it(`exit 2 with one plain line on stderr: ${what}`, () => {
      const c = capture();
      expect(runCalcPhf(opts, c.io)).toBe(2);
      expect(c.out).toEqual([]);
      expect(c.err).toEqual([expect.stringMatching(message)]);
    });
  }
});
