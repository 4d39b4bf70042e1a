// Helpers for the class-only schemes (ATMO, EAQI), whose tables are upper bounds per level.
import type { BandInfo, Level, SubIndex } from './types.js';

/**
 * Level of `c` in a table of upper bounds, lower bound exclusive and upper bound inclusive (lo < c ≤ hi), with
 * everything above the last bound in the top level. `uppers` has one entry fewer than `levels`.
 */
export function bandedSubIndex(levels: readonly Level[], uppers: readonly number[], c: number): SubIndex {
  let i = uppers.findIndex((hi) => c <= hi);
  if (i < 0) i = uppers.length;
  const lv = levels[i];
  if (!lv) throw new RangeError(`no level ${i + 1} in this table`);
  return { level: lv.level, label: lv.label, value: lv.level };
}

export function bandedInfo(levels: readonly Level[], uppers: readonly number[]): BandInfo[] {
  return levels.map((lv, i) => ({ ...lv, min: i === 0 ? 0 : (uppers[i - 1] ?? 0), max: uppers[i] ?? null }));
}
