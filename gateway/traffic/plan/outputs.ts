// What the analysis writes: plan.json (the whole result), one timing sheet per period (CSV) and the
// `signal_plan` points for Grafana (DESIGN.md §3: tags site, intersection, period).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metric } from '../../core/metric.js';
import type { Intersection } from './intersection.js';
import type { PlanEval, SignalPlanResult } from './analyse.js';
import { renderReport } from './report.js';

const r2 = (v: number) => Math.round(v * 100) / 100;
/** InfluxDB field keys are [A-Za-z][A-Za-z0-9_]* (outputs/influxdb/sanitize.ts); phase ids may carry "-" or ".". */
const fieldKey = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/** One timing sheet: a row per phase, then the cycle. Effective and displayed greens both, so the sheet can be checked by hand. */
export function timingCsv(ix: Intersection, plan: PlanEval): string {
  const rows = ['phase,movements,green_s,amber_s,all_red_s,lost_time_s,effective_green_s,cycle_s'];
  for (const p of ix.phases) {
    const g = plan.greens_s[p.id] ?? 0;
    rows.push([p.id, p.movements.join(' '), r2(plan.displayed_greens_s[p.id] ?? 0), p.amber_s, p.all_red_s, p.lost_time_s, r2(g), plan.cycle_s].join(','));
  }
  rows.push(['cycle', '', '', '', '', ix.phases.reduce((n, p) => n + p.lost_time_s, 0), r2(Object.values(plan.greens_s).reduce((a, b) => a + b, 0)), plan.cycle_s].join(','));
  return rows.join('\n') + '\n';
}

/**
 * One `signal_plan` point per period, stamped at the end of the counted data (a re-run on the same counts
 * overwrites instead of duplicating). Fields: the proposed plan (cycle_s, green_<phase>_s, critical_vc,
 * degree_of_saturation = the largest movement X, delay_s, stops_vph), the current plan (current_…), NO2 and,
 * in polluted periods, the air-quality plan (aq_…).
 */
export function signalPlanMetrics(result: SignalPlanResult): Metric[] {
  return result.periods.map((p) => {
    const fields: Record<string, number> = {
      cycle_s: p.proposed.cycle_s,
      critical_vc: r2(p.proposed.critical_vc),
      degree_of_saturation: r2(p.proposed.max_x),
      delay_s: r2(p.proposed.delay_s),
      stops_vph: r2(p.proposed.stops_vph),
      webster_cycle_s: Number.isFinite(p.webster.cycle_s) ? r2(p.webster.cycle_s) : -1,
      flow_ratio_sum: r2(p.Y),
      polluted: p.polluted ? 1 : 0,
    };
    for (const [id, g] of Object.entries(p.proposed.greens_s)) fields[`green_${fieldKey(id)}_s`] = g;
    if (p.current) {
      fields.current_cycle_s = p.current.cycle_s;
      fields.current_delay_s = r2(p.current.delay_s);
      fields.current_degree_of_saturation = r2(p.current.max_x);
      fields.current_stops_vph = r2(p.current.stops_vph);
    }
    if (p.no2_ugm3 !== null) fields.no2_ugm3 = r2(p.no2_ugm3);
    if (p.air_quality) {
      const a = p.air_quality;
      fields.aq_cycle_s = a.plan.cycle_s;
      for (const [id, g] of Object.entries(a.plan.greens_s)) fields[`aq_green_${fieldKey(id)}_s`] = g;
      fields.aq_delay_s = r2(a.plan.delay_s);
      fields.aq_polluted_stops_vph = r2(a.polluted_after.stops_vph);
      fields.polluted_stops_vph = r2(a.polluted_before.stops_vph);
    }
    return { measurement: 'signal_plan', tags: { site: result.intersection.site, intersection: result.intersection.id, period: p.name }, fields, time: result.time };
  });
}

/** File name part of a period (names are ours: am_peak, night_2…; kept safe anyway). */
export const periodFile = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

/** Writes plan.json, timing-<period>.csv (and timing-<period>-air-quality.csv) and report.html; returns the paths. */
export function writeOutputs(dir: string, ix: Intersection, result: SignalPlanResult): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const put = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    files.push(path);
  };
  put('plan.json', JSON.stringify(result, null, 2) + '\n');
  for (const p of result.periods) {
    put(`timing-${periodFile(p.name)}.csv`, timingCsv(ix, p.proposed));
    if (p.air_quality && p.air_quality.plan !== p.proposed) put(`timing-${periodFile(p.name)}-air-quality.csv`, timingCsv(ix, p.air_quality.plan));
  }
  put('report.html', renderReport(result));
  return files;
}
