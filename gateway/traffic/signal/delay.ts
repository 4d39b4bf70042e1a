// Delay and stops at a fixed-time signal. Sources: ../shared/reference/traffic.md §1.
// - uniform delay d1 = 0.5·C(1 − g/C)² / (1 − min(1, X)·g/C): HCM d1, equal to Webster's first term below
//   saturation [V: toolsforengineers signal_delay_los_basic].
// - full Webster (1958, RRL TP39) d = C(1−λ)²/[2(1−λx)] + x²/[2q(1−x)] − 0.65·(C/q²)^(1/3)·x^(2+5λ), λ = g/C,
//   q in veh/s: the reference marks this form [U] (TP39 not checked); it is reported beside d1, never instead of it.
// - stop rate h = (1 − g/C)/(1 − y): share of arrivals stopped by a fixed-time signal below saturation — see
//   stopRate() for the source.
import type { DelayInput, DelayResult, StopsInput } from './types.js';

function check(o: DelayInput | StopsInput): void {
  if (!Number.isFinite(o.cycle) || o.cycle <= 0) throw new RangeError(`cycle ${o.cycle} s must be > 0`);
  if (!Number.isFinite(o.green) || o.green <= 0 || o.green > o.cycle) {
    throw new RangeError(`effective green ${o.green} s must be > 0 and at most the cycle ${o.cycle} s`);
  }
  if (!Number.isFinite(o.flow_vph) || o.flow_vph < 0) throw new RangeError(`flow ${o.flow_vph} veh/h must be ≥ 0`);
  if (!Number.isFinite(o.saturation_vph) || o.saturation_vph <= 0) throw new RangeError(`saturation flow ${o.saturation_vph} veh/h must be > 0`);
}

/** Degree of saturation X = q·C/(s·g). */
function degree(o: DelayInput): number {
  return (o.flow_vph * o.cycle) / (o.saturation_vph * o.green);
}

/**
 * HCM uniform delay d1 = 0.5·C(1 − g/C)² / (1 − min(1, X)·g/C), s/veh. Finite at any X: above saturation it is the
 * delay of the cycle's own red, without the overflow queue, so it understates delay there.
 */
export function uniformDelay(o: DelayInput): number {
  check(o);
  const lambda = o.green / o.cycle;
  const x = Math.min(1, degree(o));
  return (0.5 * o.cycle * (1 - lambda) ** 2) / (1 - x * lambda);
}

/**
 * Full three-term Webster delay, s/veh, for X < 1; null at or above saturation, where its random term diverges.
 * With no flow the random and correction terms vanish and it equals d1.
 */
export function fullWebsterDelay(o: DelayInput): number | null {
  check(o);
  const x = degree(o);
  if (x >= 1) return null;
  const lambda = o.green / o.cycle;
  const first = (o.cycle * (1 - lambda) ** 2) / (2 * (1 - lambda * x));
  if (o.flow_vph === 0) return first;
  const q = o.flow_vph / 3600; // TP39 works in veh/s
  const second = (x * x) / (2 * q * (1 - x));
  const third = 0.65 * Math.cbrt(o.cycle / (q * q)) * x ** (2 + 5 * lambda);
  return first + second - third;
}

/**
 * Delay of one movement: X, the uniform delay d1 (use it to compare plans: defined at any X) and the full Webster
 * delay (null when X ≥ 1; report it as the textbook figure for undersaturated movements).
 */
export function websterDelay(o: DelayInput): DelayResult {
  check(o);
  return { x: degree(o), uniform_s: uniformDelay(o), webster_s: fullWebsterDelay(o) };
}

/**
 * Intersection delay: the flow-weighted mean Σ q_i·d_i / Σ q_i, s/veh (HCM aggregates approach and intersection
 * delay this way). 0 when there is no flow at all.
 */
export function intersectionDelay(movements: readonly { flow_vph: number; delay_s: number }[]): number {
  let flow = 0;
  let weighted = 0;
  movements.forEach((m, i) => {
    if (!Number.isFinite(m.flow_vph) || m.flow_vph < 0) throw new RangeError(`movement ${i + 1}: flow ${m.flow_vph} veh/h must be ≥ 0`);
    if (!Number.isFinite(m.delay_s) || m.delay_s < 0) throw new RangeError(`movement ${i + 1}: delay ${m.delay_s} s must be a number ≥ 0`);
    flow += m.flow_vph;
    weighted += m.flow_vph * m.delay_s;
  });
  return flow === 0 ? 0 : weighted / flow;
}

/**
 * Expected stops per vehicle at a fixed-time signal, h = (1 − g/C)/(1 − y), y = q/s: the share of arrivals that
 * meet the red or the queue discharging behind it (deterministic queue, Webster & Cobbe 1966 RRL Technical Paper 56;
 * the first term of Akçelik's stop-rate formula, "Stops at Traffic Signals", Proc. 10th ARRB Conf. 10(4), 1980,
 * which multiplies it by 0.9 for partial stops and adds an overflow term). Capped at 1 at or above saturation
 * (every vehicle stops at least once; multiple stops in an overflowing queue are not counted).
 */
export function stopRate(o: StopsInput): number {
  check(o);
  const y = o.flow_vph / o.saturation_vph;
  if (y >= 1) return 1;
  return Math.min(1, (1 - o.green / o.cycle) / (1 - y));
}
