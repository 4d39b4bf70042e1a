// Signal-timing library (issue 8): pure functions, no I/O. Formulas and their sources are in README.md and beside
// each function. Units: seconds (_s), vehicles or pcu per hour (_vph); a flow and its saturation flow must share
// one unit.
export type {
  CriticalRatio,
  DelayInput,
  DelayResult,
  MovementFlow,
  PeriodLevel,
  ProfileOptions,
  StopsInput,
  TimeOfDayPeriod,
  WebsterInput,
  WebsterNote,
  WebsterResult,
} from './types.js';
export { busiestHour, phf } from './phf.js';
export type { BusiestHour } from './phf.js';
export { heavyVehicleFactor, laneWidthFactor, saturationFlow } from './saturation.js';
export type { SaturationFlowOptions } from './saturation.js';
export {
  criticalFlowRatio,
  degreeOfSaturation,
  flowRatio,
  flowRatios,
  hcmCriticalVc,
  hcmCycleForVc,
  minimumCycle,
  webster,
  websterOptimumCycle,
} from './webster.js';
export { fullWebsterDelay, intersectionDelay, stopRate, uniformDelay, websterDelay } from './delay.js';
export { hourlyProfile, periodsFromProfile } from './periods.js';
export { evaluatePlan } from './evaluate.js';
export type { MovementPerformance, PlanInput, PlanPerformance, PlanPhase } from './evaluate.js';
export { OVERSATURATED_Y } from './webster.js';
export type { OtherFactors } from './saturation.js';
