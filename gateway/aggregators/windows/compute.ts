// One window's figures from the rows in the store: pure, so a recomputation after a backlog gives exactly what
// the uninterrupted run gave (the store returns rows in a fixed order, so even the float sums agree).
import { QC } from '../../core/qc.js';
import type { TrafficRow } from './store.js';

/**
 * A window is complete enough at 75 % of its 1-minute slots holding a valid reading: the 75 % rule that EPA/AirNow
 * apply to daily means (18 of 24 h, ../shared/reference/air-quality.md §7, airnowtech forum /171), applied here
 * to minutes within a window. For 1 h that is 45 of 60 minutes.
 */
export const COMPLETENESS_MIN_PCT = 75;
const SLOT_MS = 60_000;

/** Fields that describe a reading rather than measure air, and so are never averaged. */
const NOT_AVERAGED = new Set(['qc']);

export function windowFields(
  start: number,
  winMs: number,
  air: readonly { time: number; fields: Record<string, number> }[],
  traffic: readonly Omit<TrafficRow, 'site'>[],
): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  const slots = new Set<number>();
  for (const r of air) {
    slots.add(Math.floor((r.time - start) / SLOT_MS));
    for (const [q, v] of Object.entries(r.fields)) {
      if (NOT_AVERAGED.has(q) || !Number.isFinite(v)) continue;
      const acc = sums.get(q);
      if (acc) {
        acc.sum += v;
        acc.n++;
      } else sums.set(q, { sum: v, n: 1 });
    }
  }
  const completeness = (100 * slots.size) / Math.max(1, Math.round(winMs / SLOT_MS));
  const fields: Record<string, number> = {};
  for (const [q, { sum, n }] of [...sums].sort(([a], [b]) => (a < b ? -1 : 1))) fields[q] = sum / n;
  fields.air_samples = air.length;
  fields.completeness_pct = completeness;
  fields.qc = completeness < COMPLETENESS_MIN_PCT ? QC.low_completeness : 0;

  // A count belongs to a window only if its whole interval lies inside it (a 15-min count is not split into minutes).
  const end = start + winMs;
  const inside = traffic.filter((t) => t.interval_s > 0 && t.time >= start && t.time + t.interval_s * 1000 <= end);
  if (inside.length) {
    let vehicles = 0;
    let heavy = 0;
    let hasHeavy = false;
    const covered = new Map<string, number>();
    for (const t of inside) {
      vehicles += t.vehicles;
      if (t.heavy !== null) {
        hasHeavy = true;
        heavy += t.heavy;
      }
      const det = `${t.detector}\u0000${t.lane}\u0000${t.direction}`;
      covered.set(det, (covered.get(det) ?? 0) + t.interval_s);
    }
    fields.vehicles = vehicles;
    if (hasHeavy) fields.heavy_vehicles = heavy;
    const perDetector = [...covered.values()].map((s) => Math.min(1, (s * 1000) / winMs));
    fields.traffic_coverage_pct = (100 * perDetector.reduce((a, b) => a + b, 0)) / perDetector.length;
  }
  return fields;
}
