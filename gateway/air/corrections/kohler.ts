// κ-Köhler hygroscopic-growth correction for optical PM sensors (Crilley et al., "Evaluation of a low-cost optical
// particle counter (Alphasense OPC-N2) for ambient air monitoring", Atmos. Meas. Tech. 11, 709–720, 2018, eqs. 2–3,
// with κ as defined by Petters & Kreidenweis, Atmos. Chem. Phys. 7, 1961, 2007; air-quality.md §5):
//
//   a_w ≈ RH / 100,   C = 1 + (κ / 1.65) / (1/a_w − 1),   PM_dry = PM_measured / C
//
// 1.65 is the dry-particle density Crilley et al. assume (g/cm³, water = 1): the volume growth becomes mass growth.
// Typical bulk κ: (NH4)2SO4 0.53, NH4NO3 0.67, NaCl 1.28, SOA 0.1 ± 0.05, black carbon 0 (Petters & Kreidenweis
// 2007); measured urban bulk κ 0.04–0.13 (Warsaw).
import { clampRh, nonNegative, requireFinite, type Corrected } from './result.js';

/**
 * RH is capped here before the growth factor is computed. C diverges as RH → 100 % (1/a_w − 1 → 0); public
 * implementations cap at 90 or 95 % (air-quality.md §5). We take 95 %: at κ = 0.4 it already divides by 5.6, and
 * above it the optical sensor sees fog droplets rather than grown aerosol — Crilley et al. (2018) report the
 * OPC-N2's humidity artefacts above 85 % RH (air-quality.md §7), where a QC flag is worth more than a larger
 * divisor. Configurable per correction (`rh_cap_pct`, at most 99).
 */
export const KOHLER_RH_CAP_PCT = 95;

export interface KohlerResult extends Corrected {
  /** The growth factor C the measured value was divided by. */
  growth: number;
  /** The RH was above the cap and the cap was used. */
  rhCapped: boolean;
}

export function kohlerGrowth(rhPct: number, kappa: number, capPct = KOHLER_RH_CAP_PCT): number {
  const rh = Math.min(clampRh(rhPct), capPct);
  if (rh <= 0) return 1;
  const aw = rh / 100;
  return 1 + kappa / 1.65 / (1 / aw - 1);
}

export function kohler(pm: number, rhPct: number, kappa: number, capPct = KOHLER_RH_CAP_PCT): KohlerResult {
  requireFinite('pm', pm);
  requireFinite('rh', rhPct);
  requireFinite('kappa', kappa);
  if (kappa < 0) throw new RangeError(`kappa must be ≥ 0 (0 = no hygroscopic growth), got ${kappa}`);
  if (!(capPct > 0 && capPct < 100)) throw new RangeError(`the RH cap must lie between 0 and 100 %, got ${capPct}`);
  const growth = kohlerGrowth(rhPct, kappa, capPct);
  return { ...nonNegative(pm / growth), growth, rhCapped: clampRh(rhPct) > capPct };
}
