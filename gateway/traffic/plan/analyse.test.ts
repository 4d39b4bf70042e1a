import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { webster } from '../signal/index.js';
import { analyse } from './analyse.js';
import { parseCountsCsv, parseNo2Csv, type CountRow } from './counts.js';
import { loadIntersection, parseIntersection } from './intersection.js';
import { signalPlanMetrics, timingCsv } from './outputs.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const EXAMPLE = here('../../../hardware/intersections/arterial-4arm.yaml');
const exampleCounts = parseCountsCsv(readFileSync(here('../../../hardware/intersections/arterial-4arm-counts.csv'), 'utf8'));
const exampleNo2 = parseNo2Csv(readFileSync(here('../../../hardware/intersections/arterial-4arm-no2.csv'), 'utf8'));
const example = loadIntersection(EXAMPLE);
const result = analyse({ intersection: example, counts: exampleCounts, no2: exampleNo2, countsSource: 'counts.csv', no2Source: 'no2.csv' });
const period = (name: string) => {
  const p = result.periods.find((x) => x.name === name);
  if (!p) throw new Error(`no period ${name} in ${result.periods.map((x) => x.name).join(', ')}`);
  return p;
};

// A two-phase junction with the same counts every 15 min of one Monday: PHF 1, flows by hand.
const twoPhase = parseIntersection(
  `
id: t2
site: s
cycle: { min_s: 40, max_s: 120 }
phases:
  - { id: a, movements: [m1, m3], lost_time_s: 8 }
  - { id: b, movements: [m2], lost_time_s: 8 }
movements:
  - { id: m1, approach: north, turn: through, lanes: 1, saturation_flow_vph: 1800, detectors: [{ detector: d1 }] }
  - { id: m2, approach: east, turn: all, lanes: 1, saturation_flow_vph: 1800, detectors: [{ detector: d2 }] }
  - { id: m3, approach: south, turn: through, lanes: 2, lane_factor: 0.95, detectors: [{ detector: d3, lane: '1' }, { detector: d3, lane: '2' }] }
current_plan:
  - { period: all, from: '00:00', to: '24:00', cycle_s: 70, greens_s: { a: 30, b: 24 } }
`,
  't2.yaml',
);
const flat: CountRow[] = [];
for (let i = 0; i < 96; i++) {
  const time = Date.parse('2026-03-02T00:00:00Z') + i * 900_000;
  flat.push({ time, detector: 'd1', lane: 'all', vehicles: 135, heavy_vehicles: 0 }); // 540 veh/h, y = 0.3
  flat.push({ time, detector: 'd2', lane: 'all', vehicles: 90, heavy_vehicles: 0 }); // 360 veh/h, y = 0.2
  flat.push({ time, detector: 'd3', lane: '1', vehicles: 50, heavy_vehicles: 5 }); // 400 veh/h with 10 % heavy
  flat.push({ time, detector: 'd3', lane: '2', vehicles: 50, heavy_vehicles: 5 });
  flat.push({ time, detector: 'd9', lane: '1', vehicles: 7, heavy_vehicles: 0 }); // in no movement
}

/** Webster (1958) delay as traffic.md §1 writes it, q and s in veh/s: the test's own copy of the formula. */
function websterByHand(c: number, g: number, qh: number, sh: number): number {
  const q = qh / 3600;
  const lambda = g / c;
  const x = q / (lambda * (sh / 3600));
  return (c * (1 - lambda) ** 2) / (2 * (1 - lambda * x)) + x ** 2 / (2 * q * (1 - x)) - 0.65 * Math.cbrt(c / q ** 2) * x ** (2 + 5 * lambda);
}

