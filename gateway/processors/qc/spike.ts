// The spike check: a Hampel-type test of each reading against the series' own recent values. No published
// threshold exists for low-cost PM or NO2 (../shared/reference/air-quality.md §7: airrohr and AirGradient use
// robust aggregation instead), so the rule is the project's own, chosen to be conservative because a spike is
// excluded from window means (core/qc.ts EXCLUDED_FROM_MEANS) and kerbside plumes are real:
//
//   spike ⇔ |x − median| > k · 1.4826 · MAD  and  |x − median| > floor(family)
//
// over the `values` latest readings of the same series measured in [t − lookback, t). 1.4826 · MAD estimates the
// standard deviation of normal noise (Hampel 1974; Rousseeuw & Croux 1993, JASA 88:1273). The floor is what keeps
// a flat integer series (MAD 0, e.g. Plantower at 3 µg/m³) from flagging a step of 2.
//
// Neighbours are only readings measured before this one, never after: a backlog replayed in time order then
// sees the same neighbours it would have seen live. Each series keeps 2 × `values` entries and evicts the one
// that arrived first, so a replay burst and live data interleaved with it both keep most of their predecessors.
import type { QcOptions } from './options.js';

type SpikeOptions = QcOptions['spike'];
export type SpikeFamily = keyof SpikeOptions['floor'];

/** Scale from MAD to the standard deviation of a normal distribution. */
const MAD_TO_SD = 1.4826;

/** The floor family of a raw quantity, or undefined when the quantity is not spike-checked. */
export function spikeFamily(quantity: string): SpikeFamily | undefined {
  if (/^pm\d+(_cf1)?_ugm3$/.test(quantity)) return 'pm_ugm3';
  if (quantity === 'no2_ppb') return 'no2_ppb';
  if (quantity === 'no2_ugm3') return 'no2_ugm3';
  return undefined;
}

interface Series {
  /** In arrival order. */
  times: number[];
  values: number[];
  seen: number;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export class SpikeCheck {
  private readonly series = new Map<string, Series>();
  private readonly cap: number;

  constructor(
    private readonly options: SpikeOptions,
    private readonly maxSeries: number,
  ) {
    this.cap = 2 * options.values;
  }

  get size(): number {
    return this.series.size;
  }

  /** Entries held in the largest series (for the memory-bound test). */
  get largestSeries(): number {
    let max = 0;
    for (const s of this.series.values()) max = Math.max(max, s.times.length);
    return max;
  }

  /** Judges `value` at `time` against its series, then remembers it. `now` is the gateway clock. */
  check(key: string, family: SpikeFamily, time: number, value: number, now: number): boolean {
    let s = this.series.get(key);
    if (s) this.series.delete(key); // re-inserted below: Map order is least recently seen first
    else s = { times: [], values: [], seen: now };
    s.seen = now;
    this.series.set(key, s);
    while (this.series.size > this.maxSeries) this.series.delete(this.series.keys().next().value!);

    const spike = Number.isFinite(value) && this.judge(s, family, time, value);
    if (Number.isFinite(value) && !s.times.includes(time)) {
      s.times.push(time);
      s.values.push(value);
      if (s.times.length > this.cap) {
        s.times.shift();
        s.values.shift();
      }
    }
    return spike;
  }

  private judge(s: Series, family: SpikeFamily, time: number, value: number): boolean {
    const from = time - this.options.lookback_s * 1000;
    const near: { t: number; v: number }[] = [];
    for (let i = 0; i < s.times.length; i++) {
      const t = s.times[i]!;
      if (t >= from && t < time) near.push({ t, v: s.values[i]! });
    }
    if (near.length < this.options.min_values) return false;
    near.sort((a, b) => b.t - a.t);
    const vs = near.slice(0, this.options.values).map((e) => e.v).sort((a, b) => a - b);
    const med = median(vs);
    const mad = median(vs.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
    const dev = Math.abs(value - med);
    return dev > this.options.floor[family] && dev > this.options.k * MAD_TO_SD * mad;
  }

  /** Forgets series not seen since `before` (gateway clock). */
  evictIdle(before: number): void {
    for (const [key, s] of this.series) {
      if (s.seen >= before) break; // least recently seen first: the rest are newer
      this.series.delete(key);
    }
  }
}
