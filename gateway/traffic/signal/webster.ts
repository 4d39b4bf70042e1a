// Flow ratios, Webster's optimum cycle and green split, HCM critical v/c. Sources: ../shared/reference/traffic.md §1
// — Webster 1958 (RRL Technical Paper 39) as given by vlcinfo.com/explain-about-websters-method, rhces.com/signal-
// timing-webster.html and toolsforengineers; HCM critical v/c as in NPTEL 105101008 lecture 34.
import type { CriticalRatio, MovementFlow, WebsterInput, WebsterNote, WebsterResult } from './types.js';

/** Y at or above this needs a redesign, not a retiming (rhces.com/signal-timing-webster.html). */
export const OVERSATURATED_Y = 0.95;

function finiteAtLeast(what: string, v: number, min: number): void {
  if (!Number.isFinite(v) || v < min) throw new RangeError(`${what} is ${v}; it must be a number ≥ ${min}`);
}

/** Flow ratio y = q / s (vlcinfo). Both in the same unit, veh/h or pcu/h. */
export function flowRatio(flow_vph: number, saturation_vph: number): number {
  finiteAtLeast('flow', flow_vph, 0);
  if (!Number.isFinite(saturation_vph) || saturation_vph <= 0) throw new RangeError(`saturation flow is ${saturation_vph}; it must be > 0`);
  return flow_vph / saturation_vph;
}

/** y_i = q_i / s_i for paired lists (one entry per movement or per phase). */
export function flowRatios(flows_vph: readonly number[], saturation_vph: readonly number[]): number[] {
  if (flows_vph.length !== saturation_vph.length) {
    throw new RangeError(`${flows_vph.length} flows but ${saturation_vph.length} saturation flows; give one saturation flow per flow`);
  }
  return flows_vph.map((q, i) => flowRatio(q, saturation_vph[i] as number));
}

/**
 * The critical movement of a phase: the one with the largest y = q/s (vlcinfo). Ties go to the first listed.
 * @throws RangeError for a phase with no movements.
 */
export function criticalFlowRatio(movements: readonly MovementFlow[]): CriticalRatio {
  const first = movements[0];
  if (first === undefined) throw new RangeError('a phase needs at least one movement to have a critical flow ratio');
  let best: CriticalRatio = { id: first.id, y: flowRatio(first.flow_vph, first.saturation_vph) };
  for (const m of movements.slice(1)) {
    const y = flowRatio(m.flow_vph, m.saturation_vph);
    if (y > best.y) best = { id: m.id, y };
  }
  return best;
}

/** Webster's optimum cycle C0 = (1.5·L + 5)/(1 − Y), s (TP39). Infinity when Y ≥ 1: no cycle serves the demand. */
export function websterOptimumCycle(Y: number, lostTime: number): number {
  finiteAtLeast('Y', Y, 0);
  finiteAtLeast('lost time', lostTime, 0);
  return Y >= 1 ? Number.POSITIVE_INFINITY : (1.5 * lostTime + 5) / (1 - Y);
}

/** Shortest cycle that carries the demand at X = 1: C_min = L/(1 − Y), s (studylib 8358892 §3.2). Infinity when Y ≥ 1. */
export function minimumCycle(Y: number, lostTime: number): number {
  finiteAtLeast('Y', Y, 0);
  finiteAtLeast('lost time', lostTime, 0);
  return Y >= 1 ? Number.POSITIVE_INFINITY : lostTime / (1 - Y);
}

/** Degree of saturation of a movement X = y·C/g (= q/capacity, capacity = s·g/C). */
export function degreeOfSaturation(y: number, cycle: number, green: number): number {
  finiteAtLeast('y', y, 0);
  if (!Number.isFinite(green) || green <= 0) throw new RangeError(`effective green is ${green} s; it must be > 0`);
  if (!Number.isFinite(cycle) || cycle < green) throw new RangeError(`cycle ${cycle} s is shorter than the green ${green} s`);
  return (y * cycle) / green;
}

