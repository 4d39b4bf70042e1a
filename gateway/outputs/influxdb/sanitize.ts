// Makes a Metric safe for node-influx 5.12's line protocol rendering, which escapes `,`, `=` and space in
// tags but not backslashes or newlines (influxdb-mqtt.md §5, measured against InfluxDB 1.6.7):
//   - CR/LF in a tag value splits the line: the rest becomes a new point (injection)  → replaced by a space
//   - a tag value ending in `\` escapes the separator after it: 400 `invalid tag format` → stripped
//   - a `\` right before `,` `=` or space does the same mid-value                       → removed
//   - an empty tag value: 400 `missing tag value` for the whole batch                   → tag dropped
//   - NaN/±Infinity: not representable in line protocol (§1)                            → field dropped, counted
// Keys are identifier-like only (they come from code and canonical quantity names; anything else is a bug
// or an attack); `time` is refused as a key by InfluxDB (§1). The same fix in Telegraf: influxdata/telegraf
// #7558 / PR #7652 (strip trailing backslashes).
import type { IPoint } from 'influx';
import type { Metric } from '../../core/metric.js';

/** The measurements of DESIGN.md §3, the only names ever written (node-influx does not escape measurements). */
export const MEASUREMENTS: ReadonlySet<Metric['measurement']> = new Set([
  'air',
  'traffic',
  'air_traffic',
  'aqi',
  'signal_plan',
  'gateway',
]);

/** Fields stored as InfluxDB integers (DESIGN.md §3: `qc` is an integer bit mask); every other field is a float. */
export const INTEGER_FIELDS: ReadonlySet<string> = new Set(['qc']);

const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_KEYS = new Set(['time']);

// Control characters (CR, LF, TAB, …) become spaces: they are never meaningful in a site or node name.
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** The tag value as it can be written safely, or undefined when nothing is left (drop the tag). */
export function sanitizeTagValue(value: string): string | undefined {
  const cleaned = value
    .replace(CONTROL, ' ')
    .replace(/\\+(?=[ ,=])/g, '')
    .replace(/[\s\\]+$/, '')
    .replace(/^\s+/, '');
  return cleaned === '' ? undefined : cleaned;
}

export function isSafeKey(key: string): boolean {
  return KEY.test(key) && !RESERVED_KEYS.has(key);
}

/**
 * An integer field value as node-influx renders it: 5.12 has no per-point integer type without a schema (and a
 * schema refuses unknown fields), but it writes `String(value)` for any non-string value, so an object whose
 * string form is `<n>i` yields a line-protocol integer.
 */
export class IntegerField {
  constructor(readonly value: number) {}
  toString(): string {
    return `${this.value}i`;
  }
}

export interface SanitizeCounts {
  /** Points not written at all (unknown measurement, bad time, no valid field left). */
  droppedPoints: number;
  /** Fields dropped: non-finite values, non-integer values of integer fields, bad keys. */
  droppedFields: number;
  /** Tags dropped: empty after sanitising, or a bad key. */
  droppedTags: number;
  /** Tag values changed by sanitising (still written). */
  changedTags: number;
}

export const emptyCounts = (): SanitizeCounts => ({ droppedPoints: 0, droppedFields: 0, droppedTags: 0, changedTags: 0 });

/** Turns one Metric into a node-influx point (ms timestamp), or undefined when nothing valid is left. */
export function toPoint(metric: Metric, counts: SanitizeCounts): IPoint | undefined {
  const r = convert(metric, counts);
  return 'point' in r ? r.point : undefined;
}

/** Like toPoint, but says why a metric cannot be written at all (the reason goes to the dead-letter table). */
export function convert(metric: Metric, counts: SanitizeCounts): { point: IPoint } | { reason: string } {
  if (!MEASUREMENTS.has(metric.measurement)) {
    counts.droppedPoints++;
    return { reason: `unknown measurement ${JSON.stringify(String(metric.measurement).slice(0, 64))} (not one of DESIGN.md §3)` };
  }
  if (!Number.isSafeInteger(metric.time)) {
    counts.droppedPoints++;
    return { reason: `time ${String(metric.time)} is not a whole number of milliseconds` };
  }
  const fields: Record<string, number | IntegerField> = {};
  let fieldCount = 0;
  const bad: string[] = [];
  for (const [key, value] of Object.entries(metric.fields)) {
    const integer = INTEGER_FIELDS.has(key);
    if (!isSafeKey(key) || typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
      counts.droppedFields++;
      if (bad.length < 5) bad.push(`${JSON.stringify(key.slice(0, 64))}=${String(value).slice(0, 32)}`);
      continue;
    }
    fields[key] = integer ? new IntegerField(value) : value;
    fieldCount++;
  }
  if (fieldCount === 0) {
    counts.droppedPoints++;
    return { reason: `no writable field left (${bad.length ? `dropped ${bad.join(', ')}` : 'no fields'}): NaN, Infinity, a non-integer qc or a bad key` };
  }
  const tags: Record<string, string> = {};
  // Sorted tag keys: InfluxDB sorts them itself otherwise (line protocol docs, "sort tags by key").
  for (const key of Object.keys(metric.tags).sort()) {
    const raw = metric.tags[key];
    const value = isSafeKey(key) && typeof raw === 'string' ? sanitizeTagValue(raw) : undefined;
    if (value === undefined) {
      counts.droppedTags++;
      continue;
    }
    if (value !== raw) counts.changedTags++;
    tags[key] = value;
  }
  // A numeric string: node-influx skips a falsy timestamp (0) and would let the server stamp arrival time.
  return { point: { measurement: metric.measurement, tags, fields, timestamp: String(metric.time) } };
}
