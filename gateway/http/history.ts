// The station page's last 24 h: window means per quantity for one site, computed on request from the windows
// store (raw readings and counts kept for retention_h, hourly results for 48 h) and cached for a few seconds.
// No InfluxDB needed: a town without a server still sees its day on the gateway's own page.
import { airIndex } from '../air/indices/index.js';
import { COMPLETENESS_MIN_PCT, windowFields } from '../aggregators/windows/compute.js';
import { euConcentrations } from '../aggregators/windows/site-indices.js';
import type { WindowStoreReader } from '../aggregators/windows/store.js';

export const HISTORY_WINDOWS = { '15m': 900_000, '1h': 3_600_000 } as const;
export type HistoryWindow = keyof typeof HISTORY_WINDOWS;
/** The raw rows live 26 h (windows retention_h): 24 h is what every store can answer whole. */
export const HISTORY_MAX_HOURS = 24;
const HOUR_MS = 3_600_000;

/** Fields read per bucket: what euConcentrations() picks from (corrected first, NO2 in ppb converted at 20 °C). */
const AIR_FIELDS = [
  'pm25_corrected_ugm3',
  'pm25_ugm3',
  'pm10_corrected_ugm3',
  'pm10_ugm3',
  'no2_corrected_ugm3',
  'no2_corrected_ppb',
  'no2_ugm3',
  'no2_ppb',
] as const;

export interface HistorySeries {
  /** One value per bucket (null: no valid data), aligned with HistoryJSON.times. */
  values: (number | null)[];
  /** The stored fields the values came from, e.g. ['pm25_corrected_ugm3'] or both raw and corrected across a day. */
  sources?: string[];
}

export interface HistoryJSON {
  site: string;
  window: HistoryWindow;
  /** Bucket length (s). */
  bucket_s: number;
  /** First bucket start and end of the last bucket (ISO 8601): only closed buckets, so a bar is never half a count. */
  from: string;
  to: string;
  /** Bucket starts (ISO 8601). */
  times: string[];
  series: {
    /** µg/m³, `pm25_corrected_ugm3` when present in the bucket, else `pm25_ugm3`; floored at 0. */
    pm25_ugm3: HistorySeries;
    pm10_ugm3: HistorySeries;
    /** µg/m³: corrected first; ppb × 1.9125 (20 °C, 101.325 kPa; air-quality.md §6) when only ppb exists. */
    no2_ugm3: HistorySeries;
    /** Counts whose whole interval lies in the bucket (the windows aggregator's rule); null: no count. */
    vehicles: HistorySeries;
    heavy_vehicles: HistorySeries;
    /** Share of the bucket's minutes holding a valid reading, 0–100. */
    completeness_pct: HistorySeries;
  };
  /**
   * ATMO class of each complete stored hour (≥ 75 % of its minutes), from that hour's means: indicative, as the
   * index itself is daily (arrêté du 10 juillet 2020, Annexe I: PM daily means, NO2 daily max of hourly means).
   */
  atmo_hourly: { time: string; level: number; dominant: string }[];
}

