// The `qc` field of every `air` point: one integer, a bit per quality finding (DESIGN.md §3). 0 = nothing found.
// A flagged value is kept, never dropped: dashboards and the windows decide what to leave out (see VALID_FOR_MEANS).
// Practice behind each check: ../shared/reference/air-quality.md §7.
export const QC = {
  /** A value outside the part's datasheet range (its QuantitySpec min/max). */
  out_of_range: 1 << 0,
  /** The part returned identical values for longer than its `stuck_after_s` (runtime flag `stuck`). */
  stuck: 1 << 1,
  /** A jump from the part's recent values far beyond its normal variation. */
  spike: 1 << 2,
  /** Taken during the part's warm-up after power-on or wake (runtime flag `warmup`). */
  warming_up: 1 << 3,
  /** Window-level: fewer readings in the window than its completeness rule asks for. */
  low_completeness: 1 << 4,
  /** Two PM parts at one site disagree beyond |A − B| > 5 µg/m³ and > 70 % (AirSensor PurpleAirQC_hourly_AB_03). */
  disagreement: 1 << 5,
  /** The clock was not synchronised (`clock: free`) or stepped (runtime flag `clock_step`). */
  clock_unsynced: 1 << 6,
  /** A corrected value fell outside what is physical (below 0) and was clamped. */
  clamped: 1 << 7,
} as const;

export type QcFlag = keyof typeof QC;

/** Findings that make a value unfit for window means and indices (the raw point is still stored). */
export const EXCLUDED_FROM_MEANS = QC.out_of_range | QC.stuck | QC.spike | QC.warming_up;

/** The names of the bits set in a mask, in bit order. */
export function qcNames(mask: number): QcFlag[] {
  return (Object.keys(QC) as QcFlag[]).filter((k) => (mask & QC[k]) !== 0);
}