describe('analyse on a hand-computable junction', () => {
  const r = analyse({ intersection: twoPhase, counts: flat, no2: [], countsSource: 'flat', no2Source: 'none' });
  const p = r.periods[0]!;

  it('finds one period over a flat profile, with PHF 1 and the flows counted', () => {
    expect(r.periods).toHaveLength(1);
    expect(p.phf).toBe(1);
    expect(p.flows.find((f) => f.movement === 'm1')).toMatchObject({ volume_vph: 540, design_flow_vph: 540, saturation_vph: 1800, saturation_source: 'given' });
    expect(r.inputs.unmapped_detectors).toEqual(['d9/1']);
  });

  it('derives an HCM saturation flow from the counted heavy share: 1900·2·0.95·100/(100 + 10·(2 − 1))', () => {
    const m3 = p.flows.find((f) => f.movement === 'm3')!;
    expect(m3.heavy_pct).toBeCloseTo(10, 10);
    expect(m3.saturation_vph).toBeCloseTo((1900 * 2 * 0.95 * 100) / 110, 9);
  });

  it("takes each phase's critical ratio and Webster's C0 = (1.5·16 + 5)/(1 − 0.5) = 58 s, greens 25.2/16.8 → 25/17", () => {
    expect(p.critical).toEqual([
      { phase: 'a', movement: 'm1', y: 0.3 },
      { phase: 'b', movement: 'm2', y: 0.2 },
    ]);
    expect(p.Y).toBeCloseTo(0.5, 12);
    expect(p.webster.cycle_s).toBeCloseTo(58, 10);
    expect(p.webster.greens_s[0]).toBeCloseTo(25.2, 10);
    expect(p.cycle_rule).toBe('webster_optimum');
    expect(p.proposed.cycle_s).toBe(58);
    expect(p.proposed.greens_s).toEqual({ a: 25, b: 17 });
    expect(p.proposed.critical_vc).toBeCloseTo((0.5 * 58) / 42, 12);
  });

  it('evaluates delay, degree of saturation and stops of each plan with the textbook formulas', () => {
    const m1 = p.proposed.movements.find((m) => m.id === 'm1')!;
    expect(m1.x).toBeCloseTo((540 * 58) / (1800 * 25), 12);
    expect(m1.delay_s).toBeCloseTo(websterByHand(58, 25, 540, 1800), 9);
    expect(m1.stops_per_veh).toBeCloseTo((1 - 25 / 58) / (1 - 0.3), 12);
    const cur = p.current!;
    expect(cur.plan_period).toBe('all');
    const c2 = cur.movements.find((m) => m.id === 'm2')!;
    expect(c2.delay_s).toBeCloseTo(websterByHand(70, 24, 360, 1800), 9);
    const flows = cur.movements.reduce((n, m) => n + m.flow_vph, 0);
    expect(cur.delay_s).toBeCloseTo(cur.movements.reduce((n, m) => n + m.flow_vph * m.delay_s, 0) / flows, 9);
    expect(p.comparison!.delay_change_s).toBeCloseTo(p.proposed.delay_s - cur.delay_s, 12);
    expect(p.proposed.delay_s).toBeLessThan(cur.delay_s);
  });

  it('writes a timing sheet that adds up (displayed = effective − amber − all-red + lost)', () => {
    expect(timingCsv(twoPhase, p.proposed)).toBe(
      'phase,movements,green_s,amber_s,all_red_s,lost_time_s,effective_green_s,cycle_s\n' +
        'a,m1 m3,28,3,2,8,25,58\n' +
        'b,m2,20,3,2,8,17,58\n' +
        'cycle,,,,,16,42,58\n',
    );
  });
});