/** The 24 h window means of one site at `now`: buckets aligned on UTC, the last one ending at or before `now`. */
export function historyFrom(reader: WindowStoreReader, site: string, now: number, window: HistoryWindow = '15m', hours = HISTORY_MAX_HOURS): HistoryJSON {
  const bucketMs = HISTORY_WINDOWS[window];
  const n = Math.round((hours * HOUR_MS) / bucketMs);
  const to = Math.floor(now / bucketMs) * bucketMs;
  const from = to - n * bucketMs;
  const idx = (t: number) => Math.floor((t - from) / bucketMs);

  const nulls = () => new Array<number | null>(n).fill(null);
  const pm25 = nulls();
  const pm10 = nulls();
  const no2 = nulls();
  const completeness = new Array<number | null>(n).fill(0);
  const sources = { pm25: new Set<string>(), pm10: new Set<string>(), no2: new Set<string>() };
  for (const b of reader.airBuckets(site, from, to, bucketMs, AIR_FIELDS)) {
    const i = idx(b.start);
    if (i < 0 || i >= n) continue;
    completeness[i] = (100 * b.slots) / (bucketMs / 60_000);
    const c = euConcentrations(b.means);
    if (c.pm25 !== undefined) {
      pm25[i] = c.pm25;
      sources.pm25.add(b.means.pm25_corrected_ugm3 !== undefined ? 'pm25_corrected_ugm3' : 'pm25_ugm3');
    }
    if (c.pm10 !== undefined) {
      pm10[i] = c.pm10;
      sources.pm10.add(b.means.pm10_corrected_ugm3 !== undefined ? 'pm10_corrected_ugm3' : 'pm10_ugm3');
    }
    if (c.no2 !== undefined) {
      no2[i] = c.no2;
      sources.no2.add(AIR_FIELDS.slice(4).find((f) => b.means[f] !== undefined) ?? 'no2_ppb');
    }
  }

  // Counts are few (one per detector, lane and interval): grouped here with the aggregator's own rule.
  const vehicles = nulls();
  const heavy = nulls();
  const counts = new Map<number, ReturnType<WindowStoreReader['traffic']>>();
  for (const t of reader.traffic(site, from, to)) {
    const i = idx(t.time);
    const list = counts.get(i);
    if (list) list.push(t);
    else counts.set(i, [t]);
  }
  for (const [i, list] of counts) {
    const f = windowFields(from + i * bucketMs, bucketMs, [], list);
    if (f.vehicles !== undefined) vehicles[i] = f.vehicles;
    if (f.heavy_vehicles !== undefined) heavy[i] = f.heavy_vehicles;
  }

  // Whole hours inside the range only: the hour still open holds provisional means.
  const atmo: HistoryJSON['atmo_hourly'] = [];
  for (const [start, fields] of reader.hours(site, Math.ceil(from / HOUR_MS) * HOUR_MS, to)) {
    if (start + HOUR_MS > to || (fields.completeness_pct ?? 0) < COMPLETENESS_MIN_PCT) continue;
    const c = euConcentrations(fields);
    if (c.pm25 === undefined && c.pm10 === undefined && c.no2 === undefined) continue;
    const r = airIndex('atmo', c);
    atmo.push({ time: new Date(start).toISOString(), level: r.level, dominant: r.dominant });
  }

  const series = (values: (number | null)[], src?: Set<string>): HistorySeries => ({ values: values.map(round2), ...(src ? { sources: [...src].sort() } : {}) });
  return {
    site,
    window,
    bucket_s: bucketMs / 1000,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    times: Array.from({ length: n }, (_, i) => new Date(from + i * bucketMs).toISOString()),
    series: {
      pm25_ugm3: series(pm25, sources.pm25),
      pm10_ugm3: series(pm10, sources.pm10),
      no2_ugm3: series(no2, sources.no2),
      vehicles: series(vehicles),
      heavy_vehicles: series(heavy),
      completeness_pct: series(completeness),
    },
    atmo_hourly: atmo,
  };
}

/** Two decimals are below every sensor's resolution and keep the answer small (96 buckets × 6 series). */
function round2(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}

export type HistoryQuery = (site: string, window: HistoryWindow, hours: number) => HistoryJSON;

/**
 * historyFrom() behind a cache of `cacheMs` per (site, window, hours): a page polled by several phones costs one
 * query per site every 30 s, whatever the number of viewers.
 */
export function createHistory(reader: WindowStoreReader, opts: { now?: () => number; cacheMs?: number } = {}): HistoryQuery {
  const now = opts.now ?? Date.now;
  const cacheMs = opts.cacheMs ?? 30_000;
  const cache = new Map<string, { at: number; value: HistoryJSON }>();
  return (site, window, hours) => {
    const t = now();
    const key = `${site}\u0000${window}\u0000${hours}`;
    const hit = cache.get(key);
    if (hit && t - hit.at < cacheMs && t >= hit.at) return hit.value;
    const value = historyFrom(reader, site, t, window, hours);
    // Sites are few; anything stale is dropped so a stranger's made-up site names cannot grow the map.
    for (const [k, v] of cache) if (t - v.at >= cacheMs) cache.delete(k);
    if (cache.size < 64) cache.set(key, { at: t, value });
    return value;
  };
}

/** `?site=&window=&hours=` → arguments, or a message for a 400 answer. */
export function parseHistoryQuery(search: URLSearchParams): { site: string; window: HistoryWindow; hours: number } | { error: string } {
  const site = search.get('site');
  if (!site) return { error: 'history needs a site: /api/v1/history?site=<site>&window=15m&hours=24' };
  const window = search.get('window') ?? '15m';
  if (!(window in HISTORY_WINDOWS)) return { error: `window must be one of ${Object.keys(HISTORY_WINDOWS).join(', ')}, not "${window}"` };
  const hoursText = search.get('hours') ?? String(HISTORY_MAX_HOURS);
  const hours = Number(hoursText);
  if (!Number.isInteger(hours) || hours < 1 || hours > HISTORY_MAX_HOURS) return { error: `hours must be a whole number from 1 to ${HISTORY_MAX_HOURS}, not "${hoursText}"` };
  return { site, window: window as HistoryWindow, hours };
}
