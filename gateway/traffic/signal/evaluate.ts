// Performance of one signal plan (current or proposed) from its greens and the movements' flows: what the advice
// compares. Each figure comes from a function of this library; see README.md for the formulas and which delay is
// used where.
import { stopRate, uniformDelay, fullWebsterDelay } from './delay.js';
import type { MovementFlow } from './types.js';
import { criticalFlowRatio, hcmCriticalVc } from './webster.js';

export interface PlanPhase {
  /** Effective green of the phase, s. */
  green_s: number;
  /** Movements served by the phase (each movement in one phase). */
  movements: readonly MovementFlow[];
}

export interface PlanInput {
  cycle_s: number;
  /** Lost time per cycle L, s (for X_c). */
  lostTime_s: number;
  phases: readonly PlanPhase[];
}

export interface MovementPerformance {
  id: string;
  /** Index of the phase that serves it. */
  phase: number;
  flow_vph: number;
  saturation_vph: number;
  /** y = q/s. */
  y: number;
  /** Degree of saturation X = q·C/(s·g). */
  x: number;
  /** HCM/Webster uniform delay d1, s/veh (defined at any X). */
  uniform_delay_s: number;
  /** Full Webster delay, s/veh; null when X ≥ 1. */
  webster_delay_s: number | null;
  /** Stops per vehicle h = (1 − g/C)/(1 − y), capped at 1. */
  stops_per_veh: number;
}

export interface PlanPerformance {
  cycle_s: number;
  /** HCM critical v/c X_c = Σ y_crit · C/(C − L). */
  critical_vc: number;
  /** Largest movement X: above 1 that movement's queue grows every cycle. */
  max_x: number;
  /** Flow-weighted mean uniform delay d1 of all movements, s/veh: the figure to compare plans by. */
  delay_s: number;
  /** Flow-weighted mean full Webster delay, s/veh; null when any movement with flow has X ≥ 1. */
  webster_delay_s: number | null;
  /** Flow-weighted mean stops per vehicle. */
  stops_per_veh: number;
  /** Σ q·h: vehicles stopping per hour, all movements. */
  stops_per_hour: number;
  movements: MovementPerformance[];
}

/**
 * Evaluate a plan: per movement X, delays and stops at the plan's cycle and greens; for the intersection X_c and
 * flow-weighted means (HCM aggregates delay by flow). Empty phases and greens ≤ 0 are refused.
 * @example evaluatePlan({ cycle_s: 90, lostTime_s: 12, phases: [{ green_s: 45, movements: [{ id: 'N-th', flow_vph: 900, saturation_vph: 3600 }] }, …] })
 */
export function evaluatePlan(plan: PlanInput): PlanPerformance {
  if (plan.phases.length === 0) throw new RangeError('a plan needs at least one phase');
  const movements: MovementPerformance[] = [];
  plan.phases.forEach((ph, i) => {
    if (ph.movements.length === 0) throw new RangeError(`phase ${i + 1} serves no movement`);
    for (const m of ph.movements) {
      const o = { cycle: plan.cycle_s, green: ph.green_s, flow_vph: m.flow_vph, saturation_vph: m.saturation_vph };
      const d1 = uniformDelay(o);
      movements.push({
        id: m.id,
        phase: i,
        flow_vph: m.flow_vph,
        saturation_vph: m.saturation_vph,
        y: m.flow_vph / m.saturation_vph,
        x: (m.flow_vph * plan.cycle_s) / (m.saturation_vph * ph.green_s),
        uniform_delay_s: d1,
        webster_delay_s: fullWebsterDelay(o),
        stops_per_veh: stopRate(o),
      });
    }
  });
  const critical = plan.phases.map((ph) => criticalFlowRatio(ph.movements).y);
  const flow = movements.reduce((a, m) => a + m.flow_vph, 0);
  const mean = (f: (m: MovementPerformance) => number): number => (flow === 0 ? 0 : movements.reduce((a, m) => a + m.flow_vph * f(m), 0) / flow);
  const websterUnavailable = movements.some((m) => m.flow_vph > 0 && m.webster_delay_s === null);
  return {
    cycle_s: plan.cycle_s,
    critical_vc: hcmCriticalVc({ ratios: critical, lostTime: plan.lostTime_s, cycle: plan.cycle_s }),
    max_x: Math.max(...movements.map((m) => m.x)),
    delay_s: mean((m) => m.uniform_delay_s),
    webster_delay_s: websterUnavailable ? null : mean((m) => m.webster_delay_s ?? 0),
    stops_per_veh: mean((m) => m.stops_per_veh),
    stops_per_hour: movements.reduce((a, m) => a + m.flow_vph * m.stops_per_veh, 0),
    movements,
  };
}