/** HCM critical volume-to-capacity ratio X_c = Σ y_ci · C/(C − L) (HCM; terms as in NPTEL 105101008 lecture 34). */
export function hcmCriticalVc(o: { ratios: readonly number[]; lostTime: number; cycle: number }): number {
  o.ratios.forEach((y, i) => finiteAtLeast(`flow ratio ${i + 1}`, y, 0));
  finiteAtLeast('lost time', o.lostTime, 0);
  if (!Number.isFinite(o.cycle) || o.cycle <= o.lostTime) throw new RangeError(`cycle ${o.cycle} s must exceed the lost time ${o.lostTime} s`);
  const Y = o.ratios.reduce((a, b) => a + b, 0);
  return (Y * o.cycle) / (o.cycle - o.lostTime);
}

/** The cycle that gives a target X_c: C = L·X_c/(X_c − Σ y_ci) (HCM). Infinity when X_c ≤ Y. */
export function hcmCycleForVc(o: { ratios: readonly number[]; lostTime: number; targetVc: number }): number {
  o.ratios.forEach((y, i) => finiteAtLeast(`flow ratio ${i + 1}`, y, 0));
  finiteAtLeast('lost time', o.lostTime, 0);
  if (!Number.isFinite(o.targetVc) || o.targetVc <= 0) throw new RangeError(`target X_c ${o.targetVc} must be > 0`);
  const Y = o.ratios.reduce((a, b) => a + b, 0);
  return o.targetVc <= Y ? Number.POSITIVE_INFINITY : (o.lostTime * o.targetVc) / (o.targetVc - Y);
}

interface Split {
  greens: number[];
  hitMin: boolean;
  hitMax: boolean;
}

// Share `available` by y_i/Σy (rhces, toolsforengineers); phases pushed below their minimum or above their maximum
// are pinned there and the rest is shared again among the others by the same rule. Each round pins at least one
// phase, so this ends within n rounds. With Y = 0 (no demand) every phase gets an equal share.
function split(available: number, ratios: readonly number[], minG: readonly number[], maxG: readonly number[]): Split {
  const n = ratios.length;
  const pinned: (number | undefined)[] = new Array<number | undefined>(n).fill(undefined);
  let hitMin = false;
  let hitMax = false;
  for (;;) {
    const free = ratios.map((_, i) => i).filter((i) => pinned[i] === undefined);
    if (free.length === 0) break;
    const left = available - pinned.reduce<number>((a, g) => a + (g ?? 0), 0);
    const weight = free.reduce((a, i) => a + (ratios[i] as number), 0);
    const share = (i: number): number => (weight > 0 ? ((ratios[i] as number) / weight) * left : left / free.length);
    const low = free.filter((i) => share(i) < (minG[i] as number));
    if (low.length > 0) {
      for (const i of low) pinned[i] = minG[i] as number;
      hitMin = true;
      continue;
    }
    const high = free.filter((i) => share(i) > (maxG[i] as number));
    if (high.length > 0) {
      for (const i of high) pinned[i] = maxG[i] as number;
      hitMax = true;
      continue;
    }
    for (const i of free) pinned[i] = share(i);
    break;
  }
  return { greens: pinned.map((g) => g ?? 0), hitMin, hitMax };
}

function perPhase(what: string, list: readonly number[] | undefined, n: number, fill: number): number[] {
  if (list === undefined) return new Array<number>(n).fill(fill);
  if (list.length !== n) throw new RangeError(`${what} has ${list.length} entries for ${n} phases; give one per phase`);
  list.forEach((g, i) => finiteAtLeast(`${what} ${i + 1}`, g, 0));
  return [...list];
}

