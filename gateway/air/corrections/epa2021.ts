// US EPA US-wide correction for PurpleAir / Plantower PMS5003 PM2.5 (Barkjohn, Gantt & Clements, "Development and
// application of a United States-wide correction for PM2.5 data collected with the PurpleAir sensor", Atmos. Meas.
// Tech. 14, 4617–4637, 2021, eq. for the US-wide model; air-quality.md §5):
//
//   PM2.5 = 0.524 · x − 0.0862 · RH + 5.75
//
// x = Plantower CF=1 PM2.5 (`pm2.5_cf_1`, our `pm25_cf1_ugm3`) — the fit was made on CF=1, not on the "ATM"
// channel; RH = the relative humidity measured beside the sensor, %, clamped to 0–100.
import { clampRh, nonNegative, requireFinite, type Corrected } from './result.js';

export const EPA2021 = { slope: 0.524, rh: -0.0862, intercept: 5.75 } as const;

/** The raw formula, unclamped (epaFasm reuses it for its lowest segment). */
export function epa2021Raw(pm25Cf1: number, rhPct: number): number {
  return EPA2021.slope * pm25Cf1 + EPA2021.rh * clampRh(rhPct) + EPA2021.intercept;
}

export function epa2021(pm25Cf1: number, rhPct: number): Corrected {
  requireFinite('pm25 (CF=1)', pm25Cf1);
  requireFinite('rh', rhPct);
  return nonNegative(epa2021Raw(pm25Cf1, rhPct));
}
