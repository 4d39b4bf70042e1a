// The signal-plan analysis: counts → design flows per time-of-day period → Webster plan, the current plan
// evaluated on the same flows, and (where the site's NO2 is over the trigger) a plan that favours the polluted
// approach. Every formula comes from the signal library (gateway/traffic/signal, sources there); this module
// only decides which flows, which periods and which plans to compare, and writes down what it assumed.
import {
  busiestHour,
  criticalFlowRatio,
  hcmCriticalVc,
  intersectionDelay,
  periodsFromProfile,
  saturationFlow,
  stopRate,
  webster,
  websterDelay,
} from '../signal/index.js';
import type { TimeOfDayPeriod, WebsterResult } from '../signal/index.js';
import type { CountRow, No2Row } from './counts.js';
import type { Intersection, Movement, Phase, PlanPeriod } from './intersection.js';

const SLOT_MS = 900_000;
const SLOTS = 96;

export interface MovementEval {
  id: string;
  approach: string;
  phase: string;
  flow_vph: number;
  saturation_vph: number;
  green_s: number;
  /** Degree of saturation X = q·C/(s·g). */
  x: number;
  /** Full Webster delay, s/veh, below saturation; the uniform delay d1 at or above it (then delay_method says so). */
  delay_s: number;
  delay_method: 'webster' | 'uniform_only';
  stops_per_veh: number;
  stops_vph: number;
  /** Mean number of vehicles delayed (Little: q·d), veh. */
  queue_veh: number;
}

export interface PlanEval {
  cycle_s: number;
  /** Effective greens, s, by phase id. */
  greens_s: Record<string, number>;
  /** Displayed greens (effective − amber − all-red + lost time), s. */
  displayed_greens_s: Record<string, number>;
  critical_vc: number;
  max_x: number;
  /** Intersection delay Σq·d/Σq, s/veh. */
  delay_s: number;
  stops_vph: number;
  movements: MovementEval[];
}

export interface ApproachSummary {
  approaches: string[];
  flow_vph: number;
  delay_s: number;
  stops_vph: number;
  queue_veh: number;
  max_x: number;
}

export interface AirQualityAdvice {
  no2_ugm3: number;
  threshold_ugm3: number;
  plan: PlanEval;
  /** The polluted approach(es) and the other movements, before (proposed Webster plan) and after. */
  polluted_before: ApproachSummary;
  polluted_after: ApproachSummary;
  others_before: ApproachSummary;
  others_after: ApproachSummary;
  intersection_delay_before_s: number;
  intersection_delay_after_s: number;
  summary: string;
}

export interface PeriodFlow {
  movement: string;
  approach: string;
  /** Vehicles in the period's design hour (mean of the design days). */
  volume_vph: number;
  design_flow_vph: number;
  heavy_pct: number;
  saturation_vph: number;
  saturation_source: 'given' | 'hcm';
  y: number;
}

export interface PeriodResult {
  name: string;
  level: TimeOfDayPeriod['level'];
  /** Local clock, HH:MM. */
  from: string;
  to: string;
  hours: number[];
  design_hour: string;
  phf: number;
  no2_ugm3: number | null;
  polluted: boolean;
  flows: PeriodFlow[];
  critical: Array<{ phase: string; movement: string; y: number }>;
  Y: number;
  lost_time_s: number;
  /** Webster's method on this period's critical ratios, as the library computes it (unrounded). */
  webster: WebsterResult;
  /** How the proposed cycle was chosen: Webster's C0 (clamped, whole seconds), or least delay when green limits bend the split. */
  cycle_rule: 'webster_optimum' | 'least_delay_with_green_limits';
  proposed: PlanEval;
  current: (PlanEval & { plan_period: string }) | null;
  comparison: { delay_change_s: number; delay_change_pct: number; stops_change_vph: number; critical_vc_before: number; critical_vc_after: number } | null;
  air_quality: AirQualityAdvice | null;
  /** What an engineer must look at: over capacity, Y ≥ 0.95, a current plan below its minimum greens. */
  warnings: string[];
}

export interface SignalPlanResult {
  intersection: { id: string; name: string | null; site: string; timezone: string };
  inputs: { counts: string; no2: string; first_interval: string; last_interval: string; intervals: number; days: number; design_days: string[]; unmapped_detectors: string[] };
  assumptions: string[];
  profile: {
    slot_minutes: 15;
    design_day_vph: number[];
    weekend_vph: number[] | null;
    no2_design_day_ugm3: (number | null)[];
  };
  periods: PeriodResult[];
  /** ms since the epoch: end of the last counted interval (the time stamped on the signal_plan metrics). */
  time: number;
}

