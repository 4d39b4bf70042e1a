// Time-of-day periods from a count profile. Agencies run one plan per period (AM peak, midday, PM peak, evening,
// night) and pick periods from the daily volume profile; the rule below is Airlane's own, documented so an engineer
// can redo it by hand:
//   1. average the series into one 24-hour profile (hour 0 = the series' first hour of each day);
//   2. class each hour by its share of the profile's busiest hour: "peak" ≥ peakShare (0.8), "low" < lowShare
//      (0.3), else "mid";
//   3. a single non-peak hour whose two neighbours share another class joins them (no one-hour dips);
//   4. runs of one class (the day wraps, so night runs over midnight) become periods, named by the hour at their
//      middle: peak → am_peak before 12:00, midday_peak 12:00–15:00, pm_peak after; mid → morning 04–10,
//      midday 10–16, evening 16–22, night otherwise; low → night. A repeated name gets _2, _3 … in clock order.
import type { PeriodLevel, ProfileOptions, TimeOfDayPeriod } from './types.js';

/**
 * Average hourly volumes over whole days into a 24-hour profile. `hourly.length` must be a multiple of 24.
 * @param days which days (0-based) to average; default all — e.g. [0,1,2,3,4] for the weekdays of a week that
 *   starts on a Monday.
 */
export function hourlyProfile(hourly: readonly number[], days?: readonly number[]): number[] {
  if (hourly.length === 0 || hourly.length % 24 !== 0) {
    throw new RangeError(`hourly volumes must cover whole days (a multiple of 24 values); got ${hourly.length}`);
  }
  hourly.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`hourly volume ${i + 1} is ${v}; volumes are vehicles per hour, ≥ 0`);
  });
  const nDays = hourly.length / 24;
  const pick = days ?? Array.from({ length: nDays }, (_, d) => d);
  if (pick.length === 0) throw new RangeError('days is empty; give at least one day to average');
  for (const d of pick) {
    if (!Number.isInteger(d) || d < 0 || d >= nDays) throw new RangeError(`day ${d} is not in the series (days 0–${nDays - 1})`);
  }
  return Array.from({ length: 24 }, (_, h) => pick.reduce((a, d) => a + (hourly[d * 24 + h] as number), 0) / pick.length);
}

function nameOf(level: PeriodLevel, middle: number): string {
  if (level === 'low') return 'night';
  if (level === 'peak') return middle < 12 ? 'am_peak' : middle < 15 ? 'midday_peak' : 'pm_peak';
  if (middle >= 4 && middle < 10) return 'morning';
  if (middle >= 10 && middle < 16) return 'midday';
  if (middle >= 16 && middle < 22) return 'evening';
  return 'night';
}

/**
 * Time-of-day periods of an hourly count series (one day = 24 values, a week = 168, …), deterministic; see the
 * rule at the top of this file. Periods come in clock order of their first hour.
 * @example periodsFromProfile(weekOfHourlyTotals, { days: [0, 1, 2, 3, 4] })
 */
export function periodsFromProfile(hourly: readonly number[], options: ProfileOptions = {}): TimeOfDayPeriod[] {
  const peakShare = options.peakShare ?? 0.8;
  const lowShare = options.lowShare ?? 0.3;
  if (!(lowShare >= 0 && lowShare < peakShare && peakShare <= 1)) {
    throw new RangeError(`shares must satisfy 0 ≤ lowShare < peakShare ≤ 1; got lowShare ${lowShare}, peakShare ${peakShare}`);
  }
  const p = hourlyProfile(hourly, options.days);
  const max = Math.max(...p);
  const level: PeriodLevel[] = p.map((v) => (max > 0 && v >= peakShare * max ? 'peak' : max === 0 || v < lowShare * max ? 'low' : 'mid'));
  const smoothed = level.map((c, h) => {
    const before = level[(h + 23) % 24] as PeriodLevel;
    const after = level[(h + 1) % 24] as PeriodLevel;
    return c !== 'peak' && before === after && before !== c ? before : c;
  });

  const whole = (lv: PeriodLevel): TimeOfDayPeriod[] => [period('all_day', lv, 0, 24, p)];
  if (smoothed.every((c) => c === smoothed[0])) return whole(smoothed[0] as PeriodLevel);

  // Start the walk at a class boundary so that no run is cut by midnight.
  let start = 0;
  while (smoothed[start] === smoothed[(start + 23) % 24]) start++;
  const runs: { start: number; length: number; level: PeriodLevel }[] = [];
  for (let k = 0; k < 24; k++) {
    const h = (start + k) % 24;
    const c = smoothed[h] as PeriodLevel;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.level === c) last.length++;
    else runs.push({ start: h, length: 1, level: c });
  }
  runs.sort((a, b) => a.start - b.start);
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const base = nameOf(r.level, (r.start + r.length / 2) % 24);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return period(n === 1 ? base : `${base}_${n}`, r.level, r.start, r.length, p);
  });
}

function period(name: string, level: PeriodLevel, start: number, length: number, p: readonly number[]): TimeOfDayPeriod {
  const hours = Array.from({ length }, (_, k) => (start + k) % 24);
  let design = hours[0] as number;
  for (const h of hours) if ((p[h] as number) > (p[design] as number)) design = h;
  const end = start + length;
  return {
    name,
    level,
    start_hour: start,
    end_hour: end > 24 ? end - 24 : end,
    hours,
    mean_vph: hours.reduce((a, h) => a + (p[h] as number), 0) / length,
    design_hour: design,
    design_vph: p[design] as number,
  };
}
