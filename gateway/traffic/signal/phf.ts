// Peak-hour factor. PHF = V_hour / (4 · V_15,max), 0.25 ≤ PHF ≤ 1 (isarsoft.com/knowledge-hub/phf; HCM 6th ed.
// Ch. 4). The design flow rate of the hour is then V / PHF = 4 · V_15,max.

function checkCounts(counts15: readonly number[], what: string): void {
  counts15.forEach((c, i) => {
    if (!Number.isFinite(c) || c < 0) throw new RangeError(`${what}: count ${i + 1} is ${c}; counts are vehicles per 15 min, ≥ 0`);
  });
}

/**
 * Peak-hour factor of one hour given as exactly four consecutive 15-min counts (vehicles).
 * @throws RangeError when there are not exactly four counts, a count is negative or not finite, or all are zero.
 * @example phf([250, 300, 350, 300]) // 1200 / (4·350) = 0.857…
 */
export function phf(counts15: readonly number[]): number {
  if (counts15.length !== 4) {
    throw new RangeError(`PHF needs exactly 4 consecutive 15-min counts (one hour); got ${counts15.length}`);
  }
  checkCounts(counts15, 'PHF');
  const max = Math.max(...counts15);
  if (max === 0) throw new RangeError('PHF is undefined for an hour with no vehicles (all four counts are 0)');
  const hour = counts15.reduce((a, b) => a + b, 0);
  return hour / (4 * max);
}

export interface BusiestHour {
  /** Index of the first 15-min count of the busiest hour. */
  start: number;
  /** Vehicles in that hour. */
  volume: number;
  phf: number;
  /** Design flow rate V / PHF = 4 · V_15,max, vehicles per hour. */
  design_flow_vph: number;
}

/**
 * The busiest run of four consecutive 15-min counts in a longer series, with its PHF. Ties go to the earliest hour.
 * @throws RangeError with fewer than four counts, a negative count, or no vehicles at all.
 */
export function busiestHour(counts15: readonly number[]): BusiestHour {
  if (counts15.length < 4) throw new RangeError(`the busiest hour needs at least 4 consecutive 15-min counts; got ${counts15.length}`);
  checkCounts(counts15, 'busiest hour');
  let best = 0;
  let bestVolume = -1;
  for (let i = 0; i + 4 <= counts15.length; i++) {
    const v = counts15.slice(i, i + 4).reduce((a, b) => a + b, 0);
    if (v > bestVolume) {
      bestVolume = v;
      best = i;
    }
  }
  const window = counts15.slice(best, best + 4);
  const f = phf(window);
  return { start: best, volume: bestVolume, phf: f, design_flow_vph: bestVolume / f };
}