export interface AnalyseInput {
  intersection: Intersection;
  counts: CountRow[];
  no2: No2Row[];
  countsSource: string;
  no2Source: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (slot: number) => `${pad(Math.floor((slot % SLOTS) / 4))}:${pad((slot % 4) * 15)}`;
const hourClock = (h: number) => `${pad(h)}:00`;
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

function localClock(tz: string): (t: number) => { day: string; slot: number; weekday: number } {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
  const WD: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  // Counts share their interval starts (one row per detector lane): format each instant once.
  const cache = new Map<number, { day: string; slot: number; weekday: number }>();
  return (t) => {
    const hit = cache.get(t);
    if (hit) return hit;
    const p: Record<string, string> = {};
    for (const x of f.formatToParts(new Date(t))) p[x.type] = x.value;
    const v = { day: `${p.year}-${p.month}-${p.day}`, slot: Number(p.hour) * 4 + Math.floor(Number(p.minute) / 15), weekday: WD[p.weekday ?? ''] ?? 0 };
    cache.set(t, v);
    return v;
  };
}

function slotOfClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 4 + Math.floor((m ?? 0) / 15);
}

/** The slots of the day a plan period covers (to < from wraps midnight). */
function planSlots(p: PlanPeriod): Set<number> {
  const a = slotOfClock(p.from);
  let b = slotOfClock(p.to);
  if (b <= a) b += SLOTS;
  const s = new Set<number>();
  for (let i = a; i < b; i++) s.add(i % SLOTS);
  return s;
}

/** Effective green limits of a phase: displayed + amber + all-red − lost time (traffic.md §1, l = k + a − g). */
const toEffective = (p: Phase, displayed: number) => displayed + p.amber_s + p.all_red_s - p.lost_time_s;
const toDisplayed = (p: Phase, effective: number) => effective - p.amber_s - p.all_red_s + p.lost_time_s;

