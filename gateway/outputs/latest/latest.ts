// The local store behind GET /api/v1/latest and the page: the latest value of every quantity for each site,
// node/part and detector/lane. In memory: it is a view, the outbox and InfluxDB hold the history.
import type { Output } from '../../core/plugin.js';
import type { Metric } from '../../core/metric.js';

export interface LatestValue<T = number> {
  value: number;
  /** ms since the epoch in the store; ISO 8601 in snapshots. */
  time: T;
}

export interface SiteLatest<T = number> {
  nodes: Record<string, Record<string, Record<string, LatestValue<T>>>>;
  detectors: Record<string, Record<string, Record<string, LatestValue<T>>>>;
  windows: Record<string, Record<string, LatestValue<T>>>;
}

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
    if (!site) this.sites.set(siteName, (site = { nodes: dict(), detectors: dict(), windows: dict() }));
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

  /** The JSON view: times as ISO 8601 strings. */
  snapshot(): Record<string, SiteLatest<string>> {
    const iso = (group: Record<string, Record<string, LatestValue>>) =>
      Object.fromEntries(
        Object.entries(group).map(([k, values]) => [k, Object.fromEntries(Object.entries(values).map(([q, v]) => [q, { value: v.value, time: new Date(v.time).toISOString() }]))]),
      );
    const out: Record<string, SiteLatest<string>> = {};
    for (const [name, site] of this.sites) {
      out[name] = {
        nodes: Object.fromEntries(Object.entries(site.nodes).map(([node, parts]) => [node, iso(parts)])),
        detectors: Object.fromEntries(Object.entries(site.detectors).map(([det, lanes]) => [det, iso(lanes)])),
        windows: iso(site.windows),
      };
    }
    return out;
  }
}
