// The pipeline's unit of data, in the shape of an InfluxDB point (Telegraf's Metric): every plugin between
// inputs and outputs sees only this. Readings and traffic counts become metrics at the input boundary.
import type { Reading, TrafficCount } from './reading.js';

export interface Metric {
  measurement: 'air' | 'traffic' | 'air_traffic' | 'aqi' | 'signal_plan' | 'gateway';
  tags: Record<string, string>;
  fields: Record<string, number>;
  /** Milliseconds since the epoch: the time the value was measured (or the window start). */
  time: number;
}

export function readingToMetric(r: Reading): Metric {
  return {
    measurement: 'air',
    tags: { site: r.site, node: r.node, part: r.part },
    fields: { ...r.values },
    time: Date.parse(r.time),
  };
}

export function trafficToMetric(c: TrafficCount): Metric {
  const fields: Record<string, number> = { interval_s: c.interval_s };
  for (const [k, v] of Object.entries(c.values)) if (v !== undefined) fields[k] = v;
  return {
    measurement: 'traffic',
    tags: { site: c.site, detector: c.detector, lane: c.lane, direction: c.direction },
    fields,
    time: Date.parse(c.time),
  };
}
