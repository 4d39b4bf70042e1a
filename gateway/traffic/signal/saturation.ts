// Saturation flow of a lane group, HCM form: s = s0 · N · fw · fHV · (fg · fp · fbb · fa · fLU · fLT · fRT …).
// Computed here: fw (lane width) and fHV (heavy vehicles), the two factors ../shared/reference/traffic.md §2 gives.
// The others (grade, parking, bus blockage, area type, lane use, turns) are taken as given numbers: the caller
// reads them from the HCM tables; none defaults to anything but 1.

const FT_PER_M = 1 / 0.3048;

/** Product-form adjustment factors the caller supplies (dimensionless, each > 0; default 1). */
export interface OtherFactors {
  fg?: number;
  fp?: number;
  fbb?: number;
  fa?: number;
  fLU?: number;
  fLT?: number;
  fRT?: number;
  fLpb?: number;
  fRpb?: number;
}

export interface SaturationFlowOptions {
  /** Base saturation flow s0, pc/h/ln. Default 1900 (HCM). */
  base?: number;
  /** Number of lanes N in the lane group (≥ 1). */
  lanes: number;
  /** Average lane width W in feet (HCM). Default 12 ft → fw = 1. */
  laneWidthFt?: number;
  /** Average lane width in metres, for callers who measure in metres; converted to feet. Give one of the two. */
  laneWidthM?: number;
  /** Heavy vehicles, % of the flow (0–100). Default 0 → fHV = 1. */
  heavyPct?: number;
  /** Passenger-car equivalent of a heavy vehicle E_T. Default 2.0 pc/HV (HCM 2000, signalised intersections). */
  heavyEquivalent?: number;
  other?: OtherFactors;
}

/**
 * Lane-width factor fw = 1 + (W − 12)/30, W in ft (HCM 2000 Exhibit 16-7; HCM 6th ed. Eq. 19-8). The HCM applies it
 * for 8 ≤ W; above 16 ft it suggests analysing two narrow lanes instead, so both ends are refused.
 */
export function laneWidthFactor(widthFt: number): number {
  if (!Number.isFinite(widthFt) || widthFt < 8 || widthFt > 16) {
    throw new RangeError(`lane width ${widthFt} ft is outside the HCM range 8–16 ft (2.44–4.88 m); above 16 ft analyse two lanes`);
  }
  return 1 + (widthFt - 12) / 30;
}

/**
 * Heavy-vehicle factor fHV = 100 / (100 + P_HV·(E_T − 1)), P_HV in % (HCM 2000 Exhibit 16-7; the reference's
 * general form adds buses and RVs with their own E, which a signalised lane group folds into one heavy class).
 */
export function heavyVehicleFactor(heavyPct: number, heavyEquivalent = 2.0): number {
  if (!Number.isFinite(heavyPct) || heavyPct < 0 || heavyPct > 100) throw new RangeError(`heavy vehicles ${heavyPct} % is outside 0–100 %`);
  if (!Number.isFinite(heavyEquivalent) || heavyEquivalent < 1) throw new RangeError(`heavy-vehicle equivalent ${heavyEquivalent} is below 1 pc/HV`);
  return 100 / (100 + heavyPct * (heavyEquivalent - 1));
}

/**
 * Prevailing saturation flow of a lane group, veh/h: s0 · N · fw · fHV · Π(other factors). In veh/h, not pc/h,
 * because fHV already converts: compare it with counted vehicles, not with pcu.
 * @example saturationFlow({ lanes: 2, laneWidthFt: 11, heavyPct: 5 }) // 1900·2·0.9667·0.9524 = 3498.4
 */
export function saturationFlow(o: SaturationFlowOptions): number {
  const base = o.base ?? 1900;
  if (!Number.isFinite(base) || base <= 0) throw new RangeError(`base saturation flow ${base} is not a positive number of pc/h/ln`);
  if (!Number.isInteger(o.lanes) || o.lanes < 1) throw new RangeError(`lanes ${o.lanes} is not a whole number ≥ 1`);
  if (o.laneWidthFt !== undefined && o.laneWidthM !== undefined) throw new RangeError('give the lane width in feet or in metres, not both');
  const widthFt = o.laneWidthFt ?? (o.laneWidthM !== undefined ? o.laneWidthM * FT_PER_M : 12);
  let s = base * o.lanes * laneWidthFactor(widthFt) * heavyVehicleFactor(o.heavyPct ?? 0, o.heavyEquivalent ?? 2.0);
  for (const [name, f] of Object.entries(o.other ?? {})) {
    if (f === undefined) continue;
    if (!Number.isFinite(f) || f <= 0) throw new RangeError(`adjustment factor ${name} = ${f} is not a positive number`);
    s *= f;
  }
  return s;
}
