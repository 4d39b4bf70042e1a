// Linear calibration y = slope · x + offset, e.g. from a co-location with a reference analyser (ESPHome
// `calibrate_linear`, Telegraf `processors/scale`; STYLE.md: calibration is configuration, not code).
import { nonNegative, requireFinite, type Corrected } from './result.js';

export interface LinearCoefficients {
  slope: number;
  /** In the unit of the input quantity. */
  offset: number;
}

export function linear(x: number, c: LinearCoefficients): Corrected {
  requireFinite('input', x);
  return nonNegative(c.slope * x + c.offset);
}
