// Joins air and traffic per site in fixed windows aligned to the clock (air_traffic in DESIGN.md §3): the mean
// of every air quantity over the window, the sum of traffic counts whose interval lies inside it, and how
// complete each side is. Windows close `grace_s` after their end; data for a closed window — including a
// backlog replayed after a restart, whose windows the previous run already wrote — is counted as late and left
// to the raw measurements, so a window is written once and never overwritten by a partial one. Readings flagged
// `warmup` are stored raw but kept out of the means (air-quality.md §7: mark, do not drop), and data stamped in
// the future (a free-running remote clock) is refused so it cannot hold windows open in memory.
import type { Aggregator, Sink } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';
import type { AirTrafficOptions } from './options.js';

interface Window {
  site: string;
  start: number;
  air: Map<string, { sum: number; n: number }>;
  airSamples: number;
  vehicles: number;
  heavy: number;
  hasHeavy: boolean;
  /** Seconds of counting covered, per detector/lane. */
  covered: Map<string, number>;
  hasTraffic: boolean;
}

export function windowTag(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export class AirTrafficWindow implements Aggregator {
  readonly name: string;
  private readonly windowMs: number;
  private readonly graceMs: number;
  private readonly windows = new Map<string, Window>();
  /** Windows starting before this are closed. */
  private watermark: number;
  late = 0;
  future = 0;

  constructor(
    private readonly options: AirTrafficOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = options.window_s * 1000;
    this.graceMs = options.grace_s * 1000;
    this.name = `air_traffic_${windowTag(options.window_s)}`;
    this.watermark = this.closeBefore(now());
  }

  private closeBefore(now: number): number {
    return Math.floor((now - this.graceMs) / this.windowMs) * this.windowMs;
  }

  add(m: Metric): void {
    if (m.measurement !== 'air' && m.measurement !== 'traffic') return;
    const site = m.tags.site;
    if (!site || m.meta?.flags?.includes('warmup')) return;
    const start = Math.floor(m.time / this.windowMs) * this.windowMs;
    if (start < this.watermark) {
      this.late++;
      return;
    }
    if (m.time > this.now() + this.windowMs) {
      this.future++;
      return;
    }
    if (m.measurement === 'traffic') {
      const interval = (m.fields.interval_s ?? 0) * 1000;
      // A count belongs to a window only if its whole interval lies inside it.
      if (interval <= 0 || m.time + interval > start + this.windowMs) return;
    }
    const key = `${site}\u0000${start}`;
    let w = this.windows.get(key);
    if (!w) {
      w = { site, start, air: new Map(), airSamples: 0, vehicles: 0, heavy: 0, hasHeavy: false, covered: new Map(), hasTraffic: false };
      this.windows.set(key, w);
    }
    if (m.measurement === 'air') {
      w.airSamples++;
      for (const [q, v] of Object.entries(m.fields)) {
        const acc = w.air.get(q);
        if (acc) {
          acc.sum += v;
          acc.n++;
        } else w.air.set(q, { sum: v, n: 1 });
      }
    } else {
      w.hasTraffic = true;
      w.vehicles += m.fields.vehicles ?? 0;
      if (m.fields.heavy_vehicles !== undefined) {
        w.hasHeavy = true;
        w.heavy += m.fields.heavy_vehicles;
      }
      const det = `${m.tags.detector}/${m.tags.lane}`;
      w.covered.set(det, (w.covered.get(det) ?? 0) + (m.fields.interval_s ?? 0));
    }
  }

  push(now: number, sink: Sink): void {
    const closeBefore = this.closeBefore(now);
    if (closeBefore <= this.watermark) return;
    this.watermark = closeBefore;
    for (const [key, w] of this.windows) {
      if (w.start >= closeBefore) continue;
      this.windows.delete(key);
      sink.push(this.toMetric(w));
    }
  }

  private toMetric(w: Window): Metric {
    const fields: Record<string, number> = { air_samples: w.airSamples };
    for (const [q, { sum, n }] of w.air) fields[q] = sum / n;
    if (w.hasTraffic) {
      fields.vehicles = w.vehicles;
      if (w.hasHeavy) fields.heavy_vehicles = w.heavy;
      const perDetector = [...w.covered.values()].map((s) => Math.min(1, s / this.options.window_s));
      fields.traffic_coverage_pct = (100 * perDetector.reduce((a, b) => a + b, 0)) / perDetector.length;
    }
    return {
      measurement: 'air_traffic',
      tags: { site: w.site, window: windowTag(this.options.window_s) },
      fields,
      time: w.start,
    };
  }
}
