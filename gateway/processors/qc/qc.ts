// The `qc` processor: turns what is known about each `air` reading into the integer field `qc` (core/qc.ts), after
// the corrections and before the aggregators. It never drops or changes a value (air-quality.md §7: mark, do not
// drop); it only adds `qc`, 0 when nothing is found. Which finding comes from where:
//   out_of_range    a raw field outside its part's QuantitySpec min/max (datasheet range; unknown part: no check)
//   stuck           runtime flag 'stuck'           warming_up   runtime flag 'warmup'
//   clock_unsynced  runtime flag 'clock_step' or clock 'free'   clamped   correct processor's flag 'clamped'
//   spike           spike.ts (series' own recent values)        disagreement   disagreement.ts (other PM parts)
//   low_completeness is a window finding, set by the windows aggregator, never here.
// Traffic and every other measurement pass through untouched.
import type { Metric } from '../../core/metric.js';
import type { Processor } from '../../core/plugin.js';
import { EXCLUDED_FROM_MEANS, QC, type QcFlag } from '../../core/qc.js';
import type { PartDefinition, QuantitySpec } from '../../../firmware/drivers/types.js';
import { partModules } from '../../../firmware/drivers/index.js';
import type { QcOptions } from './options.js';
import { SpikeCheck, spikeFamily } from './spike.js';
import { DisagreementCheck } from './disagreement.js';

export interface QcDeps {
  /** Part registry whose QuantitySpec ranges the range check uses (default: firmware/drivers/index.ts). */
  modules?: readonly { definition: PartDefinition }[];
  /** Gateway clock (ms), for forgetting idle series; not the readings' own time. */
  now?: () => number;
}

/** Reading flags (DESIGN.md §3 Reading.flags) and the bit each one sets. */
const FLAG_BITS: Record<string, number> = {
  stuck: QC.stuck,
  warmup: QC.warming_up,
  clock_step: QC.clock_unsynced,
  clamped: QC.clamped,
};

const SWEEP_EVERY_MS = 60_000;

export class QcProcessor implements Processor {
  readonly name = 'qc';
  private readonly ranges = new Map<string, Map<string, QuantitySpec>>();
  private readonly spike: SpikeCheck;
  private readonly disagreement: DisagreementCheck;
  private readonly now: () => number;
  private lastSweep: number;
  /** Readings per finding since start, for /metrics. */
  readonly counts = Object.fromEntries(Object.keys(QC).map((k) => [k, 0])) as Record<QcFlag, number>;

  constructor(
    private readonly options: QcOptions,
    deps: QcDeps = {},
  ) {
    for (const m of deps.modules ?? partModules) {
      this.ranges.set(m.definition.id, new Map(m.definition.quantities.map((q) => [q.name, q])));
    }
    this.spike = new SpikeCheck(options.spike, options.max_series);
    this.disagreement = new DisagreementCheck(options.disagreement, options.max_sites);
    this.now = deps.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /** State currently held: bounded by max_series, max_sites (× 120 minutes) and 2 × spike.values per series. */
  get state(): { series: number; sites: number; minutes: number; largestSeries: number } {
    return { series: this.spike.size, sites: this.disagreement.size, minutes: this.disagreement.minutes, largestSeries: this.spike.largestSeries };
  }

  apply(metric: Metric): Metric[] {
    if (metric.measurement !== 'air') return [metric];
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);

    // A qc already set upstream (a remote gateway's, carried over MQTT) is kept and added to.
    const prior = metric.fields.qc;
    let qc = prior !== undefined && Number.isInteger(prior) && prior > 0 ? prior : 0;
    qc |= this.fromMeta(metric);
    qc |= this.outOfRange(metric);
    qc |= this.spikes(metric, now);
    // A reading already unfit for means is neither judged against nor kept as a reference for the other parts:
    // a part warming up must not get a healthy neighbour flagged.
    if ((qc & EXCLUDED_FROM_MEANS) === 0) qc |= this.disagrees(metric, now);

    for (const k of Object.keys(QC) as QcFlag[]) if (qc & QC[k]) this.counts[k]++;
    return [{ ...metric, fields: { ...metric.fields, qc } }];
  }

  /** Forgets series and sites not seen for `idle_s` (gateway clock). Called from apply() once a minute. */
  sweep(now: number = this.now()): void {
    this.lastSweep = now;
    const before = now - this.options.idle_s * 1000;
    this.spike.evictIdle(before);
    this.disagreement.evictIdle(before);
  }

  private fromMeta(m: Metric): number {
    let bits = m.meta?.clock === 'free' ? QC.clock_unsynced : 0;
    for (const f of m.meta?.flags ?? []) bits |= FLAG_BITS[f] ?? 0;
    return bits;
  }

  private outOfRange(m: Metric): number {
    const specs = this.ranges.get(m.tags.part ?? '');
    if (!specs) return 0;
    for (const [name, v] of Object.entries(m.fields)) {
      const q = specs.get(name);
      if (q && !(v >= q.min && v <= q.max)) return QC.out_of_range; // NaN fails both comparisons
    }
    return 0;
  }

  private spikes(m: Metric, now: number): number {
    const { site = '', node = '', part = '' } = m.tags;
    let bits = 0;
    for (const [name, v] of Object.entries(m.fields)) {
      const family = spikeFamily(name);
      // Every series is fed even once a spike is found, so its history stays the same whatever the order.
      if (family && this.spike.check(`${site}\u0000${node}\u0000${part}\u0000${name}`, family, m.time, v, now)) bits = QC.spike;
    }
    return bits;
  }

  private disagrees(m: Metric, now: number): number {
    // Raw against raw: corrections are configured per part, so a corrected value beside another part's raw one
    // would compare two different things (the demo's EPA-corrected PMS5003 against a raw SDS011 always "disagreed").
    const pm25 = m.fields.pm25_ugm3;
    const site = m.tags.site;
    if (pm25 === undefined || !Number.isFinite(pm25) || !site) return 0;
    const source = `${m.tags.node ?? ''}\u0000${m.tags.part ?? ''}`;
    return this.disagreement.check(site, source, m.time, pm25, now) ? QC.disagreement : 0;
  }
}