/**
 * Webster's method: Y = Σ y_i, C0 = (1.5L + 5)/(1 − Y) (or the given cycle), then the cycle clamped to
 * [minCycle, maxCycle], lengthened if the minimum greens do not fit, and effective greens
 * g_i = (y_i / Y)·(C − L) with minimum and maximum greens enforced (see WebsterNote for what changed).
 * @throws RangeError for an empty or negative ratio, a cycle not longer than L, minCycle > maxCycle, a minimum
 *   green above its maximum, or Y ≥ 1 with neither a given cycle nor a maxCycle to run at.
 * @example webster({ ratios: [0.25, 0.35], lostTime: 10 }) // Y 0.6, cycle_s 50, greens_s [16.67, 23.33]
 */
export function webster(input: WebsterInput): WebsterResult {
  const { ratios, lostTime } = input;
  const n = ratios.length;
  if (n === 0) throw new RangeError('Webster needs the critical flow ratio of at least one phase');
  ratios.forEach((y, i) => finiteAtLeast(`flow ratio ${i + 1}`, y, 0));
  finiteAtLeast('lost time', lostTime, 0);
  const { minCycle, maxCycle } = input;
  if (minCycle !== undefined) finiteAtLeast('minimum cycle', minCycle, 0);
  if (maxCycle !== undefined) finiteAtLeast('maximum cycle', maxCycle, 0);
  if (minCycle !== undefined && maxCycle !== undefined && minCycle > maxCycle) {
    throw new RangeError(`minimum cycle ${minCycle} s is above the maximum cycle ${maxCycle} s`);
  }
  const minG = perPhase('minimum green', input.minGreens, n, 0);
  const maxG = perPhase('maximum green', input.maxGreens, n, Number.POSITIVE_INFINITY);
  minG.forEach((g, i) => {
    if (g > (maxG[i] as number)) throw new RangeError(`phase ${i + 1}: minimum green ${g} s is above its maximum ${maxG[i]} s`);
  });

  const Y = ratios.reduce((a, b) => a + b, 0);
  const notes: WebsterNote[] = [];
  if (Y >= OVERSATURATED_Y) notes.push('oversaturated');
  let cycle_s: number;
  if (input.cycle !== undefined) {
    if (!Number.isFinite(input.cycle) || input.cycle <= lostTime) {
      throw new RangeError(`cycle ${input.cycle} s must be a number above the lost time ${lostTime} s`);
    }
    cycle_s = input.cycle;
  } else {
    cycle_s = websterOptimumCycle(Y, lostTime);
    if (!Number.isFinite(cycle_s)) {
      notes.push('over_capacity');
      if (maxCycle === undefined) {
        throw new RangeError(`Y = ${Y.toFixed(3)} ≥ 1: no cycle serves this demand; redesign (lanes, phasing) or give a maximum cycle to run at`);
      }
    }
  }

  let C = cycle_s;
  if (minCycle !== undefined && C < minCycle) {
    C = minCycle;
    notes.push('min_cycle');
  }
  if (maxCycle !== undefined && C > maxCycle) {
    C = maxCycle;
    notes.push('max_cycle');
  }
  if (C <= lostTime) throw new RangeError(`cycle ${C} s after the cycle limits must exceed the lost time ${lostTime} s`);
  const sumMin = minG.reduce((a, b) => a + b, 0);
  if (lostTime + sumMin > C) {
    C = lostTime + sumMin;
    notes.push('cycle_raised_for_min_greens');
    if (maxCycle !== undefined && C > maxCycle) notes.push('min_greens_exceed_max_cycle');
  }
  const s = split(C - lostTime, ratios, minG, maxG);
  if (s.hitMin) notes.push('min_green');
  if (s.hitMax) notes.push('max_green');
  const used = s.greens.reduce((a, b) => a + b, 0);
  if (used < C - lostTime - 1e-9) {
    C = lostTime + used;
    notes.push('cycle_shortened_for_max_greens');
  }
  return { Y, lostTime_s: lostTime, cycle_s, clamped_cycle_s: C, greens_s: s.greens, oversaturated: Y >= OVERSATURATED_Y, notes };
}
