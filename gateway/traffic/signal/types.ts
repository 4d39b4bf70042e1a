// Shared shapes of the signal-timing library. Units are in the names: _s seconds, _vph vehicles (or pcu) per hour.

/** One movement (or lane group) served by a phase: its demand and saturation flow, both in the same unit (veh/h or pcu/h). */
export interface MovementFlow {
  id: string;
  flow_vph: number;
  saturation_vph: number;
}

/** The critical (largest-ratio) movement of a phase. */
export interface CriticalRatio {
  id: string;
  /** y = q / s of the critical movement. */
  y: number;
}

export interface WebsterInput {
  /** Critical flow ratio y_i of each phase, in phase order. */
  ratios: readonly number[];
  /** Lost time per cycle L, s (Σ lost time per phase + all-red). */
  lostTime: number;
  /** A given cycle C, s; omitted → Webster's optimum C0. */
  cycle?: number;
  /** Cycle limits, s (agency window, e.g. 60–120). */
  minCycle?: number;
  maxCycle?: number;
  /** Minimum EFFECTIVE green per phase, s (pedestrian minimum or minimum green, converted by the caller: effective = displayed green + amber − lost time of the phase). */
  minGreens?: readonly number[];
  /** Maximum effective green per phase, s. */
  maxGreens?: readonly number[];
}

/** Why a Webster result differs from the unconstrained split. */
export type WebsterNote =
  | 'oversaturated' // Y ≥ 0.95: redesign (rhces)
  | 'over_capacity' // Y ≥ 1: no cycle serves the demand; cycle_s is Infinity and the plan runs at maxCycle
  | 'min_cycle' // the cycle was raised to minCycle
  | 'max_cycle' // the cycle was lowered to maxCycle
  | 'min_green' // at least one phase was raised to its minimum green
  | 'max_green' // at least one phase was capped at its maximum green
  | 'cycle_raised_for_min_greens' // Σ minimum greens + L did not fit the cycle: the cycle was lengthened
  | 'min_greens_exceed_max_cycle' // … beyond maxCycle (minimums win: pedestrian safety)
  | 'cycle_shortened_for_max_greens'; // every phase capped: the cycle shrank to L + Σ maximum greens

export interface WebsterResult {
  /** Y = Σ y_i. */
  Y: number;
  /** Lost time per cycle L, s (echoed). */
  lostTime_s: number;
  /** Unrounded optimum C0 = (1.5L + 5)/(1 − Y), or the given cycle. Infinity when Y ≥ 1 and no cycle is given. */
  cycle_s: number;
  /** The cycle actually used for greens_s: cycle_s clamped to [minCycle, maxCycle] and lengthened for minimum greens. */
  clamped_cycle_s: number;
  /** Effective green per phase at clamped_cycle_s, s: (y_i / Y)·(C − L), then minimum/maximum greens. Σ greens_s + L = clamped_cycle_s. */
  greens_s: number[];
  /** Y ≥ 0.95 → the junction needs redesign, not retiming (rhces). */
  oversaturated: boolean;
  notes: WebsterNote[];
}

export interface DelayInput {
  /** Cycle C, s. */
  cycle: number;
  /** Effective green g, s. */
  green: number;
  flow_vph: number;
  saturation_vph: number;
}

export interface DelayResult {
  /** Degree of saturation X = q·C / (s·g). */
  x: number;
  /** Uniform delay d1 = 0.5·C(1 − g/C)² / (1 − min(1, X)·g/C), s/veh (Webster's first term = HCM d1). Finite for any X. */
  uniform_s: number;
  /** Full three-term Webster (1958) delay, s/veh; null when X ≥ 1 (the random term diverges; the formula holds only below saturation). */
  webster_s: number | null;
}

export interface StopsInput {
  cycle: number;
  green: number;
  flow_vph: number;
  saturation_vph: number;
}

export type PeriodLevel = 'peak' | 'mid' | 'low';

export interface ProfileOptions {
  /** An hour is "peak" when its volume ≥ peakShare × the profile's maximum. Default 0.8. */
  peakShare?: number;
  /** An hour is "low" (night) when its volume < lowShare × the maximum. Default 0.3. */
  lowShare?: number;
  /** For a multi-day series: which days (0-based, in series order) to average into the 24-h profile. Default: all. */
  days?: readonly number[];
}

export interface TimeOfDayPeriod {
  /** am_peak, pm_peak, morning, midday, evening, night, all_day; a second run of the same name gets _2, _3 … */
  name: string;
  level: PeriodLevel;
  /** First hour of the period, 0–23 (local clock of the series). */
  start_hour: number;
  /** Hour after the last one, 1–24; smaller than start_hour when the period wraps midnight (night). */
  end_hour: number;
  /** The hours, in order (wrapping). */
  hours: number[];
  /** Mean hourly volume of the averaged profile over the period, veh/h. */
  mean_vph: number;
  /** The busiest hour of the period and its volume: the design hour. */
  design_hour: number;
  design_vph: number;
}