describe('analyse on the example week', () => {
  it('times the weekdays (Mon–Fri, local clock) and derives AM and PM peaks', () => {
    expect(result.inputs.design_days).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']);
    expect(result.inputs.days).toBe(7);
    expect(result.profile.weekend_vph).toHaveLength(96);
    expect(period('am_peak')).toMatchObject({ from: '07:00', to: '09:00', level: 'peak' });
    expect(period('pm_peak')).toMatchObject({ from: '16:00', to: '18:00', level: 'peak' });
  });

  it('design flow = weekday-mean volume of the busiest hour / its PHF, recomputed from the CSV rows', () => {
    const p = period('pm_peak');
    const [from] = p.design_hour.split('–') as [string];
    const utcHour = Number(from.slice(0, 2)) - 1; // Europe/Paris is UTC+1 that week
    const minute = Number(from.slice(3));
    const start = (d: number) => Date.UTC(2026, 2, 2 + d, utcHour, minute);
    const inHour = (t: number) => [0, 1, 2, 3, 4].some((d) => t >= start(d) && t < start(d) + 3_600_000);
    const rows = exampleCounts.filter((r) => inHour(r.time));
    const quarters = [0, 1, 2, 3].map((q) => rows.filter((r) => (r.time - start(0)) % 86_400_000 >= q * 900_000 && (r.time - start(0)) % 86_400_000 < (q + 1) * 900_000).reduce((n, r) => n + r.vehicles, 0) / 5);
    const phf = quarters.reduce((a, b) => a + b, 0) / (4 * Math.max(...quarters));
    expect(p.phf).toBeCloseTo(phf, 9);
    const nTr = rows.filter((r) => r.detector === 'n-stop' && (r.lane === '1' || r.lane === '2')).reduce((n, r) => n + r.vehicles, 0) / 5;
    expect(p.flows.find((f) => f.movement === 'n_tr')!.design_flow_vph).toBeCloseTo(nTr / phf, 6);
  });

  it("the PM-peak Webster result is webster() on that period's critical ratios and the file's limits", () => {
    const p = period('pm_peak');
    const minEff = example.phases.map((ph) => Math.max(ph.min_green_s, ph.pedestrian_min_s) + ph.amber_s + ph.all_red_s - ph.lost_time_s);
    const maxEff = example.phases.map((ph) => ph.max_green_s + ph.amber_s + ph.all_red_s - ph.lost_time_s);
    const w = webster({ ratios: p.critical.map((c) => c.y), lostTime: 15, minCycle: 60, maxCycle: 120, minGreens: minEff, maxGreens: maxEff });
    expect(p.webster).toEqual(w);
    expect(p.critical.map((c) => c.movement)).toEqual(['s_tr', 's_l', 'e_all']);
  });

  it('every proposed plan adds up, keeps minimum (pedestrian) and maximum greens and every X below 1', () => {
    for (const p of result.periods) {
      const sum = Object.values(p.proposed.greens_s).reduce((a, b) => a + b, 0) + p.lost_time_s;
      expect(sum).toBe(p.proposed.cycle_s);
      expect(p.proposed.cycle_s).toBeGreaterThanOrEqual(60);
      expect(p.proposed.cycle_s).toBeLessThanOrEqual(120);
      for (const ph of example.phases) {
        const shown = p.proposed.displayed_greens_s[ph.id]!;
        expect(shown).toBeGreaterThanOrEqual(Math.max(ph.min_green_s, ph.pedestrian_min_s));
        expect(shown).toBeLessThanOrEqual(ph.max_green_s);
      }
      expect(p.proposed.max_x).toBeLessThan(1);
      expect(p.warnings).toEqual([]);
    }
  });

  it('in the polluted AM peak, proposes fewer stops on the canyon approach within the cost limits, and says so', () => {
    const p = period('am_peak');
    expect(p.polluted).toBe(true);
    expect(p.no2_ugm3!).toBeGreaterThan(55);
    const a = p.air_quality!;
    expect(a.plan).not.toBe(p.proposed);
    expect(a.polluted_before.approaches).toEqual(['north']);
    expect(a.polluted_after.stops_vph).toBeLessThan(a.polluted_before.stops_vph);
    expect(a.polluted_after.queue_veh).toBeLessThanOrEqual(a.polluted_before.queue_veh);
    for (const m of a.plan.movements.filter((x) => x.approach !== 'north')) expect(m.x).toBeLessThanOrEqual(0.9);
    expect(a.plan.delay_s).toBeLessThanOrEqual(p.proposed.delay_s * 1.2);
    expect(Object.values(a.plan.greens_s).reduce((x, y) => x + y, 0) + 15).toBe(a.plan.cycle_s);
    expect(a.plan.greens_s.arterial!).toBeGreaterThan(p.proposed.greens_s.arterial!);
    expect(a.summary).toMatch(/^NO2 \d+(\.\d)? µg\/m³ > 55: cycle \d+ s .* changes stops on north by -\d+ %/);
    expect(period('midday').air_quality).toBeNull();
  });

  it('says what it assumed: saturation flows, PHF, lost times and the NO2 source', () => {
    const text = result.assumptions.join('\n');
    expect(text).toContain('e_all 1550 veh/h (given)');
    expect(text).toContain('n_tr 1900·2 lanes·0.95·fHV(E_T 2)');
    expect(text).toContain('PHF');
    expect(text).toContain('L = 15 s');
    expect(text).toContain('NO2: no2.csv');
  });

  it('flags a current plan whose green is below its pedestrian minimum', () => {
    const short = parseIntersection(readFileSync(EXAMPLE, 'utf8').replace('greens_s: { arterial: 19, arterial_left: 6, side: 20 }', 'greens_s: { arterial: 27, arterial_left: 6, side: 12 }'), 'x.yaml');
    const r = analyse({ intersection: short, counts: exampleCounts, no2: [], countsSource: 'c', no2Source: 'none' });
    expect(r.periods.find((p) => p.name === 'night')!.warnings).toEqual(['current plan "night": side green 12 s is below its minimum (incl. pedestrian) of 20 s effective']);
  });
});

describe('signal_plan metrics', () => {
  it('one point per period, tagged site/intersection/period, at the end of the counts', () => {
    const ms = signalPlanMetrics(result);
    expect(ms).toHaveLength(result.periods.length);
    const pm = ms.find((m) => m.tags.period === 'pm_peak')!;
    const p = period('pm_peak');
    expect(pm.measurement).toBe('signal_plan');
    expect(pm.tags).toEqual({ site: 'avenue-nord', intersection: 'avenue-x-rue-des-ecoles', period: 'pm_peak' });
    expect(pm.time).toBe(Date.parse('2026-03-08T23:00:00Z'));
    expect(pm.fields).toMatchObject({
      cycle_s: p.proposed.cycle_s,
      green_arterial_s: p.proposed.greens_s.arterial,
      green_arterial_left_s: p.proposed.greens_s.arterial_left,
      green_side_s: p.proposed.greens_s.side,
      current_cycle_s: 90,
      polluted: 1,
      aq_cycle_s: p.air_quality!.plan.cycle_s,
    });
    expect(pm.fields.delay_s).toBeCloseTo(p.proposed.delay_s, 2);
    expect(pm.fields.degree_of_saturation).toBeCloseTo(p.proposed.max_x, 2);
    expect(Object.keys(pm.fields).every((k) => /^[A-Za-z][A-Za-z0-9_]*$/.test(k))).toBe(true);
  });
});
