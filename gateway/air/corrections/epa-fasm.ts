// The extended (smoke) correction of the AirNow Fire and Smoke Map: five segments in x that blend the
// Barkjohn 2021 fit into a high-concentration quadratic (Barkjohn et al., "Correction and accuracy of PurpleAir
// PM2.5 measurements for extreme wildfire smoke", Sensors 22, 9669, 2022; EPA Science Inventory record 353088,
// slide 26; air-quality.md §5). NOT the two-piece interim formula Mazama AirSensor2 labels "EPA_FASM".
//
//   0   ≤ x < 30  : 0.524·x − 0.0862·RH + 5.75
//   30  ≤ x < 50  : [0.786·a + 0.524·(1 − a)]·x − 0.0862·RH + 5.75,                     a = x/20 − 3/2
//   50  ≤ x < 210 : 0.786·x − 0.0862·RH + 5.75
//   210 ≤ x < 260 : [0.69·b + 0.786·(1 − b)]·x − 0.0862·RH·(1 − b) + 2.966·b + 5.75·(1 − b)
//                   + 8.84e-4·x²·b,                                                        b = x/50 − 21/5
//   x ≥ 260       : 2.966 + 0.69·x + 8.84e-4·x²
//
// x = Plantower CF=1 PM2.5, RH in % (clamped 0–100). a runs 0→1 over 30–50 and b over 210–260, so the segments
// meet at 30, 50, 210 and 260 (tested).
import { clampRh, nonNegative, requireFinite, type Corrected } from './result.js';

/** The formula before the floor at 0. */
export function epaFasmRaw(x: number, rhPct: number): number {
  const rh = clampRh(rhPct);
  if (x < 30) return 0.524 * x - 0.0862 * rh + 5.75;
  if (x < 50) {
    const a = x / 20 - 3 / 2;
    return (0.786 * a + 0.524 * (1 - a)) * x - 0.0862 * rh + 5.75;
  }
  if (x < 210) return 0.786 * x - 0.0862 * rh + 5.75;
  if (x < 260) {
    const b = x / 50 - 21 / 5;
    return (0.69 * b + 0.786 * (1 - b)) * x - 0.0862 * rh * (1 - b) + 2.966 * b + 5.75 * (1 - b) + 8.84e-4 * x * x * b;
  }
  return 2.966 + 0.69 * x + 8.84e-4 * x * x;
}

export function epaFasm(pm25Cf1: number, rhPct: number): Corrected {
  requireFinite('pm25 (CF=1)', pm25Cf1);
  requireFinite('rh', rhPct);
  return nonNegative(epaFasmRaw(pm25Cf1, rhPct));
}
