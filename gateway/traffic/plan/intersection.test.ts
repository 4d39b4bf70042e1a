import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IntersectionError, loadIntersection, parseIntersection } from './intersection.js';

const EXAMPLE = fileURLToPath(new URL('../../../hardware/intersections/arterial-4arm.yaml', import.meta.url));

const minimal = `
id: x1
site: s1
phases:
  - { id: a, movements: [m1], lost_time_s: 4 }
  - { id: b, movements: [m2], lost_time_s: 4 }
movements:
  - { id: m1, approach: north, turn: through, lanes: 1, detectors: [{ detector: d1, lane: '1' }] }
  - { id: m2, approach: east, turn: all, lanes: 1, saturation_flow_vph: 1600, detectors: [{ detector: d2 }] }
`;

function problems(text: string): string[] {
  try {
    parseIntersection(text, 'x.yaml');
  } catch (e) {
    if (e instanceof IntersectionError) return e.problems;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('intersection file', () => {
  it('loads the example with its phases, movements, plan and air-quality trigger', () => {
    const ix = loadIntersection(EXAMPLE);
    expect(ix.site).toBe('avenue-nord');
    expect(ix.phases.map((p) => p.id)).toEqual(['arterial', 'arterial_left', 'side']);
    expect(ix.movements).toHaveLength(6);
    expect(ix.current_plan.map((p) => p.period)).toEqual(['night', 'am_peak', 'day', 'pm_peak']);
    expect(ix.air_quality?.polluted_approaches).toEqual(['north']);
    expect(ix.cycle).toEqual({ min_s: 60, max_s: 120 });
  });

  it('fills the documented defaults (HCM base 1900 pc/h/ln, E_T 2.0, lane "all")', () => {
    const ix = parseIntersection(minimal, 'x.yaml');
    expect(ix.movements[0]).toMatchObject({ base_saturation_flow_pcphpl: 1900, heavy_vehicle_pce: 2, lane_factor: 1 });
    expect(ix.movements[1]!.detectors[0]).toEqual({ detector: 'd2', lane: 'all' });
    expect(ix.phases[0]).toMatchObject({ amber_s: 3, all_red_s: 2, min_green_s: 7 });
    expect(ix.timezone).toBe('UTC');
    expect(ix.use_phf).toBe(true);
  });

  it('names an unknown key with its line', () => {
    expect(problems(minimal + 'cycel: { min_s: 50 }\n')).toEqual([expect.stringMatching(/^line 10: \(top level\): unknown key "cycel"/)]);
  });

  it('refuses a phase serving a movement that does not exist, at its line', () => {
    const p = problems(minimal.replace('movements: [m2]', 'movements: [m3]'));
    expect(p).toContain('line 6: phases.1.movements.0: movement "m3" is not in movements — add it there or fix the id');
    expect(p.some((x) => x.includes('movement "m2" is served by no phase'))).toBe(true);
  });

  it('refuses a detector lane counted for two movements', () => {
    const p = problems(minimal.replace("detectors: [{ detector: d2 }]", "detectors: [{ detector: d1, lane: '1' }]"));
    expect(p).toEqual([expect.stringContaining('detector d1/1 already counts movement "m1"')]);
  });

  it('checks that a current plan adds up (Σ effective greens + Σ lost times = cycle)', () => {
    const p = problems(minimal + "current_plan:\n  - { period: day, from: '07:00', to: '19:00', cycle_s: 60, greens_s: { a: 30, b: 20 } }\n");
    expect(p).toEqual([expect.stringMatching(/^line 11: current_plan\.0\.cycle_s: cycle_s 60 ≠ Σ effective greens \+ Σ lost times = 58/)]);
  });

  it('refuses a polluted approach no movement comes from, and a bad time zone', () => {
    const p = problems(minimal + 'timezone: Mars/Olympus\nair_quality: { no2_threshold_ugm3: 50, polluted_approaches: [south] }\n');
    expect(p.some((x) => x.includes('approach "south" is no movement\'s approach (north, east)'))).toBe(true);
    expect(p.some((x) => x.includes('"Mars/Olympus" is not an IANA time zone'))).toBe(true);
  });

  it('reports YAML syntax errors with their line and a missing file plainly', () => {
    expect(problems('id: x\nphases: [\n')[0]).toMatch(/^line \d+: .* — fix the YAML\/JSON syntax there$/);
    expect(() => loadIntersection('/nonexistent/x.yaml')).toThrow(/cannot read the file \(ENOENT\) — check the path/);
  });
});
