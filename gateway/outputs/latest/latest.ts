// The local store behind GET /api/v1/latest and the page: the latest value of every quantity for each site,
// node/part and detector/lane, and the latest index of each scheme per site. In memory: it is a view, the outbox
// and InfluxDB hold the history.
import type { Output } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';
import { qcNames, type QcFlag } from '../../core/qc.js';
import { POLLUTANT_CODE } from '../../air/indices/index.js';

export interface LatestValue<T = number> {
  value: number;
  /** ms since the epoch in the store; ISO 8601 in snapshots. */
  time: T;
  /** Only on the `qc` field, only in snapshots: the names of the bits set (gateway/core/qc.ts). */
  flags?: QcFlag[];
}

/** The newest `aqi` point of one scheme at one site. */
export interface AqiLatest<T = number> {
  /** 1 = best band. */
  level: number;
  /** The AQI number for us-epa; equal to level for banded schemes. */
  value: number;
  /** The pollutant that set the level, decoded from the point's `dominant` code; null when absent or unknown. */
  dominant: string | null;
  /** ATMO computed at a kerbside site: an ATMO-like class, not the regulatory (background) index. */
  indicative: boolean;
  /** Sub-index level per pollutant (fields `<pollutant>_level`). */
  sub: Record<string, number>;
  /** The point's `qc` spelled out (an ATMO day with fewer than 18 complete hours is `low_completeness`). */
  flags: QcFlag[];
  /** Complete hours the index was computed from, when the point says (`hours`, ATMO's day so far). */
  hours: number | null;
  /** The start of the period indexed: the hour (EAQI, US AQI) or the Europe/Paris day (ATMO). */
  time: T;
}

export interface SiteLatest<T = number> {
  nodes: Record<string, Record<string, Record<string, LatestValue<T>>>>;
  detectors: Record<string, Record<string, Record<string, LatestValue<T>>>>;
  windows: Record<string, Record<string, LatestValue<T>>>;
  /** Per scheme (`atmo`, `eaqi`, `eaqi-2020`, `us-epa`). */
  aqi: Record<string, AqiLatest<T>>;
}

/** The `dominant` field of an `aqi` point is a number: the windows aggregator's stable code of the pollutant. */
const DOMINANT_BY_CODE = new Map(Object.entries(POLLUTANT_CODE).map(([p, code]) => [code, p]));
const SUB_LEVEL = /^(pm25|pm10|no2|o3|so2|co)_level$/;

/** A prototype-free map object: names from the network ("__proto__" included) are only ever plain keys. */
const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export class LatestStore implements Output {
  readonly name = 'latest';
  private readonly sites = new Map<string, SiteLatest>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async write(batch: Metric[]): Promise<void> {
    for (const m of batch) this.add(m);
  }

  add(m: Metric): void {
    const siteName = m.tags.site;
    if (!siteName) return;
    let site = this.sites.get(siteName);
    if (!site) this.sites.set(siteName, (site = { nodes: dict(), detectors: dict(), windows: dict(), aqi: dict() }));
    if (m.measurement === 'aqi') return this.addAqi(site, m);
    let target: Record<string, LatestValue>;
    if (m.measurement === 'air') target = ((site.nodes[m.tags.node ?? '?'] ??= dict())[m.tags.part ?? '?'] ??= dict());
    else if (m.measurement === 'traffic') target = ((site.detectors[m.tags.detector ?? '?'] ??= dict())[m.tags.lane ?? 'all'] ??= dict());
    else if (m.measurement === 'air_traffic') target = site.windows[m.tags.window ?? '?'] ??= dict();
    else return;
    for (const [k, value] of Object.entries(m.fields)) {
      const prev = target[k];
      // Replayed or late data never hides a newer value.
      if (!prev || prev.time <= m.time) target[k] = { value, time: m.time };
    }
  }

  private addAqi(site: SiteLatest, m: Metric): void {
    const scheme = m.tags.scheme;
    const { level, value, dominant, indicative, qc, hours } = m.fields;
    if (!scheme || level === undefined) return;
    const prev = site.aqi[scheme];
    // A recomputed window (a replayed backlog) may re-emit an older index: the newest one stays on show.
    if (prev && prev.time > m.time) return;
    const sub = dict<number>();
    for (const [k, v] of Object.entries(m.fields)) {
      const p = SUB_LEVEL.exec(k)?.[1];
      if (p) sub[p] = v;
    }
    site.aqi[scheme] = {
      level,
      value: value ?? level,
      dominant: (dominant !== undefined && DOMINANT_BY_CODE.get(dominant)) || null,
      indicative: indicative === 1,
      sub,
      flags: qc === undefined ? [] : qcNames(qc),
      hours: hours ?? null,
      time: m.time,
    };
  }

  /** The JSON view: times as ISO 8601 strings, the `qc` mask spelled out as flag names beside its value. */
  snapshot(): Record<string, SiteLatest<string>> {
    const values = (group: Record<string, LatestValue>) =>
      Object.fromEntries(
        Object.entries(group).map(([q, v]): [string, LatestValue<string>] => [
          q,
          q === 'qc' ? { value: v.value, time: iso(v.time), flags: qcNames(v.value) } : { value: v.value, time: iso(v.time) },
        ]),
      );
    const nested = (group: Record<string, Record<string, LatestValue>>) => Object.fromEntries(Object.entries(group).map(([k, g]) => [k, values(g)]));
    const out: Record<string, SiteLatest<string>> = {};
    for (const [name, site] of this.sites) {
      out[name] = {
        nodes: Object.fromEntries(Object.entries(site.nodes).map(([node, parts]) => [node, nested(parts)])),
        detectors: Object.fromEntries(Object.entries(site.detectors).map(([det, lanes]) => [det, nested(lanes)])),
        windows: nested(site.windows),
        aqi: Object.fromEntries(Object.entries(site.aqi).map(([scheme, a]) => [scheme, { ...a, sub: { ...a.sub }, flags: [...a.flags], time: iso(a.time) }])),
      };
    }
    return out;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