/** Whole seconds that still add up: the cycle rounded, greens by largest remainder so Σg + L = C. */
function wholeSeconds(greens: number[], cycle: number, lost: number): { cycle: number; greens: number[] } {
  const c = Math.round(cycle);
  const target = c - lost;
  const raw = greens.map((g) => (g * target) / (greens.reduce((a, b) => a + b, 0) || 1));
  const floor = raw.map(Math.floor);
  let left = Math.round(target - floor.reduce((a, b) => a + b, 0));
  const order = raw.map((g, i) => [g - Math.floor(g), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floor[i]! += 1;
    left--;
  }
  return { cycle: c, greens: floor };
}

interface Demand {
  movement: Movement;
  phase: Phase;
  flow_vph: number;
  saturation_vph: number;
}

export function evaluatePlan(demands: readonly Demand[], phases: readonly Phase[], cycle: number, greens: readonly number[]): PlanEval {
  const lost = phases.reduce((n, p) => n + p.lost_time_s, 0);
  const greenOf = new Map(phases.map((p, i) => [p.id, greens[i] ?? 0]));
  const movements: MovementEval[] = demands.map((d) => {
    const g = greenOf.get(d.phase.id) ?? 0;
    const o = { cycle, green: g, flow_vph: d.flow_vph, saturation_vph: d.saturation_vph };
    const r = websterDelay(o);
    const delay = r.webster_s ?? r.uniform_s;
    const h = stopRate(o);
    return {
      id: d.movement.id,
      approach: d.movement.approach,
      phase: d.phase.id,
      flow_vph: d.flow_vph,
      saturation_vph: d.saturation_vph,
      green_s: g,
      x: r.x,
      delay_s: delay,
      delay_method: r.webster_s === null ? 'uniform_only' : 'webster',
      stops_per_veh: h,
      stops_vph: h * d.flow_vph,
      queue_veh: (d.flow_vph * delay) / 3600,
    };
  });
  const ratios = phases.map((p) => criticalFlowRatio(demands.filter((d) => d.phase.id === p.id).map((d) => ({ id: d.movement.id, flow_vph: d.flow_vph, saturation_vph: d.saturation_vph }))).y);
  return {
    cycle_s: cycle,
    greens_s: Object.fromEntries(phases.map((p, i) => [p.id, greens[i] ?? 0])),
    displayed_greens_s: Object.fromEntries(phases.map((p, i) => [p.id, toDisplayed(p, greens[i] ?? 0)])),
    critical_vc: hcmCriticalVc({ ratios, lostTime: lost, cycle }),
    max_x: Math.max(...movements.map((m) => m.x)),
    delay_s: intersectionDelay(movements),
    stops_vph: movements.reduce((n, m) => n + m.stops_vph, 0),
    movements,
  };
}

function summarise(plan: PlanEval, approaches: string[], inside: boolean): ApproachSummary {
  const ms = plan.movements.filter((m) => approaches.includes(m.approach) === inside);
  return {
    approaches: [...new Set(ms.map((m) => m.approach))],
    flow_vph: ms.reduce((n, m) => n + m.flow_vph, 0),
    delay_s: ms.length ? intersectionDelay(ms) : 0,
    stops_vph: ms.reduce((n, m) => n + m.stops_vph, 0),
    queue_veh: ms.reduce((n, m) => n + m.queue_veh, 0),
    max_x: ms.length ? Math.max(...ms.map((m) => m.x)) : 0,
  };
}

/**
 * The air-quality plan: every whole-second cycle in the agency window; the phases that do not serve the polluted
 * approach get the green that holds their critical movement at max_degree_of_saturation (never below their
 * minimum), the rest goes to the phases that do. Kept: plans whose other movements stay at or under that degree of
 * saturation (or under their proposed-plan value, if already above), whose intersection delay grows by at most
 * max_delay_increase_pct and whose polluted-approach queue is no longer than the proposed plan's. Chosen: fewest
 * stops on the polluted approach (stop-and-go is where the extra NO2 comes from — traffic.md §4–5), then least queue.
 */
function airQualityPlan(ix: Intersection, demands: readonly Demand[], proposed: PlanEval, ratios: readonly number[], minEff: number[], maxEff: number[]): PlanEval | null {
  const aq = ix.air_quality!;
  const phases = ix.phases;
  const lost = phases.reduce((n, p) => n + p.lost_time_s, 0);
  const favoured = phases.map((p) => demands.some((d) => d.phase.id === p.id && aq.polluted_approaches.includes(d.movement.approach)));
  if (favoured.every(Boolean) || !favoured.some(Boolean)) return null;
  const before = summarise(proposed, aq.polluted_approaches, true);
  const beforeOthers = proposed.movements.filter((m) => !aq.polluted_approaches.includes(m.approach));
  let best: { plan: PlanEval; stops: number; queue: number } | null = null;
  for (let c = Math.ceil(ix.cycle.min_s); c <= Math.floor(ix.cycle.max_s); c++) {
    const greens = phases.map((_, i) => (favoured[i] ? 0 : Math.min(maxEff[i]!, Math.max(minEff[i]!, Math.ceil((ratios[i]! * c) / aq.max_degree_of_saturation)))));
    let left = c - lost - greens.reduce((a, b) => a + b, 0);
    const fav = phases.map((_, i) => i).filter((i) => favoured[i]);
    const favY = fav.reduce((n, i) => n + ratios[i]!, 0);
    if (left < fav.reduce((n, i) => n + minEff[i]!, 0)) continue;
    // Share what is left among the favoured phases by flow ratio, within their limits.
    for (const i of fav) greens[i] = Math.max(minEff[i]!, Math.floor(favY > 0 ? (ratios[i]! / favY) * left : left / fav.length));
    for (const i of fav) greens[i] = Math.min(greens[i]!, maxEff[i]!);
    left = c - lost - greens.reduce((a, b) => a + b, 0);
    // Seconds left over (rounding, or maximum greens reached) go to the favoured phases first, then the others.
    for (const pool of [fav, phases.map((_, i) => i).filter((i) => !favoured[i])]) {
      for (const i of pool) {
        const add = Math.min(left, maxEff[i]! - greens[i]!);
        if (add > 0) {
          greens[i]! += add;
          left -= add;
        }
      }
    }
    if (left !== 0 || greens.some((g) => g <= 0)) continue;
    const plan = evaluatePlan(demands, phases, c, greens);
    const others = plan.movements.filter((m) => !aq.polluted_approaches.includes(m.approach));
    const othersOk = others.every((m) => m.x <= Math.max(aq.max_degree_of_saturation, beforeOthers.find((b) => b.id === m.id)?.x ?? 0) + 1e-9);
    const delayOk = plan.delay_s <= proposed.delay_s * (1 + aq.max_delay_increase_pct / 100) + 1e-9;
    const s = summarise(plan, aq.polluted_approaches, true);
    if (!othersOk || !delayOk || s.queue_veh > before.queue_veh + 1e-9 || s.stops_vph >= before.stops_vph - 1e-9) continue;
    if (!best || s.stops_vph < best.stops - 1e-9 || (Math.abs(s.stops_vph - best.stops) <= 1e-9 && s.queue_veh < best.queue)) best = { plan, stops: s.stops_vph, queue: s.queue_veh };
  }
  return best?.plan ?? null;
}

const pct = (after: number, before: number) => (before > 0 ? round((100 * (after - before)) / before, 0) : 0);

export function analyse(input: AnalyseInput): SignalPlanResult {
  const ix = input.intersection;
  const local = localClock(ix.timezone);
  const laneToMovement = new Map<string, Movement>();
  for (const m of ix.movements) for (const d of m.detectors) laneToMovement.set(`${d.detector}/${d.lane}`, m);
  const phaseOf = new Map<string, Phase>();
  for (const p of ix.phases) for (const m of p.movements) phaseOf.set(m, p);

  // 15-min sums per movement per local day and slot.
  const unmapped = new Set<string>();
  type Cell = { v: number; hv: number };
  const days = new Map<string, { weekday: number; cells: Map<string, Cell[]> }>();
  let first = Infinity;
  let last = -Infinity;
  const intervals = new Set<number>();
  for (const r of input.counts) {
    const m = laneToMovement.get(`${r.detector}/${r.lane}`) ?? laneToMovement.get(`${r.detector}/all`);
    if (!m) {
      unmapped.add(`${r.detector}/${r.lane}`);
      continue;
    }
    first = Math.min(first, r.time);
    last = Math.max(last, r.time);
    intervals.add(r.time);
    const lc = local(r.time);
    let day = days.get(lc.day);
    if (!day) days.set(lc.day, (day = { weekday: lc.weekday, cells: new Map() }));
    let row = day.cells.get(m.id);
    if (!row) day.cells.set(m.id, (row = Array.from({ length: SLOTS }, () => ({ v: NaN, hv: 0 }))));
    const cell = row[lc.slot]!;
    cell.v = (Number.isNaN(cell.v) ? 0 : cell.v) + r.vehicles;
    cell.hv += r.heavy_vehicles;
  }
  if (days.size === 0) throw new RangeError(`no count row matches a detector of ${ix.id} (counts have ${[...unmapped].slice(0, 5).join(', ')}) — check movements[].detectors`);

  const dayKeys = [...days.keys()].sort();
  const weekdays = dayKeys.filter((d) => { const w = days.get(d)!.weekday; return w >= 1 && w <= 5; });
  const weekend = dayKeys.filter((d) => !weekdays.includes(d));
  const designDays = weekdays.length ? weekdays : dayKeys;

  /** Mean over days of a movement's slot (NaN cells — no count — left out). */
  const meanOf = (dayList: string[], movement: string, slot: number, key: 'v' | 'hv') => {
    let sum = 0;
    let n = 0;
    for (const d of dayList) {
      const c = days.get(d)!.cells.get(movement)?.[slot];
      if (c && !Number.isNaN(c.v)) {
        sum += c[key];
        n++;
      }
    }
    return n ? sum / n : 0;
  };
  const movementProfile = (dayList: string[], key: 'v' | 'hv') => new Map(ix.movements.map((m) => [m.id, Array.from({ length: SLOTS }, (_, s) => meanOf(dayList, m.id, s, key))]));
  const design = movementProfile(designDays, 'v');
  const designHv = movementProfile(designDays, 'hv');
  const total = (prof: Map<string, number[]>) => Array.from({ length: SLOTS }, (_, s) => ix.movements.reduce((n, m) => n + (prof.get(m.id)?.[s] ?? 0), 0));
  const designTotal = total(design);
  const weekendTotal = weekend.length ? total(movementProfile(weekend, 'v')) : null;

  // NO2 on the same clock and days.
  const no2Sum = new Array<number>(SLOTS).fill(0);
  const no2N = new Array<number>(SLOTS).fill(0);
  for (const r of input.no2) {
    const lc = local(r.time);
    if (!designDays.includes(lc.day)) continue;
    no2Sum[lc.slot]! += r.no2_ugm3;
    no2N[lc.slot]! += 1;
  }
  const no2Profile = no2Sum.map((s, i) => (no2N[i] ? s / no2N[i]! : null));

  const hourly = Array.from({ length: 24 }, (_, h) => designTotal.slice(h * 4, h * 4 + 4).reduce((a, b) => a + b, 0));
  const derived = periodsFromProfile(hourly);
  const lost = ix.phases.reduce((n, p) => n + p.lost_time_s, 0);
  const minEff = ix.phases.map((p) => toEffective(p, Math.max(p.min_green_s, p.pedestrian_min_s)));
  const maxEff = ix.phases.map((p) => toEffective(p, p.max_green_s));

  const periods: PeriodResult[] = derived.map((tp) => {
    const slots = tp.hours.flatMap((h) => [h * 4, h * 4 + 1, h * 4 + 2, h * 4 + 3]);
    const periodTotal = slots.map((s) => designTotal[s] ?? 0);
    const bh = periodTotal.length >= 4 && periodTotal.some((v) => v > 0) ? busiestHour(periodTotal) : { start: 0, volume: 0, phf: 1, design_flow_vph: 0 };
    const hourSlots = slots.slice(bh.start, bh.start + 4);
    const phfUsed = ix.use_phf ? bh.phf : 1;
    const flows: PeriodFlow[] = ix.movements.map((m) => {
      const volume = hourSlots.reduce((n, s) => n + (design.get(m.id)?.[s] ?? 0), 0);
      const vAll = slots.reduce((n, s) => n + (design.get(m.id)?.[s] ?? 0), 0);
      const hvAll = slots.reduce((n, s) => n + (designHv.get(m.id)?.[s] ?? 0), 0);
      const heavyPct = vAll > 0 ? (100 * hvAll) / vAll : 0;
      const given = m.saturation_flow_vph;
      const s = given ?? saturationFlow({ base: m.base_saturation_flow_pcphpl, lanes: m.lanes, heavyPct, heavyEquivalent: m.heavy_vehicle_pce }) * m.lane_factor;
      const q = volume / phfUsed;
      return { movement: m.id, approach: m.approach, volume_vph: volume, design_flow_vph: q, heavy_pct: heavyPct, saturation_vph: s, saturation_source: given ? 'given' : 'hcm', y: q / s };
    });
    const demands: Demand[] = flows.map((f) => {
      const movement = ix.movements.find((m) => m.id === f.movement)!;
      return { movement, phase: phaseOf.get(movement.id)!, flow_vph: f.design_flow_vph, saturation_vph: f.saturation_vph };
    });
    const critical = ix.phases.map((p) => {
      const c = criticalFlowRatio(demands.filter((d) => d.phase.id === p.id).map((d) => ({ id: d.movement.id, flow_vph: d.flow_vph, saturation_vph: d.saturation_vph })));
      return { phase: p.id, movement: c.id, y: c.y };
    });
    const ratios = critical.map((c) => c.y);
    const w = webster({ ratios, lostTime: lost, minCycle: ix.cycle.min_s, maxCycle: ix.cycle.max_s, minGreens: minEff, maxGreens: maxEff });
    const whole = wholeSeconds(w.greens_s, w.clamped_cycle_s, lost);
    let proposed = evaluatePlan(demands, ix.phases, whole.cycle, whole.greens);
    let cycleRule: PeriodResult['cycle_rule'] = 'webster_optimum';
    // C0 minimises delay only when the greens follow y_i/Y. Once minimum (pedestrian) or maximum greens bend the
    // split, C0 can leave a critical movement over capacity: then take, among the whole-second cycles of the
    // agency window split the same way, the one with the least intersection delay and every X < 1 (delay above
    // saturation is only the uniform term, which understates it, so such plans are not compared on delay).
    if (w.notes.includes('min_green') || w.notes.includes('max_green') || proposed.max_x >= 1) {
      const better = (e: PlanEval, than: PlanEval) => (e.max_x < 1 ? than.max_x >= 1 || e.delay_s < than.delay_s - 1e-9 : e.max_x < than.max_x - 1e-9);
      for (let c = Math.ceil(ix.cycle.min_s); c <= Math.floor(ix.cycle.max_s); c++) {
        if (c <= lost + minEff.reduce((a, b) => a + b, 0)) continue;
        const wc = webster({ ratios, lostTime: lost, cycle: c, minGreens: minEff, maxGreens: maxEff });
        const g = wholeSeconds(wc.greens_s, wc.clamped_cycle_s, lost);
        const e = evaluatePlan(demands, ix.phases, g.cycle, g.greens);
        if (better(e, proposed)) {
          proposed = e;
          cycleRule = 'least_delay_with_green_limits';
        }
      }
    }
    const warnings: string[] = [];
    if (proposed.max_x >= 1) warnings.push(`no plan in the ${ix.cycle.min_s}–${ix.cycle.max_s} s window serves every movement (max X ${round(proposed.max_x, 2)}): the junction needs more capacity, not retiming`);
    if (w.oversaturated) warnings.push(`Y = ${round(w.Y, 2)} ≥ 0.95: redesign rather than retime (rhces)`);

    // The current plan that covers most of this period's hours.
    let current: PeriodResult['current'] = null;
    let bestOverlap = 0;
    let currentWarnings: string[] = [];
    for (const cp of ix.current_plan) {
      const cs = planSlots(cp);
      const overlap = slots.filter((s) => cs.has(s)).length;
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        current = { ...evaluatePlan(demands, ix.phases, cp.cycle_s, ix.phases.map((p) => cp.greens_s[p.id] ?? 0)), plan_period: cp.period };
        currentWarnings = ix.phases.flatMap((p, i) =>
          (cp.greens_s[p.id] ?? 0) < minEff[i]! - 1e-9 ? [`current plan "${cp.period}": ${p.id} green ${cp.greens_s[p.id]} s is below its minimum (incl. pedestrian) of ${minEff[i]} s effective`] : [],
        );
      }
    }
    const comparison = current
      ? {
          delay_change_s: proposed.delay_s - current.delay_s,
          delay_change_pct: pct(proposed.delay_s, current.delay_s),
          stops_change_vph: proposed.stops_vph - current.stops_vph,
          critical_vc_before: current.critical_vc,
          critical_vc_after: proposed.critical_vc,
        }
      : null;

    const no2Values = slots.map((s) => no2Profile[s]).filter((v): v is number => v !== null && v !== undefined);
    const no2 = no2Values.length ? no2Values.reduce((a, b) => a + b, 0) / no2Values.length : null;
    const polluted = !!ix.air_quality && no2 !== null && no2 > ix.air_quality.no2_threshold_ugm3;
    let air_quality: AirQualityAdvice | null = null;
    if (polluted && ix.air_quality) {
      const aq = ix.air_quality;
      const plan = airQualityPlan(ix, demands, proposed, ratios, minEff, maxEff);
      const pb = summarise(proposed, aq.polluted_approaches, true);
      const ob = summarise(proposed, aq.polluted_approaches, false);
      const after = plan ?? proposed;
      const pa = summarise(after, aq.polluted_approaches, true);
      const oa = summarise(after, aq.polluted_approaches, false);
      const greens = ix.phases.map((p) => `${p.id} ${after.greens_s[p.id]} s`).join(', ');
      const summary = plan
        ? `NO2 ${round(no2!)} µg/m³ > ${aq.no2_threshold_ugm3}: cycle ${after.cycle_s} s (${greens}) changes stops on ${aq.polluted_approaches.join('/')} by ${pct(pa.stops_vph, pb.stops_vph)} % ` +
          `(${round(pb.stops_vph, 0)} → ${round(pa.stops_vph, 0)}/h) and its mean queue ${round(pb.queue_veh)} → ${round(pa.queue_veh)} veh; ` +
          `other movements wait ${round(ob.delay_s)} → ${round(oa.delay_s)} s/veh (max X ${round(oa.max_x, 2)}), intersection ${round(proposed.delay_s)} → ${round(after.delay_s)} s/veh`
        : `NO2 ${round(no2!)} µg/m³ > ${aq.no2_threshold_ugm3}, but no plan within the limits (X ≤ ${aq.max_degree_of_saturation} elsewhere, delay +${aq.max_delay_increase_pct} % at most) has fewer stops on ${aq.polluted_approaches.join('/')} than the proposed one: keep it, and consider gating upstream`;
      air_quality = {
        no2_ugm3: no2!,
        threshold_ugm3: aq.no2_threshold_ugm3,
        plan: after,
        polluted_before: pb,
        polluted_after: pa,
        others_before: ob,
        others_after: oa,
        intersection_delay_before_s: proposed.delay_s,
        intersection_delay_after_s: after.delay_s,
        summary,
      };
    }
    return {
      name: tp.name,
      level: tp.level,
      from: hourClock(tp.start_hour),
      to: hourClock(tp.end_hour),
      hours: tp.hours,
      design_hour: `${clock(hourSlots[0] ?? 0)}–${clock((hourSlots[0] ?? 0) + 4)}`,
      phf: bh.phf,
      no2_ugm3: no2,
      polluted,
      flows,
      critical,
      Y: w.Y,
      lost_time_s: lost,
      webster: w,
      cycle_rule: cycleRule,
      proposed,
      current,
      comparison,
      air_quality,
      warnings: [...warnings, ...currentWarnings],
    };
  });

  const assumptions = [
    `Design day: the mean of ${designDays.length} ${weekdays.length ? 'weekday' : ''} day(s) (${designDays[0]} … ${designDays[designDays.length - 1]})${weekend.length ? `; ${weekend.length} weekend day(s) shown in the profile only` : ''}. Local clock ${ix.timezone}.`,
    `Time-of-day periods from the design day's hourly profile (peak ≥ 80 % of the busiest hour, low < 30 %); each period is timed for its busiest hour.`,
    ix.use_phf
      ? 'Design flow = design-hour volume / PHF of the intersection total in that hour (HCM; isarsoft PHF = V/(4·V15,max)).'
      : 'Design flow = design-hour volume (use_phf: false).',
    `Saturation flows: ${ix.movements.map((m) => (m.saturation_flow_vph ? `${m.id} ${m.saturation_flow_vph} veh/h (given)` : `${m.id} ${m.base_saturation_flow_pcphpl}·${m.lanes} lanes·${m.lane_factor}·fHV(E_T ${m.heavy_vehicle_pce})`)).join('; ')}. fHV from each period's counted heavy-vehicle share (HCM 2000 Exh. 16-7).`,
    `Lost time per cycle L = ${lost} s (${ix.phases.map((p) => `${p.id} ${p.lost_time_s}`).join(', ')}); effective green = displayed green + amber + all-red − lost time.`,
    `Cycle ${ix.cycle.min_s}–${ix.cycle.max_s} s; Webster's C0 = (1.5L + 5)/(1 − Y), greens by y_i/Y within minimum (incl. pedestrian) and maximum greens, rounded to whole seconds; where those limits bend the split, the cycle of least delay in the window instead (cycle_rule).`,
    'Delay: Webster 1958 three-term delay below saturation, the uniform delay d1 at or above it (understates delay there); stops: h = (1 − g/C)/(1 − y) (Webster & Cobbe 1966); queue = flow × delay.',
    ix.air_quality
      ? `NO2: ${input.no2Source}; a period is polluted when its mean on the design day exceeds ${ix.air_quality.no2_threshold_ugm3} µg/m³. The air-quality plan favours ${ix.air_quality.polluted_approaches.join('/')}: other movements kept at X ≤ ${ix.air_quality.max_degree_of_saturation}, intersection delay +${ix.air_quality.max_delay_increase_pct} % at most. Kerbside gains are local and partly masked by background NO2 (Coppalle et al. 2001).`
      : 'No air_quality section: no air-quality plan.',
    'This is advice for an engineer to check, not a controller configuration: fixed-time formulas, isolated junction, no coordination or actuation.',
  ];

  return {
    intersection: { id: ix.id, name: ix.name ?? null, site: ix.site, timezone: ix.timezone },
    inputs: {
      counts: input.countsSource,
      no2: input.no2Source,
      first_interval: new Date(first).toISOString(),
      last_interval: new Date(last).toISOString(),
      intervals: intervals.size,
      days: dayKeys.length,
      design_days: designDays,
      unmapped_detectors: [...unmapped].sort(),
    },
    assumptions,
    profile: { slot_minutes: 15, design_day_vph: designTotal.map((v) => v * 4), weekend_vph: weekendTotal?.map((v) => v * 4) ?? null, no2_design_day_ugm3: no2Profile },
    periods,
    time: last + SLOT_MS,
  };
}

/** For tests and callers that want the flows of one period as Webster sees them. */
export function periodRatios(p: PeriodResult): number[] {
  return p.critical.map((c) => c.y);
}
