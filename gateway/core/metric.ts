// The pipeline's unit of data, in the shape of an InfluxDB point (Telegraf's Metric): every plugin between
// inputs and outputs sees only this. Readings and traffic counts become metrics at the input boundary.
import type { Reading, TrafficCount } from './reading.js';

export interface Metric {
  measurement: 'air' | 'traffic' | 'air_traffic' | 'aqi' | 'signal_plan' | 'gateway';
  tags: Record<string, string>;
  fields: Record<string, number>;
  /** Milliseconds since the epoch: the time the value was measured (or the window start). */
  time: number;
  /** Facts outputs other than InfluxDB may carry (the MQTT payload keeps the Reading's clock and flags). */
  meta?: { clock?: 'ntp' | 'rtc' | 'free'; flags?: string[]; /** Set by the MQTT input: a remote node's data is not echoed back. */ remote?: boolean };
}

export function readingToMetric(r: Reading): Metric {
  return {
    measurement: 'air',
    tags: { site: r.site, node: r.node, part: r.part },
    fields: { ...r.values },
    time: Date.parse(r.time),
    meta: r.flags?.length ? { clock: r.clock, flags: r.flags } : { clock: r.clock },
  };
}

/** The inverse of readingToMetric, for outputs that speak the Reading contract (MQTT, the local API). */
export function metricToReading(m: Metric): Reading {
  const r: Reading = {
    v: 1,
    site: m.tags.site ?? '',
    node: m.tags.node ?? '',
    part: m.tags.part ?? '',
    time: new Date(m.time).toISOString(),
    clock: m.meta?.clock ?? 'free',
    values: { ...m.fields },
  };
  if (m.meta?.flags?.length) r.flags = [...m.meta.flags];
  return r;
}

export function metricToTraffic(m: Metric): TrafficCount {
  const { interval_s, vehicles, ...rest } = m.fields;
  return {
    v: 1,
    site: m.tags.site ?? '',
    detector: m.tags.detector ?? '',
    lane: m.tags.lane ?? 'all',
    direction: m.tags.direction ?? 'all',
    time: new Date(m.time).toISOString(),
    interval_s: interval_s ?? 0,
    values: { vehicles: vehicles ?? 0, ...rest },
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
