// What every correction returns, and the two guards they all share.

export interface Corrected {
  /** The corrected concentration, never below 0. */
  value: number;
  /** The formula gave a negative concentration and it was raised to 0 (QC bit `clamped`, gateway/core/qc.ts). */
  clamped: boolean;
}

/**
 * A concentration cannot be negative; the EPA fits and a linear calibration can go below 0 in clean, humid air.
 * Floor at 0 and say so (air-quality.md §5: "Floor negative results at 0", AirGradient `PMSBase::compensate`).
 */
export function nonNegative(x: number): Corrected {
  return x < 0 ? { value: 0, clamped: true } : { value: x === 0 ? 0 : x, clamped: false };
}

/** RH outside 0–100 % is a sensor artefact; the fits were made on 0–100 (air-quality.md §5, AirGradient). */
export function clampRh(rhPct: number): number {
  return Math.min(100, Math.max(0, rhPct));
}

export function requireFinite(name: string, x: number): void {
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got ${x}`);
}
