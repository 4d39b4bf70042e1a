// ppb ↔ µg/m³ for the gases, at a stated reference temperature and pressure (ideal gas):
//
//   µg/m³ = ppb · M / V_m,   V_m = R · T / p   (L/mol with T in K and p in kPa, R = 8.314462618 J/(mol·K))
//
// Reference conditions: 20 °C and 101.325 kPa for EU/French reporting of gases (Directive 2008/50/EC, Annex VI;
// décret 98-360: 293 K, 101.3 kPa) — the default here; 25 °C for the US EPA. At 101.325 kPa V_m = 24.055 L/mol at
// 20 °C and 24.465 L/mol at 25 °C (air-quality.md §6).
import { requireFinite } from './result.js';

/** Molar masses, g/mol (air-quality.md §6). */
export const MOLAR_MASS_G_PER_MOL = { no2: 46.0055, o3: 48.0, so2: 64.07, co: 28.01, no: 30.01 } as const;
export type Gas = keyof typeof MOLAR_MASS_G_PER_MOL;
export const GASES = Object.keys(MOLAR_MASS_G_PER_MOL) as Gas[];

/** CODATA 2018 exact value, J/(mol·K). */
export const R_J_PER_MOL_K = 8.314462618;
export const EU_REFERENCE = { temperatureC: 20, pressureKpa: 101.325 } as const;

export interface Conditions {
  temperatureC?: number;
  pressureKpa?: number;
}

/** Molar volume of an ideal gas, L/mol. */
export function molarVolumeL(c: Conditions = {}): number {
  const t = c.temperatureC ?? EU_REFERENCE.temperatureC;
  const p = c.pressureKpa ?? EU_REFERENCE.pressureKpa;
  requireFinite('temperature', t);
  requireFinite('pressure', p);
  if (t <= -273.15) throw new RangeError(`temperature must be above absolute zero, got ${t} °C`);
  if (p <= 0) throw new RangeError(`pressure must be positive, got ${p} kPa`);
  return (R_J_PER_MOL_K * (t + 273.15)) / p;
}

/** µg/m³ per ppb of `gas` at the given conditions (20 °C, 101.325 kPa by default). */
export function ugm3PerPpb(gas: Gas, c: Conditions = {}): number {
  return MOLAR_MASS_G_PER_MOL[gas] / molarVolumeL(c);
}

export function ppbToUgm3(gas: Gas, ppb: number, c: Conditions = {}): number {
  requireFinite('ppb', ppb);
  return ppb * ugm3PerPpb(gas, c);
}

export function ugm3ToPpb(gas: Gas, ugm3: number, c: Conditions = {}): number {
  requireFinite('µg/m³', ugm3);
  return ugm3 / ugm3PerPpb(gas, c);
}
